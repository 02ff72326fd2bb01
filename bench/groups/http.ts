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
import { rotate } from '../lib/stats';

interface MeasureOptions {
  check?: (ratio: number) => boolean;
  post?: boolean;
  /** Also rotate in the raw baseline running the API's request hook. */
  withHook?: boolean;
}

export interface HttpOptions {
  rounds: number;
  seconds: number;
  log: (line: string) => void;
}

/**
 * P1, P2 and P2b: requests per second of the API against raw Fastify + the bare driver. P1 and
 * P2 also run a third server, the raw baseline with the API's own request hook (request id,
 * security headers, 415 check), in the same rotation: its row prices those features apart
 * from the framework.
 */
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
    const hooked = await startServer(
      baselineArgs(),
      { ...env, RAW_API_HOOK: 'dist/libs/http/src/request-hook.js' },
      '/health',
      pinning?.server,
    );
    if (pinning) pinThisProcess(pinning.loadGenerator);
    try {
      const measure = async (
        id: string,
        what: string,
        path: string,
        target: string,
        { check, post = false, withHook = false }: MeasureOptions = {},
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
        const servers = withHook ? [raw, app, hooked] : [raw, app];
        const [baseline, subject, withOurHook] = await rotate(
          options.rounds,
          1,
          servers.map((server) => run(server.url)),
        );
        const row = { id, unit: 'req/s', baseline, baselineName: 'raw Fastify + driver' };
        figures.push(compare({ ...row, what: `${what} (${dialect})`, subject, target }, check));
        if (withOurHook) {
          figures.push(
            compare({
              ...row,
              what: `${what} (${dialect}): raw Fastify + driver + our request hook alone`,
              subject: withOurHook,
              target: 'report',
              note: 'the price of X-Request-Id, the security headers and the 415 check, without Nest',
            }),
          );
        }
      };
      if (dialect === 'sqlite') {
        await measure('P1', 'GET /health/live', '/health/live', '>= 90%', {
          check: (r) => r >= 0.9,
          withHook: true,
        });
      }
      await measure('P2', 'GET /api/tasks/:id', '/api/tasks/500', '>= 70%', {
        check: (r) => r >= 0.7,
        withHook: true,
      });
      await measure('P2b', 'GET /api/tasks?limit=20', '/api/tasks?limit=20', 'report');
      await measure('P2b', 'POST /api/tasks', '/api/tasks', 'report', { post: true });
    } finally {
      if (pinning) pinThisProcess(pinning.all);
      await Promise.all([app.stop(), raw.stop(), hooked.stop()]);
    }
  }
  return figures;
}
