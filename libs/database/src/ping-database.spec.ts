import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { pingDatabase, rememberOpenedFile } from './ping-database';

describe('pingDatabase on a SQLite file', () => {
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
});
