import { keyValueSpans, replaceSpans } from '../key-value-pass';
import type { KeyMatcher } from '../sensitive-keys';
import type { Replacer } from '../strategies';
import type { StringFacts } from '../string-facts';
import { commandLinePass, mayHoldCommandOption, mayHoldUserPath } from './command-line';
import type { SecretSpan } from './cookies';
import { type DecodedView, htmlDecodedView, urlDecodedView } from './decoded-view';
import { htmlCellSpans } from './html-cells';
import { inputValueSpans, mayHoldQuotedCredential, quotedCredentialSpans } from './quoted-credentials';
import {
  mayHoldEncodedProseCredential,
  mayHoldProseCredential,
  proseCredentialSpans,
} from './prose-credentials';
import {
  constraintValueSpans,
  mayHoldConstraintError,
  mayHoldPasswordLiteral,
  passwordLiteralSpans,
  sqlValueSpans,
} from './sql-values';

// URL-encoded separators and quotes (`password%3Dhunter2`, `%22password%22%3A%22…%22`).
const URL_ENCODED_SEPARATOR = /%(?:3[ADad]|2[27])/;
const HTML_QUOTE_ENTITY = /&(?:#x27|#39|quot|#34);/;
const printsParameters = (s: string): boolean =>
  s.includes('args=') || s.includes('params=') || s.includes('parameters:');
const hasSql = (s: string): boolean => s.includes('INSERT') || s.includes('insert') || printsParameters(s);
/** SQL with values or printed parameters; the facts first (an upper-case INSERT has 6 capitals). */
const mayHoldSql = (s: string, f: StringFacts): boolean =>
  (f.upper >= 6 && s.includes('INSERT')) ||
  (f.lower >= 6 && s.includes('insert')) ||
  (f.keyValue && printsParameters(s));

// A password literal's words (`password '…'`, `IDENTIFIED BY`) have 6 letters of one case.
const mayHoldSqlOrError = (s: string, f: StringFacts): boolean =>
  mayHoldSql(s, f) ||
  (f.upper > 0 && mayHoldConstraintError(s)) ||
  ((f.lower >= 6 || f.upper >= 6) && mayHoldPasswordLiteral(s));

// Pairs of a Python list of tuples (`[('password', 'hunter2')]`): the key-value pass reads them,
// and runs here only when nothing else (a `:` or `=` after a key) already made it run.
const mayHoldPairs = (s: string, f: StringFacts): boolean =>
  !f.keyValue && f.openParen && (s.includes("('") || s.includes('("'));

/**
 * Whether any surface pass may find something in `s`: the facts first, then one substring test per
 * surface (a `%` before URL-encoded separators, an `&` before HTML entities, a space before SQL and
 * command lines), so an ordinary log line pays a few `includes`.
 */
export function mayHoldSurface(s: string, f: StringFacts): boolean {
  if (s.length < 8) return false;
  if (f.percent && URL_ENCODED_SEPARATOR.test(s)) return true;
  if (f.ampersand && HTML_QUOTE_ENTITY.test(s)) return true;
  if (f.lessThan && (s.includes('</td>') || s.includes('<input'))) return true;
  if (f.nonAscii && mayHoldQuotedCredential(s)) return true;
  if (f.space && (mayHoldSqlOrError(s, f) || (f.dash && mayHoldCommandOption(s)) || mayHoldPairs(s, f)))
    return true;
  if (f.digits > 0 && (f.space ? mayHoldProseCredential(s) : f.plus && mayHoldEncodedProseCredential(s)))
    return true;
  // `/home/` needs a slash, `Users` a capital.
  return (f.slash || f.upper > 0) && mayHoldUserPath(s);
}

/** Spans found in a decoded view, in the coordinates of the encoded input. */
const mapped = (view: DecodedView, spans: readonly SecretSpan[]): SecretSpan[] =>
  spans.map((span) => ({ start: view.origin[span.start], end: view.origin[span.end], kind: span.kind }));

/**
 * Where secrets hide in text beyond plain `key=value`: SQL with literal values and printed parameters,
 * HTML tables of names and values (Django's debug page), HTML-escaped and URL-encoded key-value text, pairs of Python lists of tuples,
 * and command-line credentials (curl's `-u user:password`, `--password=…`). (User names in home directory paths are `userPathPass`, a detector of
 * its own so that a policy can turn it off.)
 */
export function surfacePass(keyKindOf: KeyMatcher, replacer: Replacer): (input: string) => string {
  const sql = sqlValueSpans(keyKindOf);
  const constraint = constraintValueSpans(keyKindOf);
  const cells = htmlCellSpans(keyKindOf);
  const keyValues = keyValueSpans(keyKindOf);
  const commandLine = commandLinePass(keyKindOf, replacer);
  const inputs = inputValueSpans(keyKindOf);
  return (input) => {
    // Command lines first: curl's `user:password` may run into text the other passes read as keys.
    let out = mayHoldCommandOption(input) ? commandLine(input) : input;
    if (hasSql(out)) out = replaceSpans(out, sql(out), replacer);
    if (mayHoldConstraintError(out)) out = replaceSpans(out, constraint(out), replacer);
    if (mayHoldPasswordLiteral(out)) out = replaceSpans(out, passwordLiteralSpans(out), replacer);
    if (mayHoldProseCredential(out)) out = replaceSpans(out, proseCredentialSpans(out), replacer);
    if (mayHoldQuotedCredential(out)) out = replaceSpans(out, quotedCredentialSpans(out), replacer);
    if (out.includes('</td>')) out = replaceSpans(out, cells(out), replacer);
    if (out.includes('<input')) out = replaceSpans(out, inputs(out), replacer);
    if (out.includes('&') && HTML_QUOTE_ENTITY.test(out)) {
      const view = htmlDecodedView(out);
      out = replaceSpans(out, mapped(view, keyValues(view.text)), replacer);
    }
    if (out.includes("('") || out.includes('("')) out = replaceSpans(out, keyValues(out), replacer);
    if (mayHoldEncodedProseCredential(out)) {
      const view = urlDecodedView(out);
      out = replaceSpans(out, mapped(view, proseCredentialSpans(view.text)), replacer);
    }
    if (out.includes('%') && URL_ENCODED_SEPARATOR.test(out)) {
      const view = urlDecodedView(out);
      out = replaceSpans(out, mapped(view, keyValues(view.text)), replacer);
    }
    return out;
  };
}
