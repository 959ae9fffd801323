/**
 * The variable parts of a message replaced by placeholders, so `User 4411 not found` and `User 98 not
 * found` are one issue. Every pattern is bounded or anchored on a character it consumes (linear on any
 * input), and the message is read up to `MAX_MESSAGE` characters.
 */
const MAX_MESSAGE = 1_024;

const REPLACEMENTS: readonly [RegExp, string][] = [
  // What the scrubber left: `[REDACTED:email]`, `[HASH:email:abcdefghijklmnop]` (one per user), `[REDACTED]`.
  [/\[(?:REDACTED|HASH):([a-z0-9_]{1,40})(?::[a-p]{16})?\]/g, '<$1>'],
  [/\[REDACTED\]/g, '<redacted>'],
  [/[\w.%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/gi, '<email>'],
  [/\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?\b/g, '<date>'],
  [/\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g, '<date>'],
  [/\b\d{1,2}:\d\d(?::\d\d(?:[.,]\d{1,9})?)?\b/g, '<time>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<ip>'],
  // IPv6: compressed (`2001:db8::1`) or written out (4+ groups; times were replaced above).
  [/\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])/gi, '<ip>'],
  [/\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3,7}\b/gi, '<ip>'],
  [/\b0x[0-9a-f]{1,64}\b/gi, '<hex>'],
  // Hex ids and digests: 8+ hex digits with both a digit and a letter (words such as `deadbeef` stay).
  [/\b(?=[0-9a-f]{0,127}\d)(?=[0-9a-f]{0,127}[a-f])[0-9a-f]{8,128}\b/gi, '<hex>'],
  // Quoted values, not apostrophes inside words (`doesn't`, `user's`).
  [/(?<!\w)'[^'\n]{0,256}'(?!\w)/g, '<str>'],
  [/(?<!\w)"[^"\n]{0,256}"(?!\w)/g, '<str>'],
  [/(?<![\w.])\d+(?:\.\d+)?\b/g, '<int>'],
];

export function parameterise(message: string): string {
  let out = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
  for (const [pattern, placeholder] of REPLACEMENTS) out = out.replace(pattern, placeholder);
  return out.trim();
}
