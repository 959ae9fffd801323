/**
 * Text shaped like `local@domain.tld` that is not anyone's e-mail address (Presidio's EmailRecognizer
 * and Relay's `@email` would take them; the README lists them as look-alikes):
 * - the user of a URL (`https://<public key>@o1.ingest.sentry.io/2`, a Sentry DSN; `ssh://git@host`):
 *   a URL's password is the url-password rule's, and its user is a login, not an address;
 * - an scp-style remote (`git@github.com:org/repo.git`, `deploy@host:/srv/app`);
 * - a Message-ID (`<0b6c2a1e-…@mail.example.com>`, `<CAKx…20260102…@mail.gmail.com>`): a generated
 *   id, 16 characters or more with 6 digits or more, between angle brackets.
 */

// After the domain: `:` then a path (`org/repo.git`, `/srv/app`, `~/src`).
const SCP_PATH = /:[\w.~-]{0,100}\//y;
const MIN_ID_LENGTH = 16;
const MIN_ID_DIGITS = 6;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function generatedId(local: string): boolean {
  if (local.length < MIN_ID_LENGTH) return false;
  let digits = 0;
  for (let i = 0; i < local.length; i++) if (isDigit(local.charCodeAt(i))) digits++;
  return digits >= MIN_ID_DIGITS;
}

/**
 * Whether `input.slice(start, end)`, an address by shape with its separator at `at`, is one of the
 * look-alikes above. Reads a bounded number of characters around it.
 */
export function notAnAddress(input: string, start: number, at: number, end: number): boolean {
  if (start >= 3 && input.startsWith('://', start - 3)) return true;
  if (input.charCodeAt(end) === 58) {
    SCP_PATH.lastIndex = end;
    if (SCP_PATH.test(input)) return true;
  }
  return (
    input.charCodeAt(start - 1) === 60 && // <
    input.charCodeAt(end) === 62 && // >
    generatedId(input.slice(start, at))
  );
}
