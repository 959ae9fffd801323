import type { Strategy } from './entities';

/**
 * What the README and `vigil-redaction explain` say about one entity: how it is found, what keeps its
 * look-alikes, its default strategy and where it is met. Each detector family exports a list of these
 * beside its detectors, so the documentation cannot drift from the code (a test compares them).
 */
export interface EntityDoc {
  /** The kind in markers and policies: `[REDACTED:<kind>]`, `strategies: { <kind>: 'mask' }`. */
  kind: string;
  /** Human name: "UK National Insurance number". */
  name: string;
  /** How it is found: key names, value shape, context words. */
  detection: string;
  /** The checksum, context or shape rule that keeps look-alikes (or '—'). */
  guard: string;
  /** Default strategy under the default policy. */
  strategy: Strategy;
  /** The anchors whose rule this covers: 'presidio', 'gitleaks', 'detect-secrets', 'relay', 'vigil'. */
  anchors: readonly string[];
}
