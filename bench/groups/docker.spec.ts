import { daemonEnvironment } from './docker';

describe('daemonEnvironment', () => {
  it("leaves out the run's TMPDIR, which the run removes while the daemon it starts lives on", () => {
    // dockerd hands its TMPDIR to runc, which writes every `docker exec` (healthchecks
    // included) there: with the folder gone, every healthcheck failed after the bench.
    const env = daemonEnvironment({ PATH: '/usr/bin', TMPDIR: '/tmp/nest-tasks-bench-x', A: '1' });
    expect(env).toEqual({ PATH: '/usr/bin', A: '1' });
  });
});
