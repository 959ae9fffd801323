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

// The MySQL clients' password glued to its flag (`mysql -u app -p'…'`, `mysqldump -pS3cret db`): a
// bare `-p` asks for it on a prompt; `-P 3306` is the port. Only on a line that runs a MySQL client.
const MYSQL_PASSWORD = /(?<![^\s'"])-p(['"]?)([^\s'"<>]{1,256})\1(?=$|[\s'"])/g;
const MYSQL_CLIENT = /\bmysql(?:dump|admin|import|check|sh)?\b/;
// redis-cli's `-a <password>` (also glued, `-a'…'`), only on a line that runs it.
const REDIS_PASSWORD = /(?<![^\s'"])-a([ \t]{0,4})(['"]?)([^\s'"<>-][^\s'"<>]{0,255})\2(?=$|[\s'"])/g;

// A program's arguments as a list (`sys.argv`, `subprocess.run([…])`, a JSON `args` array): a long option
// named by a key phrase as one item and its value as the next (`"--token", "…"`).
const OPTION_ITEM = /(["'])--([A-Za-z][\w-]{0,63})\1(,[ \t]{0,4})(["'])([^"'\s<>-][^"'<>]{0,255})\4/g;

export const mayHoldArgumentList = (s: string): boolean => s.includes('"--') || s.includes("'--");

// A word of prose after an option names the option, it is not its value: `Using --password via the CLI
// is insecure` (docker login), `the --token flag is deprecated`, `pass --api-key or set API_KEY`.
const PROSE_AFTER_OPTION = new Set(
  (
    'via is was are be on in at of to for from with without by the a an and or not instead flag ' +
    'option options parameter argument switch must should will can may has have only when if'
  ).split(' '),
);

/** Whether a bare `value` after an option and a space is a word of prose naming the option. */
export const isProseAfterOption = (value: string): boolean =>
  value.length <= 10 && PROSE_AFTER_OPTION.has(trimmedWord(value));

const namesTheOption = (gap: string, quote: string, value: string): boolean =>
  gap !== '=' && quote === '' && isProseAfterOption(value);

// The word without a trailing `.`, `,`, `;` or `:` (`--password.` at the end of a sentence).
const trimmedWord = (value: string): string => {
  const last = value.charCodeAt(value.length - 1);
  return last === 46 || last === 44 || last === 59 || last === 58 ? value.slice(0, -1) : value;
};

/** Credentials in command lines: curl's `-u user:password` and long options named by a key phrase. */
export function commandLinePass(keyKindOf: KeyMatcher, replacer: Replacer): (input: string) => string {
  const mysqlPasswords = (input: string): string =>
    !input.includes('-p') || !MYSQL_CLIENT.test(input)
      ? input
      : input.replace(MYSQL_PASSWORD, (whole, quote: string, password: string) =>
          isMarker(password) ? whole : `-p${quote}${replacer.keyed('secret', password)}${quote}`,
        );
  const redisPasswords = (input: string): string =>
    !input.includes('redis-cli')
      ? input
      : input.replace(REDIS_PASSWORD, (whole, gap: string, quote: string, password: string) =>
          isMarker(password) ? whole : `-a${gap}${quote}${replacer.keyed('secret', password)}${quote}`,
        );
  const optionItems = (input: string): string =>
    !mayHoldArgumentList(input)
      ? input
      : input.replace(
          OPTION_ITEM,
          (whole, q1: string, name: string, gap: string, q2: string, value: string) => {
            const kind = keyKindOf(name);
            return kind === undefined || isMarker(value)
              ? whole
              : `${q1}--${name}${q1}${gap}${q2}${replacer.keyed(kind, value)}${q2}`;
          },
        );
  return (input) =>
    optionItems(redisPasswords(mysqlPasswords(input)))
      .replace(
        USER_OPTION,
        (whole, option: string, gap: string, quote: string, user: string, password: string) =>
          isMarker(password) ? whole : `${option}${gap}${quote}${user}:${replacer.keyed('secret', password)}`,
      )
      .replace(SENSITIVE_OPTION, (whole, name: string, gap: string, quote: string, value: string) => {
        const kind = keyKindOf(name);
        return kind === undefined || isMarker(value) || namesTheOption(gap, quote, value)
          ? whole
          : `--${name}${gap}${quote}${replacer.keyed(kind, value)}`;
      });
}

const OPTION_START = /(?:^|\s)-(?:[uUpa]|-)/;
export const mayHoldCommandOption = (s: string): boolean =>
  s.includes('-') && (OPTION_START.test(s) || mayHoldArgumentList(s));

// Sentry Relay's `@userpath`: the user name in a home directory path (`/home/rahim/`, `/Users/rahim/`,
// `C:\Users\rahim\`, also with JSON-escaped backslashes). Shared folders name no person.
// Not after a host or a word (`example.com/home/products`, `/api/v1/Users/42` are URL paths).
const USER_PATH =
  /(?<![\w.-])(\/home\/|\/Users\/|[A-Za-z]:(?:\\\\|\\|\/)Users(?:\\\\|\\|\/))([^/\\\s:*?"'<>|]{1,64})/g;
const DIGITS = /^\d+$/;
// Service and image accounts (cloud images' default users, CI runners, daemons) name no person either.
const NO_PERSON = new Set([
  'Shared',
  'Public',
  'Default',
  'All Users',
  'Default User',
  'Administrator',
  ...[
    'app',
    'ubuntu',
    'ec2-user',
    'centos',
    'debian',
    'fedora',
    'admin',
    'azureuser',
    'vagrant',
    'opc',
    'pi',
  ],
  ...['www-data', 'node', 'runner', 'deploy', 'deployer', 'git', 'gitlab-runner', 'jenkins', 'circleci'],
  ...['postgres', 'mysql', 'redis', 'nginx', 'apache', 'root', 'docker', 'vscode', 'codespace', 'appuser'],
]);

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
