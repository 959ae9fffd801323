import { createHash } from 'node:crypto';
import fs from 'node:fs';

import { z } from 'zod';

/** A master key (AES-256, wraps the subject data keys) and its id, stored beside each key it wrapped. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/**
 * The well-known key used when development or test sets no AUDIT_MASTER_KEY (with a warning): stable
 * across restarts so a developer's events stay readable, and worthless as protection.
 */
export const DEVELOPMENT_MASTER_KEY = createHash('sha256')
  .update('vigil-audit development master key')
  .digest();

/** The key's id: the first 8 bytes of SHA-256 over a label and the key (reveals nothing of it). */
export function masterKeyId(key: Buffer): string {
  return `mk-${createHash('sha256').update('vigil-audit master key id\0').update(key).digest('hex').slice(0, 16)}`;
}

/** 32 bytes as base64 (standard or url) or hex; throws a message naming the expected form. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64')
      : null;
  if (!bytes || bytes.length !== 32) {
    throw new Error('must be 32 random bytes as base64 or 64 hex digits (openssl rand -base64 32)');
  }
  return bytes;
}

function keyText(parse: (text: string) => unknown) {
  return (value: string | undefined, ctx: z.RefinementCtx) => {
    if (value === undefined) return;
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  };
}

/** AUDIT_MASTER_KEY: the current master key. */
export const masterKeyText = z.string().min(1).optional().superRefine(keyText(parseMasterKey));

/** AUDIT_MASTER_KEY_FILE: a file holding the current master key (e.g. a mounted Kubernetes secret). */
export const masterKeyFile = z
  .string()
  .min(1)
  .optional()
  .superRefine(
    keyText((file) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      parseMasterKey(text);
    }),
  );

/** AUDIT_MASTER_KEY_PREVIOUS: retired master keys, comma-separated, still accepted to unwrap until re-wrapped. */
export const previousMasterKeys = z
  .string()
  .optional()
  .superRefine(keyText((text) => splitKeys(text).forEach(parseMasterKey)));

function splitKeys(text: string): string[] {
  return text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/** What the master key settings resolve to: the key new data keys are wrapped with, and the older ones. */
export interface MasterKeyRing {
  current: MasterKey;
  previous: MasterKey[];
  /** True when no key was configured and the development key is in use. */
  development: boolean;
}

export function masterKeyRing(settings: {
  AUDIT_MASTER_KEY?: string;
  AUDIT_MASTER_KEY_FILE?: string;
  AUDIT_MASTER_KEY_PREVIOUS?: string;
}): MasterKeyRing {
  const text =
    settings.AUDIT_MASTER_KEY ??
    (settings.AUDIT_MASTER_KEY_FILE === undefined
      ? undefined
      : fs.readFileSync(settings.AUDIT_MASTER_KEY_FILE, 'utf8'));
  const current = text === undefined ? DEVELOPMENT_MASTER_KEY : parseMasterKey(text);
  const previous = splitKeys(settings.AUDIT_MASTER_KEY_PREVIOUS ?? '').map(parseMasterKey);
  return {
    current: { id: masterKeyId(current), key: current },
    previous: previous.map((key) => ({ id: masterKeyId(key), key })),
    development: text === undefined,
  };
}
