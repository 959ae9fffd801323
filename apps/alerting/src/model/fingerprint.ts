import { hash } from 'node:crypto';

import type { LabelSet } from './alert';

const SEPARATOR = 0xff;
/** Reused between calls (the ingest hot path computes one fingerprint per alert); grows when needed. */
let scratch = Buffer.allocUnsafe(4096);

/**
 * The identity of an alert: sha256 over its label set sorted by name (the order a producer sends
 * labels in does not matter), first 16 hex characters. 0xff cannot occur in UTF-8, so
 * `{a: "b", c: "d"}` and `{a: "bc", ...}` can never hash the same bytes. On the ingest path: the
 * bytes are laid out in one reused buffer and hashed in one call.
 */
export function fingerprintOf(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  // A UTF-16 code unit is at most 3 UTF-8 bytes: this bound saves measuring each string.
  let bound = 0;
  for (const name of names) bound += (name.length + labels[name].length) * 3 + 2;
  if (bound > scratch.length) scratch = Buffer.allocUnsafe(Math.max(bound, scratch.length * 2));
  let offset = 0;
  for (const name of names) {
    offset += scratch.write(name, offset);
    scratch[offset++] = SEPARATOR;
    offset += scratch.write(labels[name], offset);
    scratch[offset++] = SEPARATOR;
  }
  return hash('sha256', scratch.subarray(0, offset), 'hex').slice(0, 16);
}
