import type { CopyStage } from '@app/db-copy';

/** The exit codes of a process killed by these signals, which the CLI keeps when it handles them. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type TerminationSignal = keyof typeof EXIT_CODES;

/**
 * Until the returned function is called, SIGINT (Ctrl-C) and SIGTERM first run `cleanup`, then
 * exit 130 or 143 as Node's default handlers would. Without it the progress bars leave the
 * terminal with its cursor hidden and line wrapping off. The rollback is unchanged: exiting
 * closes the PostgreSQL connection, and the server rolls back the open transaction.
 */
export function onTerminationSignal(
  cleanup: (signal: TerminationSignal) => void,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const handlers = Object.entries(EXIT_CODES).map(([signal, code]) => {
    const handler = () => {
      try {
        cleanup(signal as TerminationSignal);
      } finally {
        exit(code);
      }
    };
    process.once(signal, handler);
    return { signal, handler };
  });
  return () => handlers.forEach(({ signal, handler }) => process.off(signal, handler));
}

/** What a copy ended by `signal` at `stage` leaves in the target, and what to do next. */
export function interruptedMessage(signal: TerminationSignal, stage: CopyStage): string {
  const interrupted = `Interrupted (${signal})`;
  switch (stage.name) {
    case 'checking':
      return `${interrupted} before the copy: nothing was written to the target.`;
    case 'migrating':
      return (
        `${interrupted} while migrating the target, before the copy: the migrations that ` +
        'finished stay (each commits on its own), and no rows were copied; run db:copy again.'
      );
    case 'copying':
      return stage.migrationsApplied.length === 0
        ? `${interrupted}: rolled back, the target is unchanged.`
        : `${interrupted}: rolled back, the target holds no rows of this copy; the migrations ` +
            `that ran before it stay (${stage.migrationsApplied.join(', ')}). Run db:copy again.`;
    case 'committing':
      return (
        `${interrupted} while committing: the copy may or may not be committed; run db:verify ` +
        'to find out.'
      );
    case 'verifying':
      return (
        `${interrupted} after the commit, while verifying: the copy is committed (the target ` +
        'keeps its rows); run db:verify to check it.'
      );
  }
}

/** What a verification ended by `signal` leaves: nothing changed, as db:verify only reads. */
export function verifyInterruptedMessage(signal: TerminationSignal): string {
  return (
    `Interrupted (${signal}): the verification did not finish; nothing was changed ` +
    '(db:verify only reads).'
  );
}
