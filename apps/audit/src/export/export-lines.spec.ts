import { inclusionProof, inMemoryRangeHash, merkleTreeHash } from '../merkle/rfc6962';
import { canonicalJson } from '../model/canonical-json';
import { recordLeafHash } from './export-format';
import { RangeChecker, type CheckedLog } from './export-lines';

/** Event lines for `indexes` of a security log of `size` records, as the export writes them. */
function exportOf(size: number, indexes: readonly number[]) {
  const records = Array.from({ length: size }, (_, i) =>
    canonicalJson({
      category: 'security',
      seq: i + 1,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      received_at: '2026-12-01T10:00:00.000Z',
      event: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, n: i },
    }),
  );
  const leaves = records.map(recordLeafHash);
  const mth = inMemoryRangeHash(leaves);
  const log: CheckedLog = { category: 'security', rank: 0, size, root: merkleTreeHash(leaves) };
  const lines = indexes.map((index, i) => ({
    type: 'event',
    category: 'security',
    leaf_index: index,
    prev_leaf_index: i === 0 ? null : indexes[i - 1],
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    leaf_hash: leaves[index].toString('base64'),
    proof: inclusionProof(index, size, mth).map((p) => p.toString('base64')),
    record: records[index],
  }));
  return { log, lines };
}

function check(log: CheckedLog, lines: readonly object[]) {
  const checker = new RangeChecker(new Map([[log.category, log]]));
  for (const line of lines) if (!checker.check(JSON.stringify(line))) break;
  return checker.finish();
}

describe('RangeChecker: memoised inclusion proofs', () => {
  it.each([1, 2, 3, 7, 8, 100, 257])(
    'accepts every leaf of a log of %i, hashing each node about once',
    (size) => {
      const { log, lines } = exportOf(
        size,
        Array.from({ length: size }, (_, i) => i),
      );
      const result = check(log, lines);
      expect(result.bad).toBeNull();
      expect(result.lines).toBe(size);
      // A contiguous export recomputes the tree once: at most one hash per inner node (size - 1).
      expect(result.nodeHashes).toBeLessThanOrEqual(Math.max(0, size - 1));
    },
  );

  it('accepts scattered leaves and rejects any one proof step changed, naming that line', () => {
    const indexes = [0, 3, 4, 9, 31, 32, 33, 60, 99];
    const { log, lines } = exportOf(100, indexes);
    expect(check(log, lines).bad).toBeNull();
    for (const [at, line] of lines.entries()) {
      for (let step = 0; step < line.proof.length; step++) {
        const proof = [...line.proof];
        proof[step] = Buffer.alloc(32, step + 1).toString('base64');
        const tampered = lines.map((l, i) => (i === at ? { ...l, proof } : l));
        const result = check(log, tampered);
        expect(result.bad?.line).toBe(at + 1);
        expect(result.bad?.problem).toContain('inclusion proof does not lead');
      }
    }
  });

  it('rejects a proof that is right for another leaf, a short proof and a padded one', () => {
    const { log, lines } = exportOf(10, [2, 5]);
    const swapped = [lines[0], { ...lines[1], proof: lines[0].proof }];
    expect(check(log, swapped).bad?.line).toBe(2);
    expect(check(log, [{ ...lines[0], proof: lines[0].proof.slice(1) }]).bad?.line).toBe(1);
    expect(check(log, [{ ...lines[0], proof: [...lines[0].proof, lines[0].proof[0]] }]).bad?.line).toBe(1);
  });
});
