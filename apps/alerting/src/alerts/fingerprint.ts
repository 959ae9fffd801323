import { createHash } from 'node:crypto';

import type { LabelSet } from './alert';

const SEPARATOR = Buffer.from([0xff]);

/**
 * The identity of an alert: sha256 over its label set sorted by name (the order a producer sends
 * labels in does not matter), first 16 hex characters. 0xff cannot occur in UTF-8, so
 * `{a: "b", c: "d"}` and `{a: "bc", ...}` can never hash the same bytes.
 */
export function fingerprintOf(labels: LabelSet): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(labels).sort()) {
    hash.update(name);
    hash.update(SEPARATOR);
    hash.update(labels[name]);
    hash.update(SEPARATOR);
  }
  return hash.digest('hex').slice(0, 16);
}
