import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstHealthyTimes, ok, run } from '../../tools/compose/docker';
import { freePort } from '../../tools/testing/free-port';
import { compare, Figure } from '../lib/figure';
import { ROOT } from '../lib/servers';
import { summarize } from '../lib/stats';

const PROJECT = 'nest-tasks-bench';
const IMAGE = `nest-tasks-api:${PROJECT}`;
const RUNTIME_BASE = 'node:24-bookworm-slim';
const LAB = [join(ROOT, '../shared/docker-lab/up.sh'), '/work/shared/docker-lab/up.sh'];

/**
 * The environment for the docker-lab, whose dockerd outlives the run: without the run's TMPDIR,
 * a folder the run removes at its end. dockerd passes TMPDIR on to runc, which writes each
 * `docker exec` there, so every healthcheck after the run would fail (`OCI runtime exec
 * failed: open …/runc-process…: no such file or directory`) and every stack stay unhealthy.
 */
export function daemonEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const daemonEnv = { ...env };
  delete daemonEnv.TMPDIR;
  return daemonEnv;
}

/** A Docker engine: the running one, or the docker-lab started for the occasion. */
function ensureDocker(log: (line: string) => void): boolean {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0) return true;
  const lab = LAB.find((path) => existsSync(path));
  if (!lab) return false;
  log(`starting the docker-lab (${lab})`);
  const env = daemonEnvironment(process.env);
  return spawnSync('bash', [lab], { stdio: 'inherit', env }).status === 0;
}

/** P6 (api healthy after db healthy, from a cold `up --wait`) and P7 (bytes the image adds). */
export async function dockerFigures(
  rounds: number,
  log: (line: string) => void,
): Promise<Figure[]> {
  if (!ensureDocker(log)) {
    const skipped = summarize([NaN]);
    const note = 'skipped: no Docker engine (see ../shared/docker-lab)';
    return [
      {
        id: 'P6',
        what: 'api healthy after db healthy',
        unit: 's',
        subject: skipped,
        target: '<= 3 s',
        note,
      },
      {
        id: 'P7',
        what: 'runtime image: added over the base',
        unit: 'MB',
        subject: skipped,
        target: '<= 100 MB',
        note,
      },
    ];
  }
  const envFile = join(mkdtempSync(join(tmpdir(), 'bench-docker-')), 'bench.env');
  writeFileSync(
    envFile,
    `POSTGRES_USER=bench\nPOSTGRES_PASSWORD=bench-password\nPOSTGRES_DB=bench\nAPI_PORT=${await freePort()}\nAPI_IMAGE=${IMAGE}\n`,
  );
  const compose = (...args: string[]) =>
    run('docker', ['compose', '-p', PROJECT, '--env-file', envFile, ...args], { cwd: ROOT });
  const seconds: number[] = [];
  try {
    log('P6/P7 building the image');
    ok('docker', ['compose', '-p', PROJECT, '--env-file', envFile, 'build', 'api'], { cwd: ROOT });
    for (let i = 0; i < rounds; i++) {
      log(`P6 cold start ${i + 1}/${rounds}`);
      compose('down', '-v', '--remove-orphans');
      const started = new Date();
      const up = compose('up', '-d', '--wait');
      if (up.code !== 0) throw new Error(`docker compose up failed: ${up.stderr}`);
      const healthy = firstHealthyTimes(PROJECT, started);
      seconds.push((healthy.get('api')! - healthy.get('db')!) / 1000);
    }
  } finally {
    compose('down', '-v', '--remove-orphans');
  }
  const size = (image: string) =>
    Number(ok('docker', ['image', 'inspect', '--format', '{{.Size}}', image]).stdout.trim());
  const addedMb = (size(IMAGE) - size(RUNTIME_BASE)) / 1e6;
  return [
    compare(
      {
        id: 'P6',
        what: 'Compose: api healthy after db healthy (cold up --wait)',
        unit: 's',
        subject: summarize(seconds),
        target: '<= 3 s',
      },
      (value) => value <= 3,
    ),
    compare(
      {
        id: 'P7',
        what: `runtime image: added over ${RUNTIME_BASE}`,
        unit: 'MB',
        subject: summarize([addedMb]),
        target: '<= 100 MB',
      },
      (value) => value <= 100,
    ),
  ];
}
