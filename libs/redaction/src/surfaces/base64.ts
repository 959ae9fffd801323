import type { StringFacts } from '../string-facts';

// Runs shorter than this are words, ids and short tokens; `password=x` in base64 is 16 characters, a
// credential with its key name is longer than 20.
export const MIN_BASE64_RUN = 20;
// Decoded bytes per string: past this, runs stay as they are (an image or a file is not log text).
const MAX_DECODED_BYTES = 64 * 1024;
// Bytes of a run's start checked before the whole run is decoded: random tokens, digests, images
// and words fail here (a control byte or an invalid sequence within the first dozen bytes).
const PREFIX_CHARS = 16;

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++)
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
B64[45] = 62; // - (base64url)
B64[95] = 63; // _ (base64url)

const sextet = (c: number): number => (c < 128 ? B64[c] : -1);

/** Whether `value` may hold a base64 run of text: a long enough run, and a capital (encoded text has them). */
export const mayHoldBase64 = (facts: StringFacts): boolean =>
  facts.base64Run >= MIN_BASE64_RUN && facts.upper > 0;

/** Whether the first bytes encoded at `[start, start + PREFIX_CHARS)` can begin UTF-8 text. */
function textPrefix(input: string, start: number): boolean {
  for (let i = start; i + 4 <= start + PREFIX_CHARS; i += 4) {
    const n =
      (sextet(input.charCodeAt(i)) << 18) |
      (sextet(input.charCodeAt(i + 1)) << 12) |
      (sextet(input.charCodeAt(i + 2)) << 6) |
      sextet(input.charCodeAt(i + 3));
    for (const byte of [(n >> 16) & 255, (n >> 8) & 255, n & 255])
      if (byte < 32 ? byte !== 9 && byte !== 10 && byte !== 13 : byte === 127) return false;
  }
  return true;
}

/** The text a run encodes, or `undefined` when it is not printable UTF-8 (binary, random, a word). */
function decodedText(run: string): string | undefined {
  const bytes = Buffer.from(run, 'base64');
  for (const byte of bytes)
    if (byte < 32 ? byte !== 9 && byte !== 10 && byte !== 13 : byte === 127) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}

/** `text` encoded in the alphabet and padding of the run it came from. */
function encodedLike(run: string, text: string): string {
  const url = run.includes('-') || run.includes('_');
  let out = Buffer.from(text, 'utf8').toString(url ? 'base64url' : 'base64');
  const padded = run.endsWith('=');
  if (!padded) out = out.replace(/=+$/, '');
  else if (url) out += '='.repeat((4 - (out.length % 4)) % 4);
  return out;
}

/**
 * Base64 and base64url runs that decode to text (a JSON body, a form, a `user:password` pair) are
 * decoded, scrubbed by `scrubText`, and encoded again in the same alphabet and padding, only when the
 * text changed. Bounded: runs of `MIN_BASE64_RUN`+ characters with a capital and a small letter,
 * `MAX_DECODED_BYTES` decoded per string; images, digests and random tokens fail the text test on
 * their first bytes and stay byte-for-byte. The caller bounds the nesting (a run inside a run).
 */
export function scrubBase64Runs(input: string, scrubText: (text: string) => string): string {
  let out = '';
  let last = 0;
  let budget = MAX_DECODED_BYTES;
  let i = 0;
  while (i < input.length && budget > 0) {
    if (sextet(input.charCodeAt(i)) < 0) {
      i++;
      continue;
    }
    const start = i;
    let upper = false;
    let lower = false;
    for (; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (sextet(c) < 0) break;
      if (c >= 65 && c <= 90) upper = true;
      else if (c >= 97 && c <= 122) lower = true;
    }
    let end = i;
    while (end < input.length && end - i < 2 && input.charCodeAt(end) === 61) end++; // = padding
    const length = i - start;
    // A run that goes on in a word character was not a whole run (`abc=def` is two).
    if (length < MIN_BASE64_RUN || !upper || !lower || length % 4 === 1 || !textPrefix(input, start)) {
      i = end;
      continue;
    }
    const run = input.slice(start, end);
    budget -= (length * 3) >> 2;
    if (budget < 0) break;
    const text = decodedText(run);
    i = end;
    if (text === undefined) continue;
    const scrubbed = scrubText(text);
    if (scrubbed === text) continue;
    out += input.slice(last, start) + encodedLike(run, scrubbed);
    last = end;
  }
  return last === 0 ? input : out + input.slice(last);
}
