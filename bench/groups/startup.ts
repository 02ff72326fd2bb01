import { Dialect, freshDatabase } from '../lib/databases';
import { compare, Figure } from '../lib/figure';
import { seed } from '../lib/seed';
import { APP_ENV, apiArgs, baselineArgs, residentMb, startServer } from '../lib/servers';
import { rotate, summarize } from '../lib/stats';

/** Unmeasured starts of each side before the measured rounds (the first writes the code cache). */
const WARMUP_STARTS = 1;

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
    // Resident memory at the first 200, per start in rotate's order, warm-up starts first.
    const resident: number[][] = [[], []];
    const time = (side: number, args: string[], extra: Record<string, string>) => async () => {
      const server = await startServer(args, { ...extra, ...env });
      const mb = residentMb(server.pid);
      if (mb !== undefined) resident[side].push(mb);
      await server.stop();
      return server.startMs;
    };
    const [baseline, subject] = await rotate(Math.max(rounds, 5), WARMUP_STARTS, [
      time(0, baselineArgs(), {}),
      time(1, apiArgs(), APP_ENV),
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
    if (resident.every((starts) => starts.length > WARMUP_STARTS)) {
      const [rawMb, apiMb] = resident.map((starts) => summarize(starts.slice(WARMUP_STARTS)));
      figures.push(
        compare({
          id: 'P5',
          what: `resident memory at the first 200 (${dialect})`,
          unit: 'MB',
          baseline: rawMb,
          baselineName: 'raw Fastify + driver',
          subject: apiMb,
          target: 'report',
          note: "every fresh page adds to the start's time: see the header's first-touch check",
        }),
      );
    }
  }
  return figures;
}
