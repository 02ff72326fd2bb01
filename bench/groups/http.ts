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
  Server,
  startServer,
} from '../lib/servers';
import { rotate } from '../lib/stats';

/** A server rotated in beside the baseline and the API, to say where the difference goes. */
interface Step {
  server: Server;
  what: string;
  note: string;
}

interface MeasureOptions {
  check?: (ratio: number) => boolean;
  post?: boolean;
  steps?: Step[];
}

export interface HttpOptions {
  rounds: number;
  seconds: number;
  log: (line: string) => void;
}

/**
 * P1, P2 and P2b: requests per second of the API against raw Fastify + the bare driver. P1 and
 * P2 also rotate in the steps between the two: the raw baseline with the API's own request hook
 * (request id, security headers, 415 check), which prices those features apart from the
 * framework, and for P2 the same handler inside a minimal Nest application set up like the
 * API's HTTP layer (the floor Nest puts under the API, before any of its own modules).
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
    const nest = await startServer(
      baselineArgs(),
      { ...env, RAW_API_NEST: 'dist/libs/http/src' },
      '/health',
      pinning?.server,
    );
    const hookStep: Step = {
      server: hooked,
      what: 'raw Fastify + driver + our request hook alone',
      note: 'the price of X-Request-Id, the security headers and the 415 check, without Nest',
    };
    const nestStep: Step = {
      server: nest,
      what: "the raw handler in a minimal Nest app with the API's HTTP set-up",
      note: 'the Nest floor: adapter, request hook, IdParam, global pipe and filter; no TypeORM, entity or DTO',
    };
    if (pinning) pinThisProcess(pinning.loadGenerator);
    try {
      const measure = async (
        id: string,
        what: string,
        path: string,
        target: string,
        { check, post = false, steps = [] }: MeasureOptions = {},
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
        const servers = [raw, app, ...steps.map((step) => step.server)];
        const [baseline, subject, ...stepSummaries] = await rotate(
          options.rounds,
          1,
          servers.map((server) => run(server.url)),
        );
        const row = { id, unit: 'req/s', baseline, baselineName: 'raw Fastify + driver' };
        figures.push(compare({ ...row, what: `${what} (${dialect})`, subject, target }, check));
        steps.forEach((step, i) =>
          figures.push(
            compare({
              ...row,
              what: `${what} (${dialect}): ${step.what}`,
              subject: stepSummaries[i],
              target: 'report',
              note: step.note,
            }),
          ),
        );
      };
      if (dialect === 'sqlite') {
        await measure('P1', 'GET /health/live', '/health/live', '>= 90%', {
          check: (r) => r >= 0.9,
          steps: [hookStep],
        });
      }
      await measure('P2', 'GET /api/tasks/:id', '/api/tasks/500', '>= 70%', {
        check: (r) => r >= 0.7,
        steps: [hookStep, nestStep],
      });
      await measure('P2b', 'GET /api/tasks?limit=20', '/api/tasks?limit=20', 'report');
      await measure('P2b', 'POST /api/tasks', '/api/tasks', 'report', { post: true });
    } finally {
      if (pinning) pinThisProcess(pinning.all);
      await Promise.all([app, raw, hooked, nest].map((server) => server.stop()));
    }
  }
  return figures;
}
