import fc from 'fast-check';
import { spawnApi, SpawnedApi } from '../../../tools/testing/spawn-api';
import {
  DIALECTS,
  Dialect,
  fetchContract,
  freshDatabaseEnv,
  requester,
} from '../../../tools/testing/test-api';
import { Model } from './model-based/model';
import { FIXTURE, projectAndTagSteps } from './model-based/project-tag-steps';
import { checkEverything, readSteps } from './model-based/read-steps';
import { Real, Step } from './model-based/steps';
import { taskSteps } from './model-based/task-steps';

/**
 * Model-based test: random sequences of requests (creates, PATCHes of every field, no-op
 * PATCHes, deletes and their cascades, tag replacement, conflicts, unknown tags, reads and lists
 * with filters, sorts and pages) run against the real API and an in-memory model of README.md's
 * "REST API" section; every answer is compared with the model's, and at the end of each
 * sequence every row. Sequences, not single requests, are the point: a bug may need a PATCH
 * then a read, or a rename then a list, to show.
 *
 * The API runs as its own process (main.ts), in a time zone that is not UTC and whose offset
 * had seconds before 1883 (America/New_York, -04:56:02), whatever this machine's zone is.
 *
 * Deterministic by default (a fixed seed). On a failure fast-check prints the seed, the path and
 * the shrunk sequence with its replayPath: replay it with MODEL_SEED=<seed> MODEL_PATH=<path>
 * MODEL_REPLAY=<replayPath>. MODEL_RUNS sets the number of sequences (a longer search; raise
 * MODEL_BUDGET_MS with it), MODEL_TZ the API's zone, MODEL_STATS=1 prints what the sequences
 * reached.
 */
const SEED = Number(process.env.MODEL_SEED ?? 20_260_601);
const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const MAX_STEPS = 60;
const TIME_ZONE = process.env.MODEL_TZ ?? 'America/New_York';
/**
 * The whole search, shrinking included (which replays whole sequences), is bounded so that a
 * failure is reported within minutes; running out of time is a failure too.
 */
const TIME_BUDGET_MS = Number(process.env.MODEL_BUDGET_MS ?? 240_000);

const weighted = (steps: fc.Arbitrary<Step>[], weights: number[]) =>
  steps.flatMap((step, i) => Array<fc.Arbitrary<Step>>(weights[i]).fill(step));

/** Creates more often than deletes, so that sequences build up some state. */
const ALL_STEPS = [
  // CreateProject, PatchProject, DeleteProject, CreateTag, PatchTag, DeleteTag
  ...weighted(projectAndTagSteps, [3, 2, 1, 2, 2, 1]),
  // CreateTask, PatchTask, no-op PatchTask, invalid PatchTask, PutTags, DeleteTask, two at once
  ...weighted(taskSteps, [6, 4, 2, 1, 2, 1, 1]),
  ...readSteps,
];

/** Deletes every project (and so every task) and every tag, through the API. */
async function emptyDatabase(real: Real): Promise<void> {
  for (const kind of ['projects', 'tags']) {
    for (;;) {
      const { body } = await real.request('GET', `/api/${kind}?limit=100`);
      if (body.items.length === 0) break;
      for (const { id } of body.items) await real.request('DELETE', `/api/${kind}/${id}`);
    }
  }
}

/** Runs RUNS sequences (fast-check's assert: shrinks a failing one); a summary line after. */
async function checkSequences(dialect: Dialect, real: Real): Promise<void> {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(
      fc.commands(ALL_STEPS, {
        maxCommands: MAX_STEPS,
        size: 'max',
        replayPath: process.env.MODEL_REPLAY,
      }),
      async (steps) => {
        await emptyDatabase(real);
        const model = new Model(dialect);
        for (const step of FIXTURE) await step.run(model, real);
        await fc.asyncModelRun(() => ({ model, real }), steps);
        await checkEverything(model, real);
      },
    ),
    {
      numRuns: RUNS,
      seed: SEED,
      path: process.env.MODEL_PATH,
      plugins: [fc.interruptAfterTimeLimit(TIME_BUDGET_MS, { failOnInterrupt: true })],
    },
  );
  const seen = [...real.seen].sort(([a], [b]) => a.localeCompare(b));
  const requests = seen.reduce((n, [what, times]) => (what.startsWith(' ') ? n : n + times), 0);
  const summary = `model-based on ${dialect}: ${RUNS} sequences, ${requests} requests in ${Date.now() - started} ms`;
  // MODEL_STATS=1: what the sequences reached (responses by route and status, no-op PATCHes…).
  const details = process.env.MODEL_STATS ? seen.map((entry) => `\n${entry.join(': ')}`) : [];
  console.log(summary + details.join(''));
}

describe.each(DIALECTS)('model-based sequences of requests on %s', (dialect: Dialect) => {
  let api: SpawnedApi;
  let real: Real;

  beforeAll(async () => {
    const env = await freshDatabaseEnv(dialect);
    api = await spawnApi({ ...env, TZ: TIME_ZONE, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '0' });
    await api.waitFor('/health');
    real = { request: requester(api.baseUrl, await fetchContract(api.baseUrl)), seen: new Map() };
  });
  afterAll(() => api.stop('SIGTERM'));

  it(
    `agrees with the model over ${RUNS} random sequences of up to ${MAX_STEPS} requests`,
    () => checkSequences(dialect, real),
    TIME_BUDGET_MS + 60_000,
  );
});
