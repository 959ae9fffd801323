import { createHmac } from 'node:crypto';

import { foldDigits } from './detectors/folding';
import type { Strategy } from './entities';
import { REDACTED, removedMarker } from './markers';

/** Turns a sensitive value into its replacement, per the strategy of its kind. */
export interface Replacer {
  /** A value found inside a string by a detector. */
  value(kind: string, text: string): string;
  /** The value of a sensitive key (any type). */
  keyed(kind: string, value: unknown): string;
}

const ALPHANUMERIC = /[A-Za-z0-9]/g;
// Hex digits spelled as letters a–p: a digest made only of letters never looks like a number.
const LETTERS = 'abcdefghijklmnop';

// Numbers and ids whose separators and letter case are only how they were written (`2345 6789 0124`,
// `2345-6789-0124` and `234567890124` are one Aadhaar number; `t2825862z` is `T2825862Z`).
const GROUPED_KINDS: ReadonlySet<string> = new Set([
  'phone',
  'card',
  'iban',
  'ssn',
  'account_number',
  'national_id',
  'passport',
  'driver_license',
  'us_itin',
  'uk_nhs',
  'uk_nino',
  'in_pan',
  'in_aadhaar',
  'sg_nric',
  'au_tfn',
  'au_abn',
  'au_acn',
  'au_medicare',
  'es_nif',
  'es_nie',
  'it_fiscal_code',
  'kr_rrn',
  'medical_license',
  'one_time_code',
]);

function normalized(kind: string, text: string): string {
  if (kind === 'email') return decodeURIComponentSafe(text).toLowerCase();
  // Bengali (and other) digits read as ASCII: `০১৭১২৩৪৫৬৭৮` is the same phone as `01712345678`.
  if (GROUPED_KINDS.has(kind))
    return foldDigits(text)
      .replace(/[^A-Za-z0-9+]/g, '')
      .toUpperCase();
  return text;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `****` and the last 4 letters or digits; shorter values reveal nothing. */
export function mask(text: string): string | undefined {
  const chars = text.match(ALPHANUMERIC);
  if (!chars || chars.length < 8) return undefined;
  return `****${chars.slice(-4).join('')}`;
}

/** Told of each replacement while set: `text` is the value (a non-string keyed value as JSON). */
export type ReplacementObserver = (kind: string, text: string, replacement: string) => void;

/** The redactor's own replacer: `observe` is set only while `explain` runs, so other calls pay nothing. */
export interface ObservedReplacer extends Replacer {
  observe(observer: ReplacementObserver | undefined): void;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function compileReplacer(
  strategyOf: (kind: string) => Strategy,
  hashKey: Buffer | undefined,
): ObservedReplacer {
  const hash = (kind: string, text: string): string => {
    // Validated at construction: a hash strategy always has a key.
    const digest = createHmac('sha256', hashKey as Buffer)
      .update(`${kind}:${normalized(kind, text)}`)
      .digest('hex')
      .slice(0, 16);
    let letters = '';
    for (let i = 0; i < digest.length; i++) letters += LETTERS[parseInt(digest[i], 16)];
    return `[HASH:${kind}:${letters}]`;
  };

  const value = (kind: string, text: string): string => {
    switch (strategyOf(kind)) {
      case 'remove':
        // A URL keeps its shape: `scheme://user:[REDACTED]@host`.
        return kind === 'url_password' ? REDACTED : removedMarker(kind);
      case 'mask':
        return mask(text) ?? removedMarker(kind);
      case 'hash':
        return hash(kind, text);
    }
  };

  const keyed = (kind: string, value: unknown): string => {
    const strategy = strategyOf(kind);
    if (strategy === 'remove') return REDACTED;
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'bigint'
          ? String(value)
          : undefined;
    if (text === undefined || text.length === 0) return REDACTED;
    if (strategy === 'mask') return mask(text) ?? REDACTED;
    return hash(kind, text);
  };

  let observer: ReplacementObserver | undefined;
  return {
    value(kind, text) {
      const replacement = value(kind, text);
      if (observer !== undefined) observer(kind, text, replacement);
      return replacement;
    },
    keyed(kind, input) {
      const replacement = keyed(kind, input);
      if (observer !== undefined) observer(kind, textOf(input), replacement);
      return replacement;
    },
    observe(next) {
      observer = next;
    },
  };
}
