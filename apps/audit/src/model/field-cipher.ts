import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

import { canonicalJson } from './canonical-json';

/**
 * Personal fields of a stored event are replaced by an envelope string
 * `vigil-enc:v1:<key_id>:<base64url(nonce ‖ ciphertext ‖ tag)>`: AES-256-GCM under the data key
 * `key_id` names (one per data subject and bucket, see SubjectKeys), over the canonical JSON of the
 * value, with the field's path as associated data (an envelope cannot be moved to another field). The envelope is what the chain and the Merkle leaf hash, so destroying the
 * key erases the value and leaves every proof intact.
 */
export const ENVELOPE_PREFIX = 'vigil-enc:v1:';

/** What reads show for a field whose key was destroyed. */
export const ERASED = '[ERASED]';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{22}$/;

/** An unwrapped data key, ready to seal and open fields. */
export interface DataKey {
  keyId: string;
  /** AES-256-GCM key of the fields. */
  encryption: Buffer;
  /** HMAC key deriving each field's nonce from its content (so a re-delivered event seals identically). */
  nonce: Buffer;
  /** Envelopes already made under this key, by path and plaintext (a subject's id is sealed again and again). */
  sealed: Map<string, string>;
}

/** Envelopes remembered per key: enough for a subject's ids and a few recurring values. */
const SEALED_PER_KEY = 64;

export function newKeyId(): string {
  return randomBytes(16).toString('base64url');
}

/** The data key's two sub-keys, derived from its 32 random bytes. */
export function dataKey(keyId: string, material: Buffer): DataKey {
  return {
    keyId,
    encryption: createHmac('sha256', material).update('vigil-audit field encryption').digest(),
    nonce: createHmac('sha256', material).update('vigil-audit field nonce').digest(),
    sealed: new Map(),
  };
}

/**
 * Seals one value: deterministic authenticated encryption (a synthetic IV). The nonce is an HMAC of
 * (associated data, plaintext) under the key's nonce sub-key, so the same value in the same field under
 * the same key always yields the same envelope: a re-delivered event seals identically (the ingest's
 * duplicate check still compares stored and re-delivered copies), repeated values are sealed once per key
 * (the hot path of ingest), and two different plaintexts never share a nonce. What it reveals is that two
 * sealed values of one subject in one field are equal, which the column token already says for ids.
 */
export function sealValue(key: DataKey, associated: string, value: unknown): string {
  const text = canonicalJson(value);
  const memo = `${associated}\u0000${text}`;
  const known = key.sealed.get(memo);
  if (known !== undefined) return known;
  const plaintext = Buffer.from(text, 'utf8');
  const nonce = createHmac('sha256', key.nonce)
    .update(associated)
    .update('\0')
    .update(plaintext)
    .digest()
    .subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.encryption, nonce);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const envelope = `${ENVELOPE_PREFIX}${key.keyId}:${body.toString('base64url')}`;
  if (key.sealed.size >= SEALED_PER_KEY) key.sealed.clear();
  key.sealed.set(memo, envelope);
  return envelope;
}

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/** The key id an envelope was sealed under, or null for a string that is not a well-formed envelope. */
export function envelopeKeyId(envelope: string): string | null {
  if (!envelope.startsWith(ENVELOPE_PREFIX)) return null;
  const keyId = envelope.slice(ENVELOPE_PREFIX.length, ENVELOPE_PREFIX.length + 22);
  return KEY_ID.test(keyId) && envelope[ENVELOPE_PREFIX.length + 22] === ':' ? keyId : null;
}

/**
 * What the indexed column (actor_id, resource_id) of a sealed id holds: `vigil-enc:v1:<key_id>`. It is
 * derived from the hashed event (so verification checks it like any column) and is the equality
 * search's blind index: a search for a subject looks up its key ids. Once the key is gone nothing links
 * the token to a person.
 */
export function columnToken(value: string): string {
  const keyId = envelopeKeyId(value);
  return keyId === null ? value : `${ENVELOPE_PREFIX}${keyId}`;
}

export function tokenOfKey(keyId: string): string {
  return `${ENVELOPE_PREFIX}${keyId}`;
}

/** Opens one envelope; throws when it was not sealed by this key for this place (tampered or moved). */
export function openValue(key: DataKey, associated: string, envelope: string): unknown {
  const body = Buffer.from(envelope.slice(ENVELOPE_PREFIX.length + 23), 'base64url');
  if (body.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed field is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key.encryption, body.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  const plaintext = Buffer.concat([
    decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)),
    decipher.final(),
  ]);
  return JSON.parse(plaintext.toString('utf8')) as unknown;
}
