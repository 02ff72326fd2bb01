import { chmodSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { pingDatabase, refuseWritesWhileFileGone, rememberOpenedFile } from './ping-database';

describe('pingDatabase and refuseWritesWhileFileGone on a SQLite file', () => {
  let dir: string;
  let path: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ping-database-'));
    path = join(dir, 'app.sqlite');
    dataSource = await createDataSource(
      buildDataSourceOptions({
        type: 'sqlite',
        path,
        busyTimeoutMs: 5000,
        migrationsRun: false,
        pingTimeoutMs: 1000,
        connectRetries: 0,
      }),
    ).initialize();
    rememberOpenedFile(dataSource);
  });
  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers while the file is in place and writable', async () => {
    await expect(pingDatabase(dataSource)).resolves.toBeUndefined();
  });

  // Root may write any file (access(W_OK) says yes): the file's mode bits still say read-only.
  it('fails for a file made read-only, for root too, and answers again once it is writable', async () => {
    chmodSync(path, 0o444);
    await expect(pingDatabase(dataSource)).rejects.toThrow(
      process.getuid?.() === 0 ? `${path} is read-only` : /EACCES/,
    );
    chmodSync(path, 0o644);
    await expect(pingDatabase(dataSource)).resolves.toBeUndefined();
  });

  it('refuseWritesWhileFileGone warns when the file goes, and logs its return at info, not as a warning', async () => {
    const logged: [string, string][] = [];
    const until = async (count: number) => {
      for (let waited = 0; logged.length < count && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    refuseWritesWhileFileGone(dataSource, {
      warn: (message: string) => logged.push(['warn', message]),
      log: (message: string) => logged.push(['log', message]),
    });
    renameSync(path, `${path}.away`);
    await until(1);
    renameSync(`${path}.away`, path);
    await until(2);
    expect(logged).toEqual([
      ['warn', expect.stringContaining(`${path} is no longer the file the app opened`)],
      ['log', `${path} is back: writes are accepted again`],
    ]);
  });
});
