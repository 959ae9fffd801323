/**
 * Text shaped like `local@domain.tld` that is not anyone's e-mail address (Presidio's EmailRecognizer
 * and Relay's `@email` would take them; the README lists them as look-alikes):
 * - the user of a URL (`https://<public key>@o1.ingest.sentry.io/2`, a Sentry DSN; `ssh://git@host`):
 *   a URL's password is the url-password rule's, and its user is a login, not an address (but an
 *   address written as the user, `smtp://alerts@shop.example.com@smtp.host` or `alerts%40shop…@`, is one);
 * - an scp-style remote (`git@github.com:org/repo.git`, `deploy@host:/srv/app`);
 * - a Message-ID (`<0b6c2a1e-…@mail.example.com>`, `<20260102123456.98765.1@mail.example.com>`): a
 *   generated id between angle brackets, 16 characters or more with 6 digits or more and no word
 *   (no run of 5 letters: `<student.2019331045@sust.edu>` is an address);
 *
 * A role mailbox (`support@`, `postmaster@`) is an address like any other (a domain may name a person);
 * its local parts only tell the name detector that the display name before it is a company's.
 */

export const ROLE_LOCAL_PARTS =
  `support noreply no-reply donotreply do-not-reply info contact billing sales help admin
postmaster abuse security notifications alerts hostmaster webmaster`.split(/\s+/);

// After the domain: `:` then a path (`org/repo.git`, `/srv/app`, `~/src`).
const SCP_PATH = /:[\w.~-]{0,100}\//y;
const MIN_ID_LENGTH = 16;
const MIN_ID_DIGITS = 6;
const MAX_LETTER_RUN = 4;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

function generatedId(local: string): boolean {
  if (local.length < MIN_ID_LENGTH) return false;
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i);
    if (isDigit(c)) digits++;
    letters = isLetter(c) ? letters + 1 : 0;
    if (letters > MAX_LETTER_RUN) return false;
  }
  return digits >= MIN_ID_DIGITS;
}

/** Right after `://`, with a plain `@` that ends the authority (no second `@` after the host). */
function urlUser(input: string, start: number, at: number, end: number): boolean {
  if (start < 3 || !input.startsWith('://', start - 3) || input.charCodeAt(at) !== 64) return false; // @
  const next = input.charCodeAt(end);
  return next !== 64 && next !== 37; // @ %
}

/**
 * Whether `input.slice(start, end)`, an address by shape with its separator at `at`, is one of the
 * look-alikes above. Reads a bounded number of characters around it.
 */
export function notAnAddress(input: string, start: number, at: number, end: number): boolean {
  if (urlUser(input, start, at, end)) return true;
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
