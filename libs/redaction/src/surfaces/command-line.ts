import { isMarker } from '../markers';
import type { KeyMatcher } from '../sensitive-keys';
import type { Replacer } from '../strategies';

// curl's `-u user:password` / `--user=user:password` / `--proxy-user`: the password goes, the user
// name and the rest of the command stay.
const USER_OPTION =
  /(?<![^\s'"])(-u|-U|--user|--proxy-user)([ \t]+|=)(['"]?)([^\s:'"<>]{1,256}):([^\s'"/<>][^\s'"<>]{0,255})/g;

// A long option named by a key phrase, with its value after `=` or a space: `mysqldump
// --password=…`, `psql --db-password …`, `cli --api-key "…"`, `--token …` (a value never starts
// with `-`: `--token --verbose` has none).
const SENSITIVE_OPTION = /(?<![^\s'"])--([A-Za-z][\w-]{0,63})([ \t]+|=)(['"]?)([^\s'"<>-][^\s'"<>]{0,255})/g;

/** Credentials in command lines: curl's `-u user:password` and long options named by a key phrase. */
export function commandLinePass(keyKindOf: KeyMatcher, replacer: Replacer): (input: string) => string {
  return (input) =>
    input
      .replace(
        USER_OPTION,
        (whole, option: string, gap: string, quote: string, user: string, password: string) =>
          isMarker(password) ? whole : `${option}${gap}${quote}${user}:${replacer.keyed('secret', password)}`,
      )
      .replace(SENSITIVE_OPTION, (whole, name: string, gap: string, quote: string, value: string) => {
        const kind = keyKindOf(name);
        return kind === undefined || isMarker(value)
          ? whole
          : `--${name}${gap}${quote}${replacer.keyed(kind, value)}`;
      });
}

const OPTION_START = /(?:^|\s)-(?:[uU]|-)/;
export const mayHoldCommandOption = (s: string): boolean => s.includes('-') && OPTION_START.test(s);

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
