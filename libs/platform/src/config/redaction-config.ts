import { readFileSync } from 'node:fs';

import {
  parseRedactionPolicy,
  readRedactionPolicy,
  type RedactionPolicy,
  RedactionPolicyError,
} from '@vigil/redaction';
import { z } from 'zod';

import { ConfigError } from './config-error';

/** The service's redaction policy (libs/redaction/README.md, "Policy from configuration"). */
export const redactionConfigShape = {
  /** Inline JSON (`{"strategies":{"email":"hash"}}`) or the path of a JSON policy file. */
  REDACTION_POLICY: z.string().min(1).optional(),
  /**
   * HMAC key of the `hash` strategy, at least 16 bytes; never written in the policy. Its value is never
   * echoed in an error.
   */
  REDACTION_HASH_KEY: z.string().optional(),
  /** Path of a file holding the key instead (a mounted Kubernetes secret); one trailing newline is ignored. */
  REDACTION_HASH_KEY_FILE: z.string().min(1).optional(),
};

interface RedactionSettings {
  REDACTION_POLICY?: string;
  REDACTION_HASH_KEY?: string;
  REDACTION_HASH_KEY_FILE?: string;
}

type ReadFile = (path: string) => string;
const readText: ReadFile = (path) => readFileSync(path, 'utf8');

function hashKeyOf(settings: RedactionSettings, readFile: ReadFile): string | undefined {
  if (settings.REDACTION_HASH_KEY !== undefined && settings.REDACTION_HASH_KEY_FILE !== undefined)
    throw new ConfigError(
      'REDACTION_HASH_KEY',
      'is set twice: set REDACTION_HASH_KEY or REDACTION_HASH_KEY_FILE',
    );
  let key = settings.REDACTION_HASH_KEY;
  if (settings.REDACTION_HASH_KEY_FILE !== undefined) {
    try {
      key = readFile(settings.REDACTION_HASH_KEY_FILE).replace(/\r?\n$/, '');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(
        'REDACTION_HASH_KEY_FILE',
        `cannot read ${settings.REDACTION_HASH_KEY_FILE} (${reason})`,
      );
    }
  }
  if (key !== undefined && Buffer.byteLength(key) < 16)
    throw new ConfigError('REDACTION_HASH_KEY', `must be at least 16 bytes (got ${Buffer.byteLength(key)})`);
  return key;
}

/**
 * The policy the service's redactor uses, from REDACTION_POLICY and REDACTION_HASH_KEY(_FILE), checked
 * whole; `undefined` when neither is set (the documented defaults). A problem is a ConfigError naming
 * the variable and the policy field.
 */
export function redactionPolicyOf(
  settings: RedactionSettings,
  readFile: ReadFile = readText,
): RedactionPolicy | undefined {
  const hashKey = hashKeyOf(settings, readFile);
  if (settings.REDACTION_POLICY === undefined) return hashKey === undefined ? undefined : { hashKey };
  try {
    const text = readRedactionPolicy(settings.REDACTION_POLICY, 'REDACTION_POLICY', readFile);
    return parseRedactionPolicy(text, hashKey);
  } catch (error) {
    if (!(error instanceof RedactionPolicyError)) throw error;
    const message = error.message.replace(/^invalid redaction policy: /, '');
    // The policy asks for the hash strategy and no key was given: the variable to set is the key.
    const required = /^hashKey is required: (.*)$/.exec(message);
    if (error.field === 'hashKey' && required)
      throw new ConfigError('REDACTION_HASH_KEY', `is required: ${required[1]}`);
    throw new ConfigError('REDACTION_POLICY', message);
  }
}
