import { isMarker } from '../markers';
import type { Replacer } from '../strategies';

// curl's `-u user:password` / `--user=user:password` / `--proxy-user`, wget's `--password=`: the
// password goes, the user name and the rest of the command stay.
const USER_OPTION =
  /(?<![^\s'"])(-u|-U|--user|--proxy-user)([ \t]+|=)(['"]?)([^\s:'"<>]{1,256}):([^\s'"/<>][^\s'"<>]{0,255})/g;

export function curlUserPass(replacer: Replacer): (input: string) => string {
  return (input) =>
    input.replace(
      USER_OPTION,
      (whole, option: string, gap: string, quote: string, user: string, password: string) =>
        isMarker(password) ? whole : `${option}${gap}${quote}${user}:${replacer.keyed('secret', password)}`,
    );
}

const USER_OPTION_START = /\s-(?:[uU]|-user|-proxy-user)[\s=]/;
export const mayHoldUserOption = (s: string): boolean => s.includes(' -') && USER_OPTION_START.test(s);

// Sentry Relay's `@userpath`: the user name in a home directory path (`/home/rahim/`, `/Users/rahim/`,
// `C:\Users\rahim\`, also with JSON-escaped backslashes). Shared folders name no person.
// Not after a host or a word (`example.com/home/products`, `/api/v1/Users/42` are URL paths).
const USER_PATH =
  /(?<![\w.-])(\/home\/|\/Users\/|[A-Za-z]:(?:\\\\|\\|\/)Users(?:\\\\|\\|\/))([^/\\\s:*?"'<>|]{1,64})/g;
const DIGITS = /^\d+$/;
const NO_PERSON = new Set(['Shared', 'Public', 'Default', 'All Users', 'Default User']);

export function userPathPass(replacer: Replacer): (input: string) => string {
  return (input) =>
    !mayHoldUserPath(input)
      ? input
      : input.replace(USER_PATH, (whole, prefix: string, user: string) =>
          isMarker(user) || user.startsWith('[') || NO_PERSON.has(user) || DIGITS.test(user)
            ? whole
            : `${prefix}${replacer.value('user_path', user)}`,
        );
}

export const mayHoldUserPath = (s: string): boolean => s.includes('/home/') || s.includes('Users');
