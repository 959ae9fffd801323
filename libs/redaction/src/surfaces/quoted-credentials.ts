import { isMarker } from '../markers';
import type { KeyMatcher } from '../sensitive-keys';
import type { SecretSpan } from './cookies';
import { holdsNoSecret } from './masked';

// A password word, up to 3 short words ending in a verb that states it or a colon (`su contraseña
// provisional es «…»`, `das Passwort lautet „…“`, `votre mot de passe est « … »`, `password: “…”`), then
// a value without spaces in typographic quotes: guillemets, German and English curly quotes, CJK
// corner brackets (`la contraseña debe tener «al menos» ocho` is about a password). Only these quotes: ASCII quotes after a password word name other
// things as often (`password for 'bob' is wrong`). Bounded: 3 words of 24 letters, a 64-character value.
const QUOTED_STATED =
  /(?<![\p{L}\p{M}])(password|passwort|kennwort|contraseña|contrasena|clave|senha|mot de passe|wachtwoord|пароль|hasło|parola|passcode|pin)((?:[ \t]{1,4}[\p{L}\p{M}]{1,24}){0,3})[ \t]{0,4}([:：]?)[ \t]{0,4}(?:« ?|„|“|‹|「|『)([^\s«»„“”‹›「」『』]{1,64}) ?(?:»|“|”|›|」|』)/giu;
// The verbs that state a value: is, es, est, ist, lautet, é, era, was, war, était, jest, это.
const STATING_VERBS = new Set([
  'is',
  'es',
  'est',
  'ist',
  'lautet',
  'é',
  'era',
  'was',
  'war',
  'était',
  'jest',
  'это',
  'son',
]);
const LAST_WORD = /[\p{L}\p{M}]+$/u;

export const mayHoldQuotedCredential = (s: string): boolean =>
  s.includes('«') ||
  s.includes('„') ||
  s.includes('“') ||
  s.includes('「') ||
  s.includes('‹') ||
  s.includes('『');

/** Passwords stated in a sentence inside typographic quotes (see `QUOTED_STATED`). */
export function quotedCredentialSpans(input: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of input.matchAll(QUOTED_STATED)) {
    const value = match[4];
    const verb = LAST_WORD.exec(match[2])?.[0].toLowerCase();
    if (match[3] === '' && (verb === undefined || !STATING_VERBS.has(verb))) continue;
    if (isMarker(value) || holdsNoSecret(value)) continue;
    const end = input.lastIndexOf(value, match.index + match[0].length) + value.length;
    spans.push({ start: end - value.length, end, kind: 'secret' });
  }
  return spans;
}

// An HTML form field: `<input type="password" name="…" value="…">`, or any input whose name is a
// sensitive key (`name="csrfmiddlewaretoken"`, `name="api_key"`). Attributes in any order, quoted.
const INPUT_TAG = /<input\b([^<>]{0,512})>/gi;
const ATTRIBUTE = /([\w-]{1,32})[ \t]*=[ \t]*(["'])([^"'<>]{0,256})\2/g;

/** The values of password fields and of fields named by a sensitive key in HTML forms. */
export function inputValueSpans(keyKindOf: KeyMatcher): (input: string) => SecretSpan[] {
  return (input) => {
    const spans: SecretSpan[] = [];
    for (const tag of input.matchAll(INPUT_TAG)) {
      const attributes = tag[1];
      const offset = tag.index + tag[0].length - 1 - attributes.length;
      let kind: string | undefined;
      let value: { start: number; end: number } | undefined;
      for (const attribute of attributes.matchAll(ATTRIBUTE)) {
        const name = attribute[1].toLowerCase();
        const text = attribute[3];
        if (name === 'type' && text.toLowerCase() === 'password') kind = 'secret';
        else if (name === 'name') kind ??= keyKindOf(text);
        else if (name === 'value') {
          const start = offset + attribute.index + attribute[0].length - 1 - text.length;
          value = { start, end: start + text.length };
        }
      }
      if (kind === undefined || value === undefined || value.start === value.end) continue;
      const text = input.slice(value.start, value.end);
      if (!isMarker(text) && !holdsNoSecret(text)) spans.push({ ...value, kind });
    }
    return spans;
  };
}
