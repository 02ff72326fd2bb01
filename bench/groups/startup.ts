import { Dialect, freshDatabase } from '../lib/databases';
import { compare, Figure } from '../lib/figure';
import { seed } from '../lib/seed';
import { APP_ENV, apiArgs, baselineArgs, startServer } from '../lib/servers';
import { rotate } from '../lib/stats';

/** P5: process start to the first 200 from /health, the API against raw Fastify + driver. */
export async function startupFigures(
  rounds: number,
  log: (line: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
    log(`P5 start-up (${dialect})`);
    const env = await freshDatabase(dialect, `startup_${Date.now()}`);
    await seed(dialect, env, 10);
    const time = (args: string[], extra: Record<string, string>) => async () => {
      const server = await startServer(args, { ...extra, ...env });
      await server.stop();
      return server.startMs;
    };
    const [baseline, subject] = await rotate(Math.max(rounds, 5), 1, [
      time(baselineArgs(), {}),
      time(apiArgs(), APP_ENV),
    ]);
    const sqlite = dialect === 'sqlite';
    figures.push(
      compare(
        {
          id: 'P5',
          what: `start to first 200 from /health (${dialect})`,
          unit: 'ms',
          baseline,
          baselineName: 'raw Fastify + driver',
          subject,
          target: sqlite ? '<= 500 ms; <= 4x' : '<= 4x',
        },
        (ratio, s) => ratio <= 4 && (!sqlite || s.median <= 500),
      ),
    );
  }
  return figures;
}
