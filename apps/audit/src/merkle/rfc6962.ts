import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 Merkle trees (SHA-256), with the verification algorithms of RFC 9162 §2.1.3.2 and
 * §2.1.4.2. Sizes and indexes are plain numbers: exact up to 2^53, and only arithmetic (never the 32-bit
 * bitwise operators) touches them.
 *
 * Proofs are built from a `RangeHash`: the Merkle tree hash of leaves [start, end). In memory that is
 * the literal recursion over the leaf hashes; over storage it is a fold of the complete subtrees that
 * cover the range (`perfectSubtrees`), so a proof reads O(log n) stored nodes.
 */

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

export const HASH_SIZE = 32;

/** SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(data).digest();
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
}

/** Largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** The Merkle tree hash of leaves [start, end) of a tree. */
export type RangeHash = (start: number, end: number) => Buffer;

/** One complete subtree: the 2^level leaves [index·2^level, (index+1)·2^level). */
export interface SubtreeId {
  level: number;
  index: number;
}

/** MTH(D[n]) over leaf hashes held in memory: the literal recursion of RFC 6962 §2.1. */
export function merkleTreeHash(leaves: readonly Buffer[]): Buffer {
  return inMemoryRangeHash(leaves)(0, leaves.length);
}

export function inMemoryRangeHash(leaves: readonly Buffer[]): RangeHash {
  const mth: RangeHash = (start, end) => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return leaves[start];
    const k = splitPoint(n);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth;
}

/**
 * The complete subtrees covering [start, end), left to right: greedily the largest aligned power of two.
 * For the ranges RFC 6962 proofs use (start aligned to a power of two above the range's size) their
 * sizes strictly decrease, and the range's hash is the right fold of theirs (`foldSubtrees`).
 */
export function perfectSubtrees(start: number, end: number): SubtreeId[] {
  const ids: SubtreeId[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    ids.push({ level, index: at / size });
    at += size;
  }
  return ids;
}

/** MTH of a range from its complete subtrees' hashes (left to right, sizes decreasing). */
export function foldSubtrees(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i], acc);
  return acc;
}

/** A RangeHash over stored complete-subtree hashes. */
export function subtreeRangeHash(subtree: (id: SubtreeId) => Buffer): RangeHash {
  return (start, end) => foldSubtrees(perfectSubtrees(start, end).map(subtree));
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, mth: RangeHash): Buffer[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  }
  const path = (m: number, start: number, end: number): Buffer[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), mth(start + k, end)]
      : [...path(m - k, start + k, end), mth(start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 6962 §2.1.2: the consistency proof from the tree of `first` leaves to `second`. */
export function consistencyProof(first: number, second: number, mth: RangeHash): Buffer[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    throw new RangeError(`no consistency proof from size ${first} to size ${second}`);
  }
  if (first === 0 || first === second) return [];
  const subproof = (m: number, start: number, end: number, complete: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [mth(start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), mth(start + k, end)]
      : [...subproof(m - k, start + k, end, false), mth(start, start + k)];
  };
  return subproof(first, 0, second, true);
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof cannot be one. */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer | null {
  if (index < 0 || index >= size || leaf.length !== HASH_SIZE) return null;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_SIZE) return null;
    const step = climb(fn, sn);
    r = step.siblingOnLeft ? nodeHash(p, r) : nodeHash(r, p);
    ({ fn, sn } = step);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && computed.equals(root);
}

/** RFC 9162 §2.1.4.2, with the trivial cases (first = 0, first = second) that need an empty proof. */
export function verifyConsistency(
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    const step = climb(fn, sn);
    if (step.siblingOnLeft) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
    ({ fn, sn } = step);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/**
 * One step of RFC 9162's walk from a node (fn) up to the root of the tree whose last node is sn: the
 * sibling hash is on the left when fn is a right child or the last node of its level (then the levels
 * where it has no sibling are skipped); both indexes then move up one level.
 */
function climb(fn: number, sn: number): { siblingOnLeft: boolean; fn: number; sn: number } {
  const siblingOnLeft = isOdd(fn) || fn === sn;
  if (siblingOnLeft && !isOdd(fn)) {
    while (!isOdd(fn) && fn !== 0) {
      fn = half(fn);
      sn = half(sn);
    }
  }
  return { siblingOnLeft, fn: half(fn), sn: half(sn) };
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
