import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';

/**
 * The token of a one-time link in a path (`/reset/<uidb64>/<token>/` as Django's password reset
 * e-mail writes it, `/verify/<token>`, `/magic-link/<token>`): whoever holds the link holds the
 * account, like a password. A query-string token (`?token=…`) is already a sensitive key. Only a
 * segment of 20+ URL-safe characters with letters, digits and a run of 16 without a separator is one;
 * a page name or slug (`/verify/email-sent`, `/verify/2024-01-02-release-notes`) is not. One optional segment may stand between the word and the token (Django's user id).
 */
const LINK_TOKEN =
  /\/(?:reset|password[-_]?reset|reset[-_]?password|set[-_]?password|verify|verify[-_]?email|verification|confirm|confirm[-_]?email|activate|activation|magic[-_]?link|login[-_]?link|sign[-_]?in[-_]?link|invite|invitation|accept[-_]?invite)\/(?:[A-Za-z0-9_-]{1,64}\/)?([A-Za-z0-9_-]{20,256})(?![A-Za-z0-9_-])/gi;

const LETTER = /[A-Za-z]/;
const DIGIT = /\d/;
// A random token has a long run without separators; a slug (`2024-01-02-release-notes`) does not.
const RANDOM_RUN = /[A-Za-z0-9]{16}/;

export function linkTokenDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'link-token',
    kinds: ['link_token'],
    gate: (_input, f) => f.base64Run >= 20 && f.slash,
    pattern: LINK_TOKEN,
    replace(m) {
      const token = m[1];
      if (!LETTER.test(token) || !DIGIT.test(token) || !RANDOM_RUN.test(token)) return undefined;
      return m[0].slice(0, m[0].length - token.length) + replacer.value('link_token', token);
    },
  };
}
