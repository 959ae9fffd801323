import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * The console checks an event's place in its Merkle log itself, from what the audit service serves
 * (apps/audit README, "Merkle log"): it does not take the service's word that the event is included.
 */

/** Canonical JSON as the audit service hashes it: keys sorted by UTF-16 code units, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 leaf hash of a stored record: SHA-256(0x00 ‖ canonical JSON of its chain fields). */
export function leafHashOf(record: {
  category: string;
  event: unknown;
  id: string;
  received_at: string;
  seq: number;
}): Buffer {
  const bytes = Buffer.from(canonicalJson(record), 'utf8');
  return sha256(Buffer.of(0), bytes);
}

const node = (left: Buffer, right: Buffer) => sha256(Buffer.of(1), left, right);

/**
 * One step up the tree (RFC 9162 §2.1.3.2 and §2.1.4.2): whether the next proof hash is a left sibling,
 * and the indexes of the node and of the tree's last node one level up.
 */
function climb(fn: number, sn: number): { left: boolean; fn: number; sn: number } {
  const left = fn % 2 === 1 || fn === sn;
  if (left && fn % 2 === 0) {
    while (fn % 2 === 0 && fn !== 0) {
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
  }
  return { left, fn: Math.floor(fn / 2), sn: Math.floor(sn / 2) };
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof is malformed. */
export function rootFromInclusion(
  index: number,
  size: number,
  leafHash: Buffer,
  proof: readonly Buffer[],
): Buffer | null {
  if (index >= size) return null;
  let step = { fn: index, sn: size - 1 };
  let r = leafHash;
  for (const p of proof) {
    if (step.sn === 0) return null;
    const up = climb(step.fn, step.sn);
    r = up.left ? node(p, r) : node(r, p);
    step = up;
  }
  return step.sn === 0 ? r : null;
}

/** RFC 9162 §2.1.4.2: whether the tree of `first` leaves (firstRoot) is a prefix of the one of `second`. */
export function consistencyHolds(
  first: number,
  second: number,
  proof: readonly Buffer[],
  firstRoot: Buffer,
  secondRoot: Buffer,
): boolean {
  if (first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let power = 1;
  while (power < first) power *= 2;
  const path = power === first ? [firstRoot, ...proof] : [...proof];
  let step = { fn: first - 1, sn: second - 1 };
  while (step.fn % 2 === 1) step = { fn: Math.floor(step.fn / 2), sn: Math.floor(step.sn / 2) };
  let fr = path[0] ?? firstRoot;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (step.sn === 0) return false;
    const up = climb(step.fn, step.sn);
    if (up.left) {
      fr = node(c, fr);
      sr = node(c, sr);
    } else {
      sr = node(sr, c);
    }
    step = up;
  }
  return step.sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/** What a C2SP signed checkpoint note says, when `keyName`'s Ed25519 key signed it; else null. */
export function openCheckpointNote(
  note: string,
  keyName: string,
  publicKeyPem: string,
): { origin: string; size: number; root: Buffer } | null {
  const split = note.indexOf('\n\n');
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const publicKey = createPublicKey(publicKeyPem);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyId = sha256(Buffer.from(`${keyName}\n`, 'utf8'), Buffer.of(1), raw).subarray(0, 4);
  const signed = note
    .slice(split + 2)
    .split('\n')
    .some((line) => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!match || match[1] !== keyName) return false;
      const blob = Buffer.from(match[2] ?? '', 'base64');
      if (blob.length !== 68 || !blob.subarray(0, 4).equals(keyId)) return false;
      return verify(null, Buffer.from(text, 'utf8'), publicKey, blob.subarray(4));
    });
  if (!signed) return null;
  const [origin, sizeText, rootText] = text.split('\n');
  if (origin === undefined || !/^\d+$/.test(sizeText ?? '') || rootText === undefined) return null;
  return { origin, size: Number(sizeText), root: Buffer.from(rootText, 'base64') };
}

export interface InclusionEvidence {
  record: { category: string; event: unknown; id: string; received_at: string; seq: number };
  proof: { leaf_index: number; tree_size: number; leaf_hash: string; proof: readonly string[] };
  checkpoint: { key_name: string; note: string };
  publicKeyPem: string;
}

export type InclusionVerdict = { ok: true; size: number; root: string } | { ok: false; reason: string };

/**
 * Checks, in this order: the record hashes to the proof's leaf, the leaf sits at seq - 1, the proof
 * folds to a root, and that root and size are the ones the checkpoint note signed with the audit key.
 */
export function checkInclusion(evidence: InclusionEvidence): InclusionVerdict {
  const { record, proof, checkpoint } = evidence;
  const leaf = leafHashOf(record);
  if (leaf.toString('hex') !== proof.leaf_hash)
    return { ok: false, reason: 'the event does not hash to the proof’s leaf' };
  if (proof.leaf_index !== record.seq - 1)
    return { ok: false, reason: `the proof is for leaf ${proof.leaf_index}, not seq ${record.seq}` };
  const root = rootFromInclusion(
    proof.leaf_index,
    proof.tree_size,
    leaf,
    proof.proof.map((hash) => Buffer.from(hash, 'hex')),
  );
  if (root === null) return { ok: false, reason: 'the inclusion proof is malformed' };
  let note: ReturnType<typeof openCheckpointNote>;
  try {
    note = openCheckpointNote(checkpoint.note, checkpoint.key_name, evidence.publicKeyPem);
  } catch {
    note = null;
  }
  if (note === null)
    return { ok: false, reason: 'the checkpoint’s signature does not verify with the audit public key' };
  if (note.size !== proof.tree_size)
    return { ok: false, reason: `the proof is for size ${proof.tree_size}, the checkpoint for ${note.size}` };
  if (!note.root.equals(root))
    return { ok: false, reason: 'the proof leads to another root than the signed checkpoint’s' };
  return { ok: true, size: note.size, root: root.toString('hex') };
}

export interface GrowthEvidence {
  first: number;
  /** The root the auditor holds for `first` (e.g. from an earlier report), else the service's. */
  firstRoot: Buffer;
  proof: readonly Buffer[];
  checkpoint: { key_name: string; note: string };
  publicKeyPem: string;
}

/** Whether the log at `first` leaves grew, append-only, into the signed checkpoint's tree. */
export function checkGrowth(evidence: GrowthEvidence): InclusionVerdict {
  let note: ReturnType<typeof openCheckpointNote>;
  try {
    note = openCheckpointNote(evidence.checkpoint.note, evidence.checkpoint.key_name, evidence.publicKeyPem);
  } catch {
    note = null;
  }
  if (note === null)
    return { ok: false, reason: 'the checkpoint’s signature does not verify with the audit public key' };
  if (evidence.first > note.size)
    return { ok: false, reason: `size ${evidence.first} is beyond the signed size ${note.size}` };
  if (!consistencyHolds(evidence.first, note.size, evidence.proof, evidence.firstRoot, note.root)) {
    return {
      ok: false,
      reason: `the tree of ${evidence.first} leaves is not a prefix of the signed tree of ${note.size}`,
    };
  }
  return { ok: true, size: note.size, root: note.root.toString('hex') };
}
