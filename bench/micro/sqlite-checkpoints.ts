// Where a create's time goes on SQLite: the WAL's automatic checkpoint against alternatives.
// Not part of `npm run bench` (no target; BENCHMARKS.md's tenth round reports it). Run after
// `npm run build`:
//   node -r @swc-node/register bench/micro/sqlite-checkpoints.ts [--seconds 5] [--rounds 2]
// Each strategy runs in its own process on a fresh copy of the seeded database, every thread of
// it pinned to one CPU (as the HTTP figures pin a server), inserting back to back with the
// API's create statement (`INSERT … SELECT … WHERE EXISTS … RETURNING`, stepped to its end as
// TypeORM does). Reported: inserts/s, wall and CPU time per insert (the difference is the main
// thread waiting, mostly on the checkpoint's fsync), tail latencies and the WAL file's size.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { freshDatabase } from '../lib/databases';
import { seed } from '../lib/seed';
import { machineLine } from '../lib/report';
import { cpuPinning } from '../lib/servers';

/** How WAL frames get back into the database file. */
interface CheckpointOptions {
  /** `wal_autocheckpoint` on the writing connection, in pages (SQLite's default: 1,000). */
  autocheckpoint?: number;
  /** When set, a worker thread runs a PASSIVE checkpoint this often. */
  workerMs?: number;
}

const STRATEGIES: Record<string, CheckpointOptions> = {
  'automatic checkpoint (SQLite default, 1,000 pages)': {},
  'automatic checkpoint at 4,000 pages': { autocheckpoint: 4000 },
  'automatic checkpoint at 10,000 pages': { autocheckpoint: 10000 },
  'worker thread, PASSIVE every 200 ms (10,000-page backstop)': {
    autocheckpoint: 10000,
    workerMs: 200,
  },
};

interface Result {
  insertsPerSecond: number;
  wallUs: number;
  cpuUs: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  walMb: number;
}

const SAMPLE_NOW = '2026-01-01 00:00:00.000';

/** The child: inserts for `seconds` under `strategy`, prints a Result as JSON. */
async function insertLoop(path: string, strategy: string, seconds: number): Promise<void> {
  const { autocheckpoint, workerMs } = STRATEGIES[strategy];
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // as the API sets it
  db.pragma('foreign_keys = ON');
  if (autocheckpoint) db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  const worker = workerMs && new Worker(__filename, { workerData: { path, workerMs } });
  const columns = db.prepare(`SELECT name FROM pragma_table_info('tasks')`).pluck().all();
  const inserted = (columns as string[]).filter((c) => c !== 'id');
  const q = (names: string[]) => names.map((c) => `"${c}"`).join(', ');
  const insert = db.prepare(
    `INSERT INTO "tasks" (${q(inserted)}) SELECT ${inserted.map(() => '?').join(', ')} ` +
      `WHERE EXISTS (SELECT 1 FROM "projects" WHERE "id" = ?) RETURNING ${q(columns as string[])}`,
  );
  const values: Record<string, unknown> = {
    projectId: 1,
    notes: null,
    status: 'todo',
    priority: 3,
    dueAt: null,
    estimateHours: null,
    metadata: null,
    createdAt: SAMPLE_NOW,
    updatedAt: SAMPLE_NOW,
  };
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const end = Date.now() + seconds * 1000;
  let n = 0;
  // Batches of 20 with a turn of the event loop between them, so the worker's messages and
  // timers run as they would in a server.
  await new Promise<void>((done) => {
    const batch = () => {
      for (let k = 0; k < 20; k++, n++) {
        const row: Record<string, unknown> = {
          ...values,
          title: `Task ${n}`,
          searchKey: `task ${n}`,
        };
        const started = process.hrtime.bigint();
        insert.all(...inserted.map((c) => row[c]), 1);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e3);
      }
      if (Date.now() < end) setImmediate(batch);
      else done();
    };
    batch();
  });
  const cpu = process.cpuUsage(cpuBefore);
  if (worker) await worker.terminate();
  latencies.sort((a, b) => a - b);
  const result: Result = {
    insertsPerSecond: n / seconds,
    wallUs: latencies.reduce((a, b) => a + b, 0) / n,
    cpuUs: (cpu.user + cpu.system) / n,
    p99Us: latencies[Math.floor(n * 0.99)],
    p999Us: latencies[Math.floor(n * 0.999)],
    maxUs: latencies[n - 1],
    walMb: statSync(`${path}-wal`).size / 1e6,
  };
  db.close();
  console.log(JSON.stringify(result));
}

/** The checkpoint worker: its own connection, a PASSIVE checkpoint on an interval. */
function checkpointWorker({ path, workerMs }: { path: string; workerMs: number }): void {
  const db = new Database(path);
  setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerMs);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '2' },
    },
  });
  const seconds = Number(values.seconds);
  const env = await freshDatabase('sqlite', 'checkpoints');
  await seed('sqlite', env, 1000);
  const pinning = cpuPinning();
  const results = new Map<string, Result[]>();
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const strategy of Object.keys(STRATEGIES)) {
      const path = join(mkdtempSync(join(tmpdir(), 'checkpoints-')), 'tasks.sqlite');
      copyFileSync(env.SQLITE_PATH, path);
      const node = [...process.execArgv, __filename, 'child', path, strategy, String(seconds)];
      const [command, args] = pinning
        ? ['taskset', ['-a', '-c', String(pinning.server), process.execPath, ...node]]
        : [process.execPath, node];
      const child = spawnSync(command, args, { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`${strategy}: ${child.stderr}`);
      const list = results.get(strategy) ?? [];
      list.push(JSON.parse(child.stdout) as Result);
      results.set(strategy, list);
    }
  }
  console.log(`${machineLine()}; ${pinning ? 'one CPU' : 'no CPU pinning'}; ${seconds} s`);
  console.log(
    '| strategy | inserts/s | wall µs/insert | CPU µs/insert | p99 µs | p99.9 µs | max ms | WAL MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  const range = (xs: number[], digits = 0) =>
    `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`;
  for (const [strategy, runs] of results) {
    const of = (key: keyof Result) => runs.map((r) => r[key]);
    console.log(
      `| ${strategy} | ${range(of('insertsPerSecond'))} | ${range(of('wallUs'))} | ` +
        `${range(of('cpuUs'))} | ${range(of('p99Us'))} | ${range(of('p999Us'))} | ` +
        `${range(
          of('maxUs').map((us) => us / 1000),
          1,
        )} | ${range(of('walMb'), 1)} |`,
    );
  }
}

if (!isMainThread) checkpointWorker(workerData);
else if (process.argv[2] === 'child')
  insertLoop(process.argv[3], process.argv[4], Number(process.argv[5]));
else
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
