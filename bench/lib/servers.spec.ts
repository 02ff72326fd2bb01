import { residentMb } from './servers';

describe('residentMb', () => {
  it("reads a process's resident memory in MB", () => {
    const read = residentMb(process.pid);
    const expected = process.memoryUsage().rss / 1024 / 1024;
    expect(read).toBeGreaterThan(expected * 0.9);
    expect(read).toBeLessThan(expected * 1.1);
  });

  it('is undefined for a process that does not exist', () => {
    expect(residentMb(2 ** 22 + 1)).toBeUndefined();
  });
});
