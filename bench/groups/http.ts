import { Dialect, freshDatabase } from '../lib/databases';
import { compare, Figure } from '../lib/figure';
import { requestsPerSecond } from '../lib/load';
import { seed } from '../lib/seed';
import {
  APP_ENV,
  apiArgs,
  baselineArgs,
  cpuPinning,
  pinThisProcess,
  startServer,
} from '../lib/servers';
import { alternate } from '../lib/stats';

export interface HttpOptions {
  rounds: number;
  seconds: number;
  log: (line: string) => void;
}

/** P1, P2 and P2b: requests per second of the API against raw Fastify + the bare driver. */
export async function httpFigures(options: HttpOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const pinning = cpuPinning();
  options.log(
    pinning
      ? `servers on CPU ${pinning.server}, load generator on CPU ${pinning.loadGenerator}`
      : 'no CPU pinning (needs taskset and two CPUs)',
  );
  for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
    const env = await freshDatabase(dialect, `http_${Date.now()}`);
    await seed(dialect, env);
    const app = await startServer(apiArgs(), { ...APP_ENV, ...env }, '/health', pinning?.server);
    const raw = await startServer(baselineArgs(), env, '/health', pinning?.server);
    if (pinning) pinThisProcess(pinning.loadGenerator);
    try {
      const measure = async (
        id: string,
        what: string,
        path: string,
        target: string,
        check?: (ratio: number) => boolean,
        post = false,
      ) => {
        options.log(`${id} ${what} (${dialect})`);
        let n = 0;
        const body = () => JSON.stringify({ projectId: 1, title: `Bench task ${++n}` });
        const run = (url: string) => () =>
          requestsPerSecond({
            url: url + path,
            seconds: options.seconds,
            method: post ? 'POST' : 'GET',
            body: post ? body : undefined,
          });
        const { baseline, subject } = await alternate(
          options.rounds,
          1,
          run(raw.url),
          run(app.url),
        );
        figures.push(
          compare(
            {
              id,
              what: `${what} (${dialect})`,
              unit: 'req/s',
              baseline,
              baselineName: 'raw Fastify + driver',
              subject,
              target,
            },
            check,
          ),
        );
      };
      if (dialect === 'sqlite') {
        await measure('P1', 'GET /health/live', '/health/live', '>= 90%', (r) => r >= 0.9);
      }
      await measure('P2', 'GET /api/tasks/:id', '/api/tasks/500', '>= 70%', (r) => r >= 0.7);
      await measure('P2b', 'GET /api/tasks?limit=20', '/api/tasks?limit=20', 'report');
      await measure('P2b', 'POST /api/tasks', '/api/tasks', 'report', undefined, true);
    } finally {
      if (pinning) pinThisProcess(pinning.all);
      await app.stop();
      await raw.stop();
    }
  }
  return figures;
}
