// The corpus scorer itself: what it counts as seen (every string and number of the output, keys included), how
// it scores leaky and destructive redactors, and that it refuses a malformed corpus.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  type CorpusCase,
  formatFailures,
  formatTable,
  loadCorpus,
  scoreCorpus,
  visibleText,
} from './corpus/score.mjs';

const corpus: CorpusCase[] = [
  {
    id: 'a-1',
    category: 'a',
    surface: 's',
    input: 'mail rahim@example.com about ORD-1',
    sensitive: ['rahim@example.com'],
    keep: ['ORD-1'],
  },
  {
    id: 'a-2',
    category: 'a',
    surface: 's',
    input: { password: 'hunter2!', order: 'ORD-2' },
    sensitive: ['hunter2!'],
    keep: ['ORD-2'],
  },
  {
    id: 'b-1',
    category: 'b',
    surface: 's',
    input: { count: 1532, id: 'u-77' },
    sensitive: [],
    keep: ['1532', 'u-77'],
  },
];

const identity = (input: unknown): unknown => input;
const wipeAll = (): unknown => '[REDACTED]';
/** Removes exactly the sensitive values: a perfect redactor for this corpus. */
const exact = (input: unknown): unknown =>
  JSON.parse(
    JSON.stringify(input).replace('rahim@example.com', '[REDACTED:email]').replace('hunter2!', '[REDACTED]'),
  );

describe('visibleText', () => {
  it('lists keys, strings and numbers of nested values, one per line', () => {
    expect(visibleText({ a: ['x', 2, { b: null, c: true }] })).toBe('a\nx\n2\nb\nc');
    expect(visibleText('plain')).toBe('plain');
  });

  it('sees a value hidden in a key', () => {
    expect(visibleText({ 'rahim@example.com': 1 })).toContain('rahim@example.com');
  });
});

describe('scoreCorpus', () => {
  it('scores a redactor that changes nothing at recall 0 and keep 1, listing every leak', () => {
    const score = scoreCorpus(corpus, identity);
    expect(score.overall.recall).toBe(0);
    expect(score.overall.keepRate).toBe(1);
    expect(score.failures.flatMap((f) => f.missed)).toEqual(['rahim@example.com', 'hunter2!']);
  });

  it('scores a redactor that wipes everything at recall 1 and keep 0', () => {
    const score = scoreCorpus(corpus, wipeAll);
    expect(score.overall.recall).toBe(1);
    expect(score.overall.keepRate).toBe(0);
    expect(score.failures.map((f) => f.id)).toEqual(['a-1', 'a-2', 'b-1']);
  });

  it('scores an exact redactor at 1 and 1, per category too', () => {
    const score = scoreCorpus(corpus, exact);
    expect(score.overall).toMatchObject({ recall: 1, keepRate: 1, cases: 3, sensitive: 2, keep: 4 });
    expect(score.categories.map((c) => [c.category, c.cases])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(score.failures).toEqual([]);
  });

  it('counts a redactor that throws as keeping nothing on that case', () => {
    const score = scoreCorpus(corpus, () => {
      throw new Error('boom');
    });
    expect(score.overall.keepRate).toBe(0);
    expect(score.failures[0].output).toContain('boom');
  });

  it('gives the redactor a copy, so a mutating redactor cannot change the corpus', () => {
    scoreCorpus(corpus, (input) => {
      if (input && typeof input === 'object') (input as Record<string, unknown>).password = 'x';
      return input;
    });
    expect((corpus[1].input as Record<string, unknown>).password).toBe('hunter2!');
  });

  it('formats a table with one line per category and the overall line, and the failures', () => {
    const score = scoreCorpus(corpus, identity);
    const table = formatTable(score).split('\n');
    expect(table).toHaveLength(5);
    expect(table[4]).toMatch(/^overall\s+3\s+2\/2\s+0\/4\s+0\.000\s+1\.000$/);
    expect(formatFailures(score.failures)).toContain('leaked:    "hunter2!"');
  });
});

describe('loadCorpus', () => {
  const write = (files: Record<string, unknown>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-'));
    for (const [name, body] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), JSON.stringify(body));
    return dir;
  };
  const file = (category: string, ids: string[]) => ({
    category,
    surface: 's',
    anchor: 'x',
    cases: ids.map((id) => ({ id, input: 'v', sensitive: [], keep: ['v'] })),
  });

  it('tags each case with its category and surface', () => {
    const cases = loadCorpus(write({ 'x.json': file('x', ['x-1', 'x-2']) }));
    expect(cases.map((c) => [c.id, c.category, c.surface])).toEqual([
      ['x-1', 'x', 's'],
      ['x-2', 'x', 's'],
    ]);
  });

  it('refuses duplicate ids, a category that is not its file name, and a case that checks nothing', () => {
    expect(() => loadCorpus(write({ 'x.json': file('x', ['d']), 'y.json': file('y', ['d']) }))).toThrow(
      /duplicate/,
    );
    expect(() => loadCorpus(write({ 'x.json': file('y', ['y-1']) }))).toThrow(/file name/);
    const empty = { ...file('z', []), cases: [{ id: 'z-1', input: 'v', sensitive: [], keep: [] }] };
    expect(() => loadCorpus(write({ 'z.json': empty }))).toThrow(/checks nothing/);
  });
});
