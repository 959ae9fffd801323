import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes a lone item at once and items arriving meanwhile together in the next write', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const commit = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = commit.submit(1);
    const rest = [commit.submit(2), commit.submit(3)];
    expect(writes).toEqual([[1]]);
    release();
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('rejects every caller of a failed write and keeps writing later items', async () => {
    let fail = true;
    const commit = new GroupCommit<string>(() =>
      fail ? Promise.reject(new Error('database down')) : Promise.resolve(),
    );
    await expect(commit.submit('a')).rejects.toThrow('database down');
    fail = false;
    await expect(commit.submit('b')).resolves.toBeUndefined();
  });

  it('with lingerMs, holds a lone item so that items arriving within the window share its write', async () => {
    const writes: number[][] = [];
    const commit = new GroupCommit<number>(
      (items) => {
        writes.push(items);
        return Promise.resolve();
      },
      1,
      30,
    );
    const first = commit.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = commit.submit(2);
    expect(writes).toEqual([]);
    await Promise.all([first, second]);
    expect(writes).toEqual([[1, 2]]);
  });

  it('close() writes what is lingering at once and waits for it', async () => {
    const writes: string[][] = [];
    const commit = new GroupCommit<string>(
      (items) => {
        writes.push(items);
        return Promise.resolve();
      },
      1,
      60_000,
    );
    const pending = commit.submit('a');
    await commit.close();
    await pending;
    expect(writes).toEqual([['a']]);
  });
});
