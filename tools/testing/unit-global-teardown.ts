import { releaseRunTmpdir } from './run-tmpdir';

export default function unitGlobalTeardown(): void {
  releaseRunTmpdir();
}
