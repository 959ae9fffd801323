import { isMarker } from '../markers';
import type { Replacer } from '../strategies';
import { schemePrefixLength } from '../key-value-pass';
import { isVariableReference } from './masked';

// A credential header written as text: `Authorization: Bearer …`, `-H 'X-Api-Key: …'`. A quoted value
// (`"authorization": "…"`, `X-Api-Key: '…' # comment`) is the key-value pass's: the spaces before a
// value are all read before the quote test. Cookie headers are too: only their sensitive
// cookies go (see `cookieSpans`).
const HEADER =
  /(?<![\w-])((?:proxy-)?authorization|x-api-key|x-auth-token)([ \t]*:[ \t]*)(?![ \t]|\\{0,3}["'])/gi;
// `Scheme token68` (Bearer, Basic, Token, Bot): the credential is one run without spaces.
const SCHEME_AND_TOKEN = /[A-Za-z][\w-]{0,31}[ \t]+[^\s,"']{1,4096}(?=$|[\s'"])/y;
const SINGLE_TOKEN = /[^\s,"']{1,4096}(?=$|[\s'"])/y;

/**
 * The next index at or after `from` of any of `chars` (char codes), remembered per pass: positions only
 * grow, so each is searched once and the pass stays linear however many headers share one line.
 */
class NextOf {
  private at = -1;
  constructor(
    private readonly input: string,
    private readonly chars: readonly number[],
  ) {}
  find(from: number): number {
    if (this.at >= from) return this.at;
    let i = from;
    while (i < this.input.length && !this.chars.includes(this.input.charCodeAt(i))) i++;
    this.at = i;
    return i;
  }
}

/**
 * Where the value of a header starting at `from` ends: at the quote that opened the header (a curl
 * `-H '…'` argument), else after a `Scheme token` or a single token when it is one (the rest of the
 * line is other text), else at the end of the line (Digest and other parameter lists).
 */
function headerValueEnd(input: string, nameStart: number, from: number, ends: Ends): number {
  const before = input.charCodeAt(nameStart - 1);
  const lineEnd =
    before === 39
      ? ends.singleQuote.find(from)
      : before === 34
        ? ends.doubleQuote.find(from)
        : ends.line.find(from);
  for (const shape of [SCHEME_AND_TOKEN, SINGLE_TOKEN]) {
    shape.lastIndex = from;
    if (shape.test(input) && shape.lastIndex <= lineEnd) {
      const next = input.charCodeAt(shape.lastIndex);
      if (shape.lastIndex === lineEnd || next !== 44) return shape.lastIndex;
    }
  }
  return lineEnd;
}

interface Ends {
  line: NextOf;
  singleQuote: NextOf;
  doubleQuote: NextOf;
}

/** The header-line pass: the value of each credential header replaced, its surroundings kept. */
export function headerLinePass(replacer: Replacer): (input: string) => string {
  return (input) => {
    let out = '';
    let last = 0;
    HEADER.lastIndex = 0;
    const ends: Ends = {
      line: new NextOf(input, [10, 13]),
      singleQuote: new NextOf(input, [10, 13, 39]),
      doubleQuote: new NextOf(input, [10, 13, 34]),
    };
    let match: RegExpExecArray | null;
    while ((match = HEADER.exec(input)) !== null) {
      const from = HEADER.lastIndex;
      const end = headerValueEnd(input, match.index, from, ends);
      const whole = input.slice(from, end).trimEnd();
      // The scheme stays (`Authorization: Basic [REDACTED]`): it says how, not what.
      const scheme = schemePrefixLength(whole);
      const value = whole.slice(scheme);
      if (value.length === 0 || isMarker(value) || isVariableReference(whole)) continue;
      out += input.slice(last, from + scheme) + replacer.keyed('secret', value);
      last = from + whole.length;
      HEADER.lastIndex = last;
    }
    return last === 0 ? input : out + input.slice(last);
  };
}
