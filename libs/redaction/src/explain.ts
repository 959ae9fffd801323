import { foldDigits } from './detectors/folding';
import type { Strategy } from './entities';
import { OTHER_DIGIT } from './string-facts';

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

/** Values of decoded JSON not found as written, after which no more are looked for. */
const MAX_MISSES = 16;

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
  /**
   * The passes running now, innermost last, each with the replacements it made so far: a pass may scrub
   * a string of its own (a decoded payload) with passes of their own. Replacements outside any pass come
   * from a JSON object's sensitive key.
   */
  private readonly passes: { rule: string; changes: Replacement[] }[] = [];
  private current: string;
  private edits: Edit[] = [];
  /** Where the next value of decoded JSON is looked for. */
  private located = 0;
  private misses = 0;

  constructor(
    private readonly original: string,
    private readonly strategyOf: (kind: string) => Strategy,
  ) {
    this.current = original;
  }

  /** The replacer's observer. */
  readonly observe = (kind: string, text: string, replacement: string): void => {
    const pass = this.passes.at(-1);
    const change = { rule: pass?.rule ?? 'key-name', kind, text, replacement };
    if (pass === undefined) this.locate(change);
    else pass.changes.push(change);
  };

  /** The detector named `rule` starts a pass. */
  begin(rule: string): void {
    this.passes.push({ rule, changes: [] });
  }

  /** The pass begun last turned `before` into `after`. */
  passed(before: string, after: string): void {
    const changes = this.passes.pop()?.changes ?? [];
    if (changes.length === 0) return;
    // A string over the length budget is scanned from its start twice, the second time a little past
    // the cut, which finds all the first scan did: its findings replace the first's.
    if (before !== this.current && this.edits.length > 0 && this.original.startsWith(before)) {
      this.edits = [];
      this.findings.length = 0;
    }
    if (before !== this.current && this.edits.length === 0 && this.original.startsWith(before))
      this.current = before;
    if (before !== this.current) {
      for (const change of changes) this.locate(change);
      return;
    }
    const made: Made[] = [];
    const toOriginal = this.originalPositions();
    // A digit detector matched a copy with Bengali (and other) digits folded to ASCII, same length, and
    // reports the folded text: it is looked for in the folded copy, at the same indexes.
    const haystack = OTHER_DIGIT.test(before) ? foldDigits(before) : before;
    let b = 0;
    let a = 0;
    for (const change of changes) {
      const start = this.find(before, haystack, b, after, a, change);
      if (start === undefined) {
        this.locate(change);
        continue;
      }
      const end = start + change.text.length;
      const originalStart = toOriginal(start, true);
      const originalEnd = toOriginal(end, false);
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
  private find(
    before: string,
    haystack: string,
    b: number,
    after: string,
    a: number,
    change: Replacement,
  ): number | undefined {
    const same = commonPrefix(before, b, after, a);
    for (
      let at = haystack.indexOf(change.text, b);
      at !== -1 && at - b <= same;
      at = haystack.indexOf(change.text, at + 1)
    )
      if (after.startsWith(change.replacement, a + at - b)) return at;
    return undefined;
  }

  /**
   * Maps positions of the current text to the original: inside an earlier replacement, to its start or
   * end. Positions must come in increasing order (one walk over the edits per pass).
   */
  private originalPositions(): (position: number, isStart: boolean) => number {
    const edits = this.edits;
    let next = 0;
    let shift = 0;
    return (position, isStart) => {
      while (next < edits.length && edits[next].end <= position) {
        shift = edits[next].originalEnd - edits[next].end;
        next++;
      }
      const edit = edits[next] as Edit | undefined;
      if (edit !== undefined && edit.start < position) return isStart ? edit.originalStart : edit.originalEnd;
      return position + shift;
    };
  }

  /** The new edits and the earlier ones moved to the new text (unless a new one covers them), in order. */
  private merge(made: Made[]): Edit[] {
    const edits: Edit[] = [];
    let next = 0;
    let shift = 0;
    for (const old of this.edits) {
      while (next < made.length && made[next].end <= old.start) {
        const m = made[next++];
        shift += m.afterEnd - m.afterStart - (m.end - m.start);
        edits.push({
          start: m.afterStart,
          end: m.afterEnd,
          originalStart: m.originalStart,
          originalEnd: m.originalEnd,
        });
      }
      const covering = made[next] as Made | undefined;
      if (covering !== undefined && covering.start < old.end) continue;
      edits.push({ ...old, start: old.start + shift, end: old.end + shift });
    }
    for (const m of made.slice(next))
      edits.push({
        start: m.afterStart,
        end: m.afterEnd,
        originalStart: m.originalStart,
        originalEnd: m.originalEnd,
      });
    return edits;
  }

  /**
   * A value from decoded JSON: its next occurrence as written (quoted first) after the last one found,
   * or -1. Values are met in document order (objects keep their key order, but for integer-like keys),
   * and each search starts where the last ended, so the whole text is read about once.
   */
  private locate(change: Replacement): void {
    const escaped = JSON.stringify(change.text).slice(1, -1);
    for (const written of [`"${escaped}"`, escaped]) {
      // A miss reads the rest of the text: after a few, the rest are not looked for (linear cost).
      const at =
        escaped === '' || this.misses >= MAX_MISSES ? -1 : this.original.indexOf(written, this.located);
      if (at === -1) continue;
      const quoted = written.startsWith('"') ? 1 : 0;
      this.located = at + written.length;
      this.add(change, at + quoted, at + written.length - quoted);
      return;
    }
    this.misses++;
    this.add(change, -1, -1);
  }

  private add(change: Replacement, start: number, end: number): void {
    const finding: Finding = {
      rule: change.rule,
      kind: change.kind,
      strategy: this.strategyOf(change.kind),
      start,
      end,
      text: start === -1 ? change.text : this.original.slice(start, end),
      replacement: change.replacement,
    };
    this.findings.push(finding);
  }
}
