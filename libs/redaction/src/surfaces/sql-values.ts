import { isMarker } from '../markers';
import type { KeyMatcher } from '../sensitive-keys';
import type { SecretSpan } from './cookies';
import { isMaskedValue } from './masked';

// `INSERT INTO t (c1, c2, …) VALUES`: the column list decides what each position of a tuple holds.
const INSERT_HEAD =
  /\binsert[ \t\r\n]+(?:ignore[ \t\r\n]+)?into[ \t\r\n]+[^\s(]{1,128}[ \t\r\n]*\(([^()]{1,4096})\)[ \t\r\n]*values[ \t\r\n]*/giy;
const INSERT_WORD = /\binsert\b/gi;
// The parameters printed after a statement: Django's `; args=(…)`, `params=(…)`, SQLAlchemy's
// `[parameters: (…)]`.
const ARGS = /(?:\bargs|\bparams|\bparameters)[ \t]*[=:][ \t]*(?=[([])/gy;
// A column compared with a placeholder or a literal: `"users"."email" = %s`, `password = ?`.
const COMPARED_COLUMN = /([\p{L}_][\p{L}\p{N}_]{0,63})["`\]]?[ \t]*(?:=|<>|!=|\blike|\bilike)[ \t]*$/iu;
const PLACEHOLDER = /^(?:%s|\?|\$\d{1,4}|:\d{1,4})$/;
// A column compared with or assigned a literal string or number: `"customer"."nid" = '123'`, `id = 5`.
const COMPARED_LITERAL =
  /(?<![\p{L}\p{N}_])([\p{L}_][\p{L}\p{N}_]{0,63})["`\]]?[ \t]*(?:=|<>|!=)[ \t]*(?='|-?\d)/gu;
const HAS_MARKER = /\[(?:REDACTED|HASH:)|\*{4}/;
const KEPT_WORDS = /^(?:null|none|default|true|false)$/i;
const MAX_ITEMS = 10_000;
const QUOTES = /^["`[]|["`\]]$/g;

/**
 * Whether an item holds a value to remove: not empty, `NULL` or a flag, nor already a marker (a bare
 * item that holds one was cut by another pass: `password=[REDACTED]`).
 */
const holdsValue = (item: Item, text: string): boolean =>
  item.end > item.start && (item.quoted ? !isMarker(text) : !KEPT_WORDS.test(text) && !HAS_MARKER.test(text));

/** The kind a column names, by its last dotted part without quotes (`"users"."email"` → email). */
const columnKind =
  (keyKindOf: KeyMatcher) =>
  (column: string): string | undefined =>
    keyKindOf(column.trim().replace(QUOTES, '').split('.').pop() ?? '');

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

function skipSpaces(input: string, from: number): number {
  let i = from;
  while (i < input.length && isSpace(input.charCodeAt(i))) i++;
  return i;
}

/** One item of a tuple: where its text lies, and whether it is a quoted string (span inside quotes). */
interface Item {
  start: number;
  end: number;
  quoted: boolean;
}

/** A quoted SQL or Python string from its opening quote: the end, after the closing one. */
function quotedEnd(input: string, from: number): number {
  const quote = input.charCodeAt(from);
  let i = from + 1;
  while (i < input.length) {
    const c = input.charCodeAt(i);
    if (c === 92)
      i += 2; // backslash escape
    else if (c === quote) {
      if (input.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2; // '' inside a SQL string
    } else i++;
  }
  return input.length;
}

/**
 * The items of a parenthesized tuple starting at `open` (`(`): quoted strings, numbers, NULL, calls
 * such as `now()` or `datetime.date(1990, 1, 2)`. Returns the items and the index after `)`.
 */
function tupleItems(input: string, open: number): { items: Item[]; end: number } {
  const items: Item[] = [];
  let i = open + 1;
  while (i < input.length && items.length < MAX_ITEMS) {
    i = skipSpaces(input, i);
    const c = input.charCodeAt(i);
    if (c === 41) return { items, end: i + 1 }; // ) of an empty tuple or after a trailing comma
    const start = i;
    const prefixed = (c === 98 || c === 66 || c === 117 || c === 69) && input.charCodeAt(i + 1) === 39; // b'' u'' E''
    if (c === 39 || c === 34 || prefixed) {
      const opening = prefixed ? i + 1 : i;
      i = quotedEnd(input, opening);
      items.push({ start: opening + 1, end: i - 1, quoted: true });
    } else {
      let depth = 0;
      for (; i < input.length; i++) {
        const d = input.charCodeAt(i);
        if (d === 40) depth++;
        else if (d === 41) {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (d === 44 || (d === 93 && c !== 91) || isSpace(d)))
          break; // a bare value has no space outside ( ), and `]` closes a printed list
        else if (d === 39 || d === 34) i = quotedEnd(input, i) - 1;
      }
      let end = i;
      while (end > start && isSpace(input.charCodeAt(end - 1))) end--;
      items.push({ start, end, quoted: false });
    }
    i = skipSpaces(input, i);
    const next = input.charCodeAt(i);
    if (next === 41) return { items, end: i + 1 };
    if (next !== 44) return { items, end: i };
    i++;
  }
  return { items, end: i };
}

/**
 * Values of sensitive columns in SQL written with its values (`INSERT INTO users (email, password)
 * VALUES ('…', '…'), (…)`), and in the parameters a driver or Django printed after a statement with
 * placeholders (`… VALUES (%s, %s); args=('…', '…')`, `WHERE "email" = %s; args=('…',)`). A column's
 * name decides, by the same key phrases as everywhere: `password_hash` goes, `name` stays.
 */
export function sqlValueSpans(keyKindOf: KeyMatcher): (input: string) => SecretSpan[] {
  const kindOfColumn = columnKind(keyKindOf);

  return (input) => {
    const spans: SecretSpan[] = [];
    // Placeholders in the order they appear and the column each stands for; and the column of every
    // value of the tuples (Django's sqlite and MySQL backends print the statement with its values
    // in place and the same values again as `args=[…]`).
    const placeholderKinds: (string | undefined)[] = [];
    const valueKinds: (string | undefined)[] = [];
    let from = 0;
    let statementStart = 0;
    INSERT_WORD.lastIndex = 0;
    let word: RegExpExecArray | null;
    while ((word = INSERT_WORD.exec(input)) !== null) {
      INSERT_HEAD.lastIndex = word.index;
      const head = INSERT_HEAD.exec(input);
      if (head === null) continue;
      statementStart = word.index;
      const kinds = head[1].split(',').map(kindOfColumn);
      let i = INSERT_HEAD.lastIndex;
      while (input.charCodeAt(i) === 40) {
        const tuple = tupleItems(input, i);
        tuple.items.forEach((item, position) => {
          const text = input.slice(item.start, item.end);
          valueKinds.push(kinds[position]);
          if (PLACEHOLDER.test(text)) placeholderKinds.push(kinds[position]);
          else {
            const kind = kinds[position];
            if (kind !== undefined && holdsValue(item, text))
              spans.push({ start: item.start, end: item.end, kind });
          }
        });
        i = skipSpaces(input, tuple.end);
        if (input.charCodeAt(i) !== 44) break;
        i = skipSpaces(input, i + 1);
      }
      from = i;
      INSERT_WORD.lastIndex = Math.max(i, word.index + 1);
    }
    const args = argsAfter(input, from);
    if (args === undefined) return spans;
    // Placeholders outside an INSERT's tuples: the column they are compared with or assigned to.
    // Without placeholders, parameters that match the values one for one are those values.
    const kinds =
      placeholderKinds.length > 0
        ? placeholderKinds
        : valueKinds.length === args.items.length
          ? valueKinds
          : comparedValues(input, statementStart, args.at, args.items.length);
    args.items.forEach((item, position) => {
      const kind = kinds[position];
      if (kind !== undefined && holdsValue(item, input.slice(item.start, item.end)))
        spans.push({ start: item.start, end: item.end, kind });
    });
    return spans.sort((a, b) => a.start - b.start);

    function comparedPlaceholders(text: string, start: number, end: number): (string | undefined)[] {
      const found: (string | undefined)[] = [];
      const placeholders = /%s|\?|\$\d{1,4}/g;
      placeholders.lastIndex = start;
      let p: RegExpExecArray | null;
      while ((p = placeholders.exec(text)) !== null && p.index < end && found.length < MAX_ITEMS) {
        const column = COMPARED_COLUMN.exec(text.slice(Math.max(start, p.index - 80), p.index));
        found.push(column === null ? undefined : kindOfColumn(column[1]));
      }
      return found;
    }

    /**
     * The columns the parameters stand for, outside an INSERT: those compared with or assigned a
     * placeholder; without placeholders (Django's sqlite and MySQL backends print the statement with
     * the values in place), those compared with or assigned a literal, when there are as many as
     * parameters (a literal the statement itself holds, `LIMIT 21` or `status = 'paid'`, makes the
     * counts differ, and nothing is mapped).
     */
    function comparedValues(text: string, start: number, end: number, count: number): (string | undefined)[] {
      const placeholders = comparedPlaceholders(text, start, end);
      if (placeholders.length > 0) return placeholders;
      const found: (string | undefined)[] = [];
      COMPARED_LITERAL.lastIndex = start;
      let literal: RegExpExecArray | null;
      while ((literal = COMPARED_LITERAL.exec(text)) !== null && literal.index < end && found.length <= count)
        found.push(kindOfColumn(literal[1]));
      return found.length === count ? found : [];
    }
  };
}

/** The tuple of parameters printed after a statement, if any: its items and where it starts. */
function argsAfter(input: string, from: number): { items: Item[]; at: number } | undefined {
  const at = input.search(/\b(?:args|params|parameters)[ \t]*[=:][ \t]*[([]/);
  if (at === -1 || at < from) return undefined;
  ARGS.lastIndex = at;
  if (!ARGS.test(input)) return undefined;
  return { items: tupleItems(input, ARGS.lastIndex).items, at };
}

// Constraint errors that print a row's values: Postgres `DETAIL:  Key (email)=(a@b.io) already
// exists.` (columns and values joined by ", ") and MySQL `Duplicate entry 'a@b.io' for key
// 'users.email'`.
// Bounded, without a lazy scan: a value holding a parenthesis is not matched (rare in unique keys).
const POSTGRES_KEY = /\bKey \(([^()\n]{1,512})\)=\(([^()\n]{0,1024})\)/g;
const MYSQL_DUPLICATE = /\bDuplicate entry '([^'\n]{0,2048})' for key '([^'\n]{1,256})'/g;

export const mayHoldConstraintError = (s: string): boolean =>
  s.includes('Key (') ||
  s.includes('Duplicate entry') ||
  s.includes('parameters: $') ||
  s.includes('input_value=');

// A pydantic v2 validation error as logged: the field's location on its own line, then the message
// with `[type=…, input_value='…', input_type=str]` on the next, indented: the field names the input.
const ERROR_LINE = /^[ \t]{1,8}[^\n]{0,512}\[type=[\w.]{1,64}, $/;
const FIELD_LINE = /^[ \t]{0,8}([A-Za-z_][\w.]{0,127})[ \t]*\r?$/;
const INPUT_VALUE = 'input_value=';
const MAX_LINE = 640;

/** The field named on the line before `lineStart`, read at most `MAX_LINE` characters back. */
function fieldLineBefore(input: string, lineStart: number): string | undefined {
  const from = Math.max(0, lineStart - 1 - MAX_LINE);
  const previous = input.slice(from, lineStart - 1);
  const start = previous.lastIndexOf('\n');
  if (start < 0 && from > 0) return undefined;
  const field = FIELD_LINE.exec(previous.slice(start + 1));
  if (field === null) return undefined;
  const parts = field[1].split('.');
  return parts[parts.length - 1];
}

/** Where a Python repr value at `from` ends: a quoted string (with `\'` escapes), or up to `,` or `]`. */
function reprValueEnd(input: string, from: number): { start: number; end: number } | undefined {
  const quote = input.charCodeAt(from);
  const limit = Math.min(input.length, from + 2048);
  if (quote === 39 || quote === 34) {
    for (let i = from + 1; i < limit; i++) {
      const c = input.charCodeAt(i);
      if (c === 92) i++;
      else if (c === quote) return { start: from + 1, end: i };
      else if (c === 10) return undefined;
    }
    return undefined;
  }
  let i = from;
  while (i < limit && ![44, 93, 10].includes(input.charCodeAt(i))) i++;
  return { start: from, end: i };
}

function validationInputSpans(input: string, kindOfColumn: (c: string) => string | undefined): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (let at = input.indexOf(INPUT_VALUE); at >= 0; at = input.indexOf(INPUT_VALUE, at + 1)) {
    const from = Math.max(0, at - MAX_LINE);
    const lineStart = input.lastIndexOf('\n', at) + 1;
    if (lineStart === 0 || lineStart < from || !ERROR_LINE.test(input.slice(lineStart, at))) continue;
    const field = fieldLineBefore(input, lineStart);
    const kind = field === undefined ? undefined : kindOfColumn(field);
    const value = kind === undefined ? undefined : reprValueEnd(input, at + INPUT_VALUE.length);
    if (kind !== undefined && value !== undefined && value.end > value.start) {
      const text = input.slice(value.start, value.end);
      if (!HAS_MARKER.test(text)) spans.push({ start: value.start, end: value.end, kind });
    }
  }
  return spans;
}

// Postgres' statement log with bind parameters (`log_statement`): `execute <unnamed>: UPDATE kyc SET
// real_name = $1 WHERE id = $2` then `DETAIL:  parameters: $1 = 'Rumana …', $2 = '771'`. Each `$n`
// takes the column it is assigned or compared to in the statement before it.
const BOUND_COLUMN =
  /([A-Za-z_]\w{0,63})["`\]]?[ \t]{0,4}(?:=|<>|!=|\blike\b|\bilike\b)[ \t]{0,4}\$(\d{1,4})\b/gi;
const BIND_LIST = /\bparameters: (?=\$\d)/g;
const BOUND_VALUE = /\$(\d{1,4}) = (?:'((?:[^'\n]|''){0,2048})'|NULL)(?:, |$|(?=\s))/y;

/** Values of bind parameters printed after a Postgres statement, by the column each is bound to. */
function boundParameterSpans(
  input: string,
  kindOfColumn: (column: string) => string | undefined,
): SecretSpan[] {
  const spans: SecretSpan[] = [];
  if (!input.includes('parameters: $')) return spans;
  const columns = [...input.matchAll(BOUND_COLUMN)];
  let next = 0;
  let kinds = new Map<string, string | undefined>();
  for (const list of input.matchAll(BIND_LIST)) {
    // The columns of the statement since the last parameter list.
    while (next < columns.length && (columns[next].index ?? 0) < list.index) {
      kinds.set(columns[next][2], kindOfColumn(columns[next][1]));
      next++;
    }
    BOUND_VALUE.lastIndex = list.index + list[0].length;
    let value: RegExpExecArray | null;
    while ((value = BOUND_VALUE.exec(input)) !== null) {
      const kind = kinds.get(value[1]);
      const text = value[2];
      if (kind !== undefined && text !== undefined && text.length > 0 && !HAS_MARKER.test(text)) {
        const start = value.index + value[1].length + 5;
        spans.push({ start, end: start + text.length, kind });
      }
    }
    kinds = new Map();
  }
  return spans;
}

/** Values of sensitive columns printed by a constraint error (Postgres DETAIL, MySQL duplicate entry). */
export function constraintValueSpans(keyKindOf: KeyMatcher): (input: string) => SecretSpan[] {
  const kindOfColumn = columnKind(keyKindOf);
  return (input) => {
    const spans: SecretSpan[] = [];
    for (const match of input.matchAll(POSTGRES_KEY)) {
      const columns = match[1].split(', ');
      const valuesStart = match.index + match[0].indexOf(')=(') + 3;
      const values = match[2].split(', ');
      if (columns.length !== values.length) {
        // Values hold ", " themselves: the whole tuple goes when any column is sensitive.
        const kind = columns.map(kindOfColumn).find((k) => k !== undefined);
        if (kind !== undefined) spans.push({ start: valuesStart, end: valuesStart + match[2].length, kind });
        continue;
      }
      let at = valuesStart;
      columns.forEach((column, i) => {
        const kind = kindOfColumn(column);
        if (kind !== undefined && values[i].length > 0)
          spans.push({ start: at, end: at + values[i].length, kind });
        at += values[i].length + 2;
      });
    }
    spans.push(...boundParameterSpans(input, kindOfColumn), ...validationInputSpans(input, kindOfColumn));
    for (const match of input.matchAll(MYSQL_DUPLICATE)) {
      const kind = kindOfColumn(match[2]);
      const start = match.index + "Duplicate entry '".length;
      if (kind !== undefined && match[1].length > 0)
        spans.push({ start, end: start + match[1].length, kind });
    }
    return spans.sort((a, b) => a.start - b.start);
  };
}

// A password given to the database as a literal: Postgres `ALTER USER u WITH [ENCRYPTED] PASSWORD
// '…'`, MySQL `IDENTIFIED [WITH plugin] BY '…'`, and a driver's error quoting it (`(password '…')`).
// Only a quoted literal: `PASSWORD NULL`, `password reset` and `password_hash = …` are not one.
const PASSWORD_LITERAL =
  /\b(?:password|identified[ \t]+(?:with[ \t]+[\w-]{1,64}[ \t]+)?by)[ \t]+(['"])([^'"\n]{1,256})\1/gi;

export const mayHoldPasswordLiteral = (s: string): boolean =>
  s.includes('ssword ') || s.includes('SSWORD ') || s.includes('dentified ') || s.includes('DENTIFIED ');

/** Password literals of SQL statements and driver errors (see `PASSWORD_LITERAL`). */
export function passwordLiteralSpans(input: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of input.matchAll(PASSWORD_LITERAL)) {
    const value = match[2];
    if (isMarker(value) || isMaskedValue(value)) continue;
    const start = match.index + match[0].length - value.length - 1;
    spans.push({ start, end: start + value.length, kind: 'secret' });
  }
  return spans;
}
