import type { Strategy } from './entities';

/** One value `explain` found: which rule replaced what, where, and with what. */
export interface Finding {
  /**
   * The detector or rule: a built-in's name (`email`, `key-value`, `header-line`, ...), `rules[i]` for
   * the policy's i-th rule, or `key-name` for the value of a sensitive key of a JSON object.
   */
  rule: string;
  kind: string;
  strategy: Strategy;
  /**
   * Where the value lies in the explained text: `[start, end)`. Inside JSON that the redactor decodes
   * and encodes again, the first occurrence of the value as written; -1 when it is not written as is
   * (escaped differently, a number in another notation).
   */
  start: number;
  end: number;
  /** The original value (the secret itself: show it with care). */
  text: string;
  replacement: string;
}

export interface Explanation {
  /** What `redactString` returns for the same text. */
  output: string;
  findings: Finding[];
}

/** A replaced stretch of the text being rewritten, and the stretch of the original it stands for. */
interface Edit {
  start: number;
  end: number;
  originalStart: number;
  originalEnd: number;
}

/** An edit a pass made, with where its replacement lies in the pass's output. */
interface Made extends Edit {
  afterStart: number;
  afterEnd: number;
}

interface Replacement {
  rule: string;
  kind: string;
  text: string;
  replacement: string;
}

const commonPrefix = (a: string, aFrom: number, b: string, bFrom: number): number => {
  let n = 0;
  while (aFrom + n < a.length && bFrom + n < b.length && a.charCodeAt(aFrom + n) === b.charCodeAt(bFrom + n))
    n++;
  return n;
};

/**
 * What one `explain` call records. Detectors rewrite the text pass after pass, each left to right; the
 * replacements a pass reports (through the replacer's observer) are found again in its input and
 * output, and their positions mapped back through the edits of the earlier passes to the original.
 * Strings inside decoded JSON are other strings: their values are looked up in the original instead.
 */
export class ExplainTrace {
  readonly findings: Finding[] = [];
  /** The detector running now; replacements outside a pass come from a JSON object's sensitive key. */
  rule: string | undefined;
  private current: string;
  private edits: Edit[] = [];
  private pending: Replacement[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly original: string,
    private readonly strategyOf: (kind: string) => Strategy,
  ) {
    this.current = original;
  }

  /** The replacer's observer. */
  readonly observe = (kind: string, text: string, replacement: string): void => {
    const change = { rule: this.rule ?? 'key-name', kind, text, replacement };
    if (this.rule === undefined) this.locate(change);
    else this.pending.push(change);
  };

  /** A detector turned `before` into `after`. */
  passed(before: string, after: string): void {
    const changes = this.pending;
    this.pending = [];
    this.rule = undefined;
    if (changes.length === 0) return;
    if (before !== this.current) {
      for (const change of changes) this.locate(change);
      return;
    }
    const made: Made[] = [];
    let b = 0;
    let a = 0;
    for (const change of changes) {
      const start = this.find(before, b, after, a, change);
      if (start === undefined) {
        this.locate(change);
        continue;
      }
      const end = start + change.text.length;
      const originalStart = this.toOriginal(start, true);
      const originalEnd = this.toOriginal(end, false);
      const afterStart = a + start - b;
      const afterEnd = afterStart + change.replacement.length;
      this.add(change, originalStart, originalEnd);
      made.push({ start, end, originalStart, originalEnd, afterStart, afterEnd });
      b = end;
      a = afterEnd;
    }
    this.edits = this.merge(made);
    this.current = after;
  }

  /** Where `change` starts in `before` at or after `b`, given that `after` from `a` has its replacement. */
  private find(before: string, b: number, after: string, a: number, change: Replacement): number | undefined {
    const same = commonPrefix(before, b, after, a);
    for (
      let at = before.indexOf(change.text, b);
      at !== -1 && at - b <= same;
      at = before.indexOf(change.text, at + 1)
    )
      if (after.startsWith(change.replacement, a + at - b)) return at;
    return undefined;
  }

  /** A position of the current text in the original; inside an earlier replacement, its start or end. */
  private toOriginal(position: number, isStart: boolean): number {
    let shift = 0;
    for (const edit of this.edits) {
      if (position <= edit.start) break;
      if (position < edit.end) return isStart ? edit.originalStart : edit.originalEnd;
      shift = edit.originalEnd - edit.end;
    }
    return position + shift;
  }

  /** The earlier edits moved to the new text (or swallowed by a new one) and the new ones, in order. */
  private merge(made: Made[]): Edit[] {
    const edits: Edit[] = made.map((m) => ({
      start: m.afterStart,
      end: m.afterEnd,
      originalStart: m.originalStart,
      originalEnd: m.originalEnd,
    }));
    for (const old of this.edits) {
      if (made.some((m) => old.start < m.end && m.start < old.end)) continue;
      let shift = 0;
      for (const m of made) if (m.end <= old.start) shift += m.afterEnd - m.afterStart - (m.end - m.start);
      edits.push({ ...old, start: old.start + shift, end: old.end + shift });
    }
    return edits.sort((x, y) => x.start - y.start);
  }

  /** A value from decoded JSON: its first occurrence as written (quoted first), or -1. */
  private locate(change: Replacement): void {
    const escaped = JSON.stringify(change.text).slice(1, -1);
    for (const written of [`"${escaped}"`, escaped, change.text]) {
      const at = this.original.indexOf(written);
      if (at === -1 || written === '""') continue;
      const quoted = written.startsWith('"') ? 1 : 0;
      this.add(change, at + quoted, at + written.length - quoted);
      return;
    }
    this.add(change, -1, -1);
  }

  private add(change: Replacement, start: number, end: number): void {
    // A string over the length budget is scanned twice (alone and with what follows the cut).
    const key = `${change.rule}\u0000${start}\u0000${end}\u0000${change.text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({
      rule: change.rule,
      kind: change.kind,
      strategy: this.strategyOf(change.kind),
      start,
      end,
      text: start === -1 ? change.text : this.original.slice(start, end),
      replacement: change.replacement,
    });
  }
}
