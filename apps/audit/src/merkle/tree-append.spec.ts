import { appendLeaves, type TreeNode } from './tree-append';
import { inMemoryRangeHash, leafHash, merkleTreeHash, perfectSubtrees } from './rfc6962';

const leaves = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => leafHash(Buffer.from(`leaf ${from + i}`)));

describe('appendLeaves', () => {
  it('grows a tree in uneven steps to the same root and stores every complete subtree once', () => {
    let frontier: TreeNode[] = [];
    let size = 0;
    const stored = new Map<string, Buffer>();
    for (const step of [1, 2, 5, 1, 8, 13, 100, 3]) {
      const grown = appendLeaves(frontier, size, leaves(size, size + step));
      for (const n of grown.nodes) {
        const key = `${n.level}:${n.index}`;
        expect(stored.has(key)).toBe(false);
        stored.set(key, n.hash);
      }
      ({ frontier, size } = grown);
      expect(grown.root).toEqual(merkleTreeHash(leaves(0, size)));
      expect(frontier.map(({ level, index }) => ({ level, index }))).toEqual(perfectSubtrees(0, size));
    }
    const mth = inMemoryRangeHash(leaves(0, size));
    for (const [key, hash] of stored) {
      const [level, index] = key.split(':').map(Number);
      expect(hash).toEqual(mth(index * 2 ** level, (index + 1) * 2 ** level));
    }
    // Every complete subtree of a 133-leaf tree: 133 + 66 + 33 + 16 + 8 + 4 + 2 + 1.
    expect(stored.size).toBe(263);
  });
});
