import { useRunTmpdir } from './run-tmpdir';

/** The unit project's temporary files go into the run's folder too (see useRunTmpdir). */
export default function unitGlobalSetup(): void {
  useRunTmpdir();
}
