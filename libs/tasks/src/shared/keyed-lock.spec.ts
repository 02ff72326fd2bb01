import { KeyedLock } from './keyed-lock';

describe('KeyedLock', () => {
  it('runs sections for one key one after another, other keys in parallel', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const section = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      lock.run(1, section('a', 20)),
      lock.run(1, section('b', 1)),
      lock.run(2, section('c', 1)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events.indexOf('b start')).toBeGreaterThan(events.indexOf('a end'));
    expect(events.indexOf('c end')).toBeLessThan(events.indexOf('a end'));
  });

  it('keeps going after a section fails', async () => {
    const lock = new KeyedLock();
    await expect(lock.run(1, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(lock.run(1, async () => 'ok')).resolves.toBe('ok');
  });

  it('runs a section queued behind one that fails', async () => {
    const lock = new KeyedLock();
    const failing = lock.run(1, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('x');
    });
    const next = lock.run(1, async () => 'ok');
    await expect(failing).rejects.toThrow('x');
    await expect(next).resolves.toBe('ok');
  });

  it('queues a section behind the one running once those before it have finished', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = lock.run(1, async () => events.push('a'));
    const second = lock.run(1, async () => {
      events.push('b start');
      await gate;
      events.push('b end');
    });
    await first;
    const third = lock.run(1, async () => events.push('c'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all([second, third]);
    expect(events).toEqual(['a', 'b start', 'b end', 'c']);
  });
});
