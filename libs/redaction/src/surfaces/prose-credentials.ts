import { isMarker } from '../markers';
import type { SecretSpan } from './cookies';
import { holdsNoSecret } from './masked';

// A credential stated in a sentence, as e-mails and SMS bodies write it: `Your temporary password is:
// Zebra!3195cc`, `Your one-time code is 971924`, `My code is 664495`, `your PIN is 1234`.
// The word, `is` or `was`, an optional colon, then one run without spaces or `&` (a closing `.` or `,` is the
// sentence's). Bounded: a word of the list, two short words, and a 64-character value.
const STATED =
  /\b(password|passcode|passphrase|pin|otp|code)[ \t]+(?:is|was)[ \t]*(:?)[ \t]*([^\s<>"'\\&]{1,64})/gi;
// A sentence's end after the value; `!` and `?` may be a password's own.
const CLOSING_PUNCTUATION = /[.,;)]+$/;
const DIGITS = /^\d{4,8}$/;
// What a password looks like when the sentence gives no colon: a digit or a symbol in it. `password is
// incorrect`, `password is required`, `password is too short` are sentences about a password.
const GENERATED = /[\d!@#$%^&*_+=~-]/;

export const mayHoldProseCredential = (s: string): boolean => s.includes(' is') || s.includes(' was');
/** The same sentence in a form body, spaces written as `+` (an SMS webhook's `Body=My+code+is+664495`). */
export const mayHoldEncodedProseCredential = (s: string): boolean =>
  s.includes('+is+') || s.includes('+was+');

/**
 * Credentials stated in sentences (see `STATED`). A code or PIN must be 4–8 digits (`the status code is
 * 404` and `the code is invalid` are not one-time codes); a password must follow a colon or look
 * generated.
 */
export function proseCredentialSpans(input: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of input.matchAll(STATED)) {
    const value = match[3].replace(CLOSING_PUNCTUATION, '');
    if (value.length === 0 || isMarker(value) || holdsNoSecret(value)) continue;
    const word = match[1].toLowerCase();
    const numeric = word === 'code' || word === 'pin' || word === 'otp';
    if (numeric ? !DIGITS.test(value) : match[2] === '' && !GENERATED.test(value)) continue;
    const start = match.index + match[0].length - match[3].length;
    spans.push({ start, end: start + value.length, kind: 'secret' });
  }
  return spans;
}
