import type { KeyMatcher } from '../sensitive-keys';
import { cookieSpans, isCookieKey, type SecretSpan } from './cookies';
import { htmlDecodedView } from './decoded-view';
import { isMaskedValue } from './masked';

// A table row whose first cell names the value in the next one: Django's debug page (`<td>password</td>
// <td class="code"><pre>&#x27;hunter2&#x27;</pre></td>` for POST, COOKIES, META, settings and frame
// locals), admin change lists, HTML e-mails. The name cell is bounded, so is the space between.
const NAME_THEN_VALUE_CELL =
  /<t([dh])(?:[ \t][^<>]{0,64})?>[ \t\r\n]{0,64}([^<>]{1,128}?)[ \t\r\n]{0,64}<\/t\1>[ \t\r\n]{0,256}<td(?:[ \t][^<>]{0,64})?>(?:<pre>)?/g;
const CELL_END = /<\/pre>|<\/td>/g;
const HAS_MARKER = /\[REDACTED|\[HASH:|\*{4}/;
const TRAILING_COLON = /[ \t]*[:：]$/;
// One layer of quoting around a printed value: `'…'` as Python repr, HTML-escaped or not.
const QUOTED = /^(&#x27;|&#39;|&quot;|['"])([\s\S]*)\1$/;

/** The value of a sensitive name cell: inside its quotes, unless it is masked (Django's `****…`). */
function valueSpan(content: string, at: number, kind: string): SecretSpan | undefined {
  const quoted = QUOTED.exec(content);
  const inner = quoted === null ? content : quoted[2];
  const start = at + (quoted === null ? 0 : quoted[1].length);
  // Markup in the cell is a link or a form (`<a href="…">Change</a>`), not a printed value; a marker
  // in it means a pass already took what it held.
  if (inner.trim().length === 0 || inner.includes('<') || HAS_MARKER.test(inner) || isMaskedValue(inner))
    return undefined;
  return { start, end: start + inner.length, kind };
}

/** Values in the cell after a cell that names a sensitive key; a Cookie header loses only its cookies. */
export function htmlCellSpans(keyKindOf: KeyMatcher): (input: string) => SecretSpan[] {
  return (input) => {
    const spans: SecretSpan[] = [];
    NAME_THEN_VALUE_CELL.lastIndex = 0;
    // The next cell end at or after the current row: found once per end, so the scan stays linear
    // even when no cell is closed.
    let cellEnd = -1;
    let match: RegExpExecArray | null;
    while ((match = NAME_THEN_VALUE_CELL.exec(input)) !== null) {
      const name = htmlDecodedView(match[2]).text.replace(TRAILING_COLON, '');
      const kind = keyKindOf(name);
      if (kind === undefined) continue;
      const from = NAME_THEN_VALUE_CELL.lastIndex;
      if (cellEnd < from) {
        CELL_END.lastIndex = from;
        cellEnd = CELL_END.exec(input)?.index ?? input.length;
      }
      if (isCookieKey(name)) {
        const view = htmlDecodedView(input.slice(from, cellEnd));
        for (const span of cookieSpans(view.text, 0, view.text.length, keyKindOf))
          spans.push({ start: from + view.origin[span.start], end: from + view.origin[span.end], kind });
        NAME_THEN_VALUE_CELL.lastIndex = Math.max(from, cellEnd);
        continue;
      }
      const span = valueSpan(input.slice(from, cellEnd), from, kind);
      if (span === undefined) continue; // the rows inside a cell of markup are read on their own
      spans.push(span);
      NAME_THEN_VALUE_CELL.lastIndex = Math.max(from, cellEnd);
    }
    return spans;
  };
}
