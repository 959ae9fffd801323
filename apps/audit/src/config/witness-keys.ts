import { z } from 'zod';

import { errorMessage } from '@vigil/platform';

import { COSIGNATURE_TYPE } from '../model/signed-note';
import { parseVerifierKey } from '../model/cosignature';

/** Verifier keys given as a JSON array of strings, or as one string separated by commas or whitespace. */
function keyTexts(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed) || !parsed.every((k) => typeof k === 'string')) {
      throw new Error('must be a JSON array of verifier key strings');
    }
    return parsed.map((k: string) => k.trim()).filter((k) => k !== '');
  }
  return trimmed.split(/[\s,]+/).filter((k) => k !== '');
}

/**
 * AUDIT_WITNESS_KEYS: the witnesses' note verifier keys, each of type 0x04 (tlog-cosignature), with
 * distinct names. Kept as the validated strings; the service parses them once more into keys.
 */
export const witnessKeysText = z
  .string()
  .default('')
  .transform((value, ctx) => {
    try {
      const texts = keyTexts(value);
      const names = new Set<string>();
      for (const text of texts) {
        const key = parseVerifierKey(text);
        if (key.type !== COSIGNATURE_TYPE) throw new Error(`"${key.name}" is not a witness key (type 0x04)`);
        if (names.has(key.name)) throw new Error(`witness "${key.name}" is listed twice`);
        names.add(key.name);
      }
      return texts;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: errorMessage(error) });
      return z.NEVER;
    }
  });
