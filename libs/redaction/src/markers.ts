/** What a removed value becomes when it was found by its key name. */
export const REDACTED = '[REDACTED]';
/** What an e-mail address found inside a string becomes. */
export const REDACTED_EMAIL = '[REDACTED:email]';
/** A reference back to an object already on the current path. */
export const CIRCULAR = '[Circular]';
/** What lies past the depth or node limit. */
export const TRUNCATED = '[Truncated]';
/** The default depth limit. */
export const MAX_DEPTH = 32;

/** `[REDACTED:<kind>]`: a value found by a detector and removed. */
export const removedMarker = (kind: string): string => `[REDACTED:${kind}]`;

/** Whether a value is already the output of a strategy (so a second pass leaves it alone). */
export const isMarker = (value: string): boolean =>
  value.startsWith('[REDACTED') || value.startsWith('[HASH:') || value.startsWith('****');
