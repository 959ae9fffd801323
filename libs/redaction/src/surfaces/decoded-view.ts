/**
 * Text as a reader would see it after one layer of escaping (URL `%XX` and `+`, HTML entities) and,
 * for each decoded character, where it came from: a span found in the decoded text maps back to the
 * encoded text, where it is replaced, so everything around it stays byte-for-byte.
 */
export interface DecodedView {
  text: string;
  /** `origin[i]`: index in the encoded input of decoded character `i`; `origin[text.length]` is its end. */
  origin: Int32Array;
}

/** At `i`: the decoded character and how many input characters it takes, or `undefined` for none. */
type Escape = (input: string, i: number) => [string, number] | undefined;

/** One pass: unchanged runs are copied as slices, each escape as its character. */
function decodedView(input: string, escapeAt: Escape): DecodedView {
  const origin = new Int32Array(input.length + 1);
  let text = '';
  let n = 0;
  let run = 0;
  let i = 0;
  while (i < input.length) {
    const escape = escapeAt(input, i);
    if (escape === undefined) {
      origin[n++] = i++;
      continue;
    }
    text += input.slice(run, i) + escape[0];
    origin[n++] = i;
    i += escape[1];
    run = i;
  }
  text += input.slice(run);
  origin[n] = input.length;
  return { text, origin: origin.subarray(0, n + 1) };
}

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;

/**
 * `%XX` as its character (ASCII only: a multi-byte UTF-8 sequence stays encoded, which no key or
 * separator needs) and `+` as a space.
 */
const urlEscape: Escape = (input, i) => {
  const c = input.charCodeAt(i);
  if (c === 43) return [' ', 1];
  if (c !== 37) return undefined;
  const high = hexValue(input.charCodeAt(i + 1));
  const low = hexValue(input.charCodeAt(i + 2));
  return high >= 0 && high < 8 && low >= 0 ? [String.fromCharCode(high * 16 + low), 3] : undefined;
};

export const urlDecodedView = (input: string): DecodedView => decodedView(input, urlEscape);

const ENTITIES: Readonly<Record<string, string>> = {
  '&#x27;': "'",
  '&#39;': "'",
  '&quot;': '"',
  '&#34;': '"',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
};
const ENTITY = /&(?:#x27|#39|quot|#34|amp|lt|gt);/y;

/** The HTML entities that Django's and Jinja's escaping writes. */
const htmlEscape: Escape = (input, i) => {
  if (input.charCodeAt(i) !== 38) return undefined;
  ENTITY.lastIndex = i;
  const entity = ENTITY.exec(input);
  return entity === null ? undefined : [ENTITIES[entity[0]], entity[0].length];
};

export const htmlDecodedView = (input: string): DecodedView => decodedView(input, htmlEscape);
