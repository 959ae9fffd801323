import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

import type { AuditCategory } from './audit-category';
import { canonicalJson } from './canonical-json';

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The well-known key used when AUDIT_SIGNING_KEY is unset in development or test. It is stable across
 * restarts (so a dev trail keeps verifying) and public (so it proves nothing): the service warns at boot.
 */
export const DEVELOPMENT_SIGNING_SEED = createHash('sha256')
  .update('vigil-audit-development-signing-key')
  .digest();

export interface CheckpointSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  development: boolean;
}

export interface CheckpointPayload {
  category: AuditCategory;
  seq: number;
  hash: Buffer;
  kind: 'interval' | 'cut';
  created_at: string;
}

/** Parses a PEM or base64 (PKCS#8 DER) Ed25519 private key; throws a message fit for a config error. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('must be an Ed25519 private key');
  return key;
}

/** Parses a PEM or base64 (SPKI DER) Ed25519 public key. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('must be an Ed25519 public key');
  return key;
}

/** First 16 hex digits of SHA-256 of the SPKI DER: names the key a checkpoint was signed with. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

export function signingKey(configured: string | undefined): CheckpointSigningKey {
  const privateKey = configured
    ? parsePrivateKey(configured)
    : createPrivateKey({
        key: Buffer.concat([PKCS8_ED25519_PREFIX, DEVELOPMENT_SIGNING_SEED]),
        format: 'der',
        type: 'pkcs8',
      });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), development: configured === undefined };
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointMessage(payload: CheckpointPayload): Buffer {
  return Buffer.from(
    canonicalJson({
      category: payload.category,
      seq: payload.seq,
      hash: payload.hash.toString('hex'),
      kind: payload.kind,
      created_at: payload.created_at,
    }),
    'utf8',
  );
}

export function signCheckpoint(key: CheckpointSigningKey, payload: CheckpointPayload): Buffer {
  return sign(null, checkpointMessage(payload), key.privateKey);
}

export function checkpointSignatureValid(
  publicKey: KeyObject,
  payload: CheckpointPayload,
  signature: Buffer,
): boolean {
  try {
    return verify(null, checkpointMessage(payload), publicKey, signature);
  } catch {
    return false;
  }
}
