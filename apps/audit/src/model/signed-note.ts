import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** Signature type bytes of C2SP signed-note: Ed25519, and timestamped Ed25519 witness cosignatures. */
export const ED25519_TYPE = 0x01;
export const COSIGNATURE_TYPE = 0x04;

/** The 32-byte RFC 8032 encoding of an Ed25519 public key (the tail of its SPKI DER). */
export function rawEd25519PublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
}

/** C2SP signed-note key ID: SHA-256(key name ‖ 0x0A ‖ type ‖ 32-byte public key)[:4] (type 0x01: Ed25519). */
export function noteKeyId(keyName: string, publicKey: KeyObject, type: number = ED25519_TYPE): Buffer {
  return createHash('sha256')
    .update(`${keyName}\n`, 'utf8')
    .update(Buffer.of(type))
    .update(rawEd25519PublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

/** C2SP tlog-checkpoint body: origin, decimal tree size, base64 root hash, each ending in a newline. */
export function checkpointBody(origin: string, size: number, root: Buffer): string {
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

/** A signed note: the text, a blank line, and `— <key name> base64(key ID ‖ Ed25519 signature)`. */
export function signNote(text: string, keyName: string, privateKey: KeyObject, publicKey: KeyObject): string {
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const blob = Buffer.concat([noteKeyId(keyName, publicKey), signature]).toString('base64');
  return `${text}\n\u2014 ${keyName} ${blob}\n`;
}

/** The note's text when `keyName`'s key signed it, else null (signatures of other keys are ignored). */
export function openNote(note: string, keyName: string, publicKey: KeyObject): string | null {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const keyId = noteKeyId(keyName, publicKey);
  for (const line of note.slice(split + 2).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match || match[1] !== keyName) continue;
    const blob = Buffer.from(match[2], 'base64');
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(keyId)) continue;
    return verify(null, Buffer.from(text, 'utf8'), publicKey, blob.subarray(4)) ? text : null;
  }
  return null;
}
