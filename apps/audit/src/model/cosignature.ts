import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

import { COSIGNATURE_TYPE, ED25519_TYPE, noteKeyId, rawEd25519PublicKey } from './signed-note';

/** SPKI DER prefix of an Ed25519 public key; the 32-byte key follows. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A note verifier key: who signs (key name), with what (type 0x01 log key, 0x04 witness), its key ID. */
export interface VerifierKey {
  name: string;
  type: typeof ED25519_TYPE | typeof COSIGNATURE_TYPE;
  keyId: Buffer;
  publicKey: KeyObject;
}

/** One signature line of a note: `— <name> base64(key ID ‖ signature)`. */
export interface NoteSignature {
  name: string;
  blob: Buffer;
  line: string;
}

const KEY_NAME = /^[^\s+]+$/u;

export function isKeyName(name: string): boolean {
  return KEY_NAME.test(name);
}

/** The text form of a verifier key: `<name>+<8 hex digits of key ID>+base64(type ‖ 32-byte public key)`. */
export function verifierKeyText(name: string, publicKey: KeyObject, type: VerifierKey['type']): string {
  const material = Buffer.concat([Buffer.of(type), rawEd25519PublicKey(publicKey)]);
  return `${name}+${noteKeyId(name, publicKey, type).toString('hex')}+${material.toString('base64')}`;
}

/**
 * Parses a verifier key (golang.org/x/mod/sumdb/note's form, C2SP signed-note "vkey"): the name, the
 * key ID, and an Ed25519 key of type 0x01 (a log) or 0x04 (a tlog-cosignature witness). The key ID must
 * be the one the name and key give. Throws a message fit for a config error.
 */
export function parseVerifierKey(text: string): VerifierKey {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new Error('a verifier key is <name>+<key id>+<base64 key>');
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const material = Buffer.from(text.slice(second + 1), 'base64');
  if (!isKeyName(name)) throw new Error(`key name "${name}" must hold no spaces or "+"`);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw new Error(`key ID "${idHex}" must be 8 hex digits`);
  const type = material[0];
  if (material.length !== 33 || (type !== ED25519_TYPE && type !== COSIGNATURE_TYPE)) {
    throw new Error('the key must be base64 of type 0x01 or 0x04 and a 32-byte Ed25519 public key');
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, material.subarray(1)]),
    format: 'der',
    type: 'spki',
  });
  const keyId = noteKeyId(name, publicKey, type);
  if (keyId.toString('hex') !== idHex.toLowerCase()) {
    throw new Error(`key ID ${idHex} does not match the key (expected ${keyId.toString('hex')})`);
  }
  return { name, type, keyId, publicKey };
}

/** A note's text (up to and with the newline before the blank line) and its signature lines. */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } | null {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return null;
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2).split('\n')) {
    if (line === '') continue;
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) return null;
    signatures.push({ name: match[1], blob: Buffer.from(match[2], 'base64'), line });
  }
  return { text: note.slice(0, split + 1), signatures };
}

/** What a tlog-cosignature/v1 Ed25519 signature covers: the header, the time, then the checkpoint text. */
export function cosignedMessage(text: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
}

/** A witness's cosignature line over a checkpoint text, at `timestamp` (POSIX seconds). */
export function cosignatureLine(
  text: string,
  witness: { name: string; privateKey: KeyObject; publicKey: KeyObject },
  timestamp: number,
): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, cosignedMessage(text, timestamp), witness.privateKey);
  const keyId = noteKeyId(witness.name, witness.publicKey, COSIGNATURE_TYPE);
  return `\u2014 ${witness.name} ${Buffer.concat([keyId, time, signature]).toString('base64')}`;
}

/**
 * The timestamp of a witness's valid cosignature of `text` among the note's signatures; null when the
 * note has no line of that witness (same name and key ID); 'invalid' when it has one that does not verify.
 */
export function cosignatureOf(
  text: string,
  signatures: readonly NoteSignature[],
  witness: VerifierKey,
): { timestamp: number; line: string } | null | 'invalid' {
  const mine = signatures.find(
    (s) => s.name === witness.name && s.blob.length >= 4 && s.blob.subarray(0, 4).equals(witness.keyId),
  );
  if (!mine) return null;
  if (mine.blob.length !== 4 + 8 + 64) return 'invalid';
  const timestamp = mine.blob.readBigUInt64BE(4);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return 'invalid';
  const valid = verify(
    null,
    cosignedMessage(text, Number(timestamp)),
    witness.publicKey,
    mine.blob.subarray(12),
  );
  return valid ? { timestamp: Number(timestamp), line: mine.line } : 'invalid';
}

/** A C2SP tlog-checkpoint text: origin, size and root (the first three lines). */
export interface CheckpointText {
  origin: string;
  size: number;
  root: Buffer;
}

export function parseCheckpointText(text: string): CheckpointText | null {
  const [origin, sizeText, rootText] = text.split('\n');
  const root = Buffer.from(rootText ?? '', 'base64');
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(sizeText ?? '') || root.length !== 32) return null;
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size) || root.toString('base64') !== rootText) return null;
  return { origin, size, root };
}
