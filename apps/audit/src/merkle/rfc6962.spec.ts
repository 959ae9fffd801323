import { createHash } from 'node:crypto';

import fc from 'fast-check';

import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  inMemoryRangeHash,
  leafHash,
  merkleTreeHash,
  perfectSubtrees,
  subtreeRangeHash,
  verifyConsistency,
  verifyInclusion,
} from './rfc6962';

const hex = (h: string) => Buffer.from(h, 'hex');
const hexes = (proof: readonly Buffer[]) => proof.map((p) => p.toString('hex'));

// Test vectors copied from github.com/transparency-dev/merkle: testonly/constants.go (LeafInputs,
// RootHashes, EmptyRootHash) and proof/verify_test.go (inclusionProofs, consistencyProofs; their leaf
// numbers are 1-based, converted to 0-based indexes here).
const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const ROOTS_BY_SIZE = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
const INCLUSION = [
  { index: 0, size: 1, proof: [] as string[] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY = [
  { first: 1, second: 1, proof: [] as string[] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const leaves = LEAF_INPUTS.map(leafHash);
const mth = inMemoryRangeHash(leaves);
const root = (size: number) => hex(ROOTS_BY_SIZE[size]);

/** Leaf hashes of `n` distinct leaves. */
const leafHashesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

/** A copy of `proof` with one bit of element `at` flipped. */
function flipped(proof: readonly Buffer[], at: number, bit: number): Buffer[] {
  return proof.map((p, i) => {
    if (i !== at) return p;
    const copy = Buffer.from(p);
    copy[bit >> 3] ^= 1 << (bit & 7);
    return copy;
  });
}

describe('RFC 6962 hashing against published vectors', () => {
  it('hashes leaves with the 0x00 prefix and nodes with 0x01', () => {
    expect(leaves.map((l) => l.toString('hex'))).toEqual(LEAF_HASHES);
    const expected = createHash('sha256').update(Buffer.of(1)).update(leaves[0]).update(leaves[1]).digest();
    expect(root(2)).toEqual(expected);
  });

  it('gives the published root of every size from 0 to 8', () => {
    expect(EMPTY_ROOT).toEqual(root(0));
    for (let size = 0; size <= 8; size++) {
      expect(merkleTreeHash(leaves.slice(0, size)).toString('hex')).toBe(ROOTS_BY_SIZE[size]);
    }
  });

  it.each(INCLUSION)(
    'builds and verifies the published inclusion proof of leaf $index in size $size',
    (v) => {
      const m = inMemoryRangeHash(leaves.slice(0, v.size));
      const proof = inclusionProof(v.index, v.size, m);
      expect(hexes(proof)).toEqual(v.proof);
      expect(verifyInclusion(v.index, v.size, leaves[v.index], proof, root(v.size))).toBe(true);
      expect(verifyInclusion(v.index, v.size, leaves[v.index], proof, root(v.size - 1))).toBe(false);
      if (v.size > 1)
        expect(verifyInclusion(v.index ^ 1, v.size, leaves[v.index], proof, root(v.size))).toBe(false);
      expect(verifyInclusion(v.index, v.size, leaves[v.index], [...proof, root(v.size)], root(v.size))).toBe(
        false,
      );
    },
  );

  it.each(CONSISTENCY)('builds and verifies the published consistency proof $first -> $second', (v) => {
    const proof = consistencyProof(v.first, v.second, inMemoryRangeHash(leaves.slice(0, v.second)));
    expect(hexes(proof)).toEqual(v.proof);
    expect(verifyConsistency(v.first, v.second, proof, root(v.first), root(v.second))).toBe(true);
    if (proof.length > 0) {
      expect(verifyConsistency(v.first, v.second, proof, root(v.second), root(v.first))).toBe(false);
      expect(verifyConsistency(v.first, v.second, proof.slice(0, -1), root(v.first), root(v.second))).toBe(
        false,
      );
      expect(verifyConsistency(v.first - 1, v.second, proof, root(v.first), root(v.second))).toBe(false);
    }
  });

  it('refuses the trivial cases RFC 9162 rules out', () => {
    const some = hex(ROOTS_BY_SIZE[3]);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(true);
    expect(verifyConsistency(0, 5, [], EMPTY_ROOT, root(5))).toBe(true);
    expect(verifyConsistency(0, 5, [some], EMPTY_ROOT, root(5))).toBe(false);
    expect(verifyConsistency(3, 3, [], root(3), root(4))).toBe(false);
    expect(verifyConsistency(3, 2, [], root(3), root(2))).toBe(false);
    expect(verifyConsistency(1, 2, [], root(1), root(2))).toBe(false);
    expect(verifyInclusion(0, 0, leaves[0], [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(2, 1, leaves[0], [], root(1))).toBe(false);
    expect(() => inclusionProof(3, 3, mth)).toThrow(RangeError);
    expect(() => consistencyProof(4, 3, mth)).toThrow(RangeError);
  });
});

describe('proofs from stored complete subtrees', () => {
  it('covers a range with aligned complete subtrees whose fold is the range hash', () => {
    expect(perfectSubtrees(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    const hashes = leafHashesOf(300);
    const direct = inMemoryRangeHash(hashes);
    const stored = subtreeRangeHash(({ level, index }) =>
      direct(index * 2 ** level, (index + 1) * 2 ** level),
    );
    for (const size of [1, 2, 3, 5, 64, 255, 256, 257, 300]) expect(stored(0, size)).toEqual(direct(0, size));
  });
});

describe('RFC 6962 proofs, property-based', () => {
  const sizes = fc
    .integer({ min: 1, max: 300 })
    .chain((size) =>
      fc.record({ size: fc.constant(size), a: fc.nat(size - 1), bit: fc.nat(255), pick: fc.nat() }),
    );

  it('verifies every inclusion proof, and fails when any bit of it is flipped', () => {
    fc.assert(
      fc.property(sizes, ({ size, a: index, bit, pick }) => {
        const hashes = leafHashesOf(size);
        const proof = inclusionProof(index, size, inMemoryRangeHash(hashes));
        const treeRoot = merkleTreeHash(hashes);
        expect(verifyInclusion(index, size, hashes[index], proof, treeRoot)).toBe(true);
        if (proof.length > 0) {
          const bad = flipped(proof, pick % proof.length, bit);
          expect(verifyInclusion(index, size, hashes[index], bad, treeRoot)).toBe(false);
        }
        expect(verifyInclusion(index, size, flipped([hashes[index]], 0, bit)[0], proof, treeRoot)).toBe(
          false,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('verifies every consistency proof, and fails when any bit of it is flipped', () => {
    fc.assert(
      fc.property(sizes, ({ size: second, a, bit, pick }) => {
        const first = a + 1;
        const hashes = leafHashesOf(second);
        const proof = consistencyProof(first, second, inMemoryRangeHash(hashes));
        const firstRoot = merkleTreeHash(hashes.slice(0, first));
        const secondRoot = merkleTreeHash(hashes);
        expect(verifyConsistency(first, second, proof, firstRoot, secondRoot)).toBe(true);
        if (proof.length > 0) {
          const bad = flipped(proof, pick % proof.length, bit);
          expect(verifyConsistency(first, second, bad, firstRoot, secondRoot)).toBe(false);
          const otherRoot = flipped([firstRoot], 0, bit)[0];
          expect(verifyConsistency(first, second, proof, otherRoot, secondRoot)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
