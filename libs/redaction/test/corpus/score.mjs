// The public corpus scorer: loads test/corpus/cases/*.json, runs a redactor over every case and counts, per
// category and overall, how many sensitive values are gone (recall) and how many harmless values survived byte for
// byte (keep). Plain ESM with no dependencies, so jest (through swc), the bench and `node` all load the same file.
// Usage: node libs/redaction/test/corpus/score.mjs [--failures] [--dist <path to libs/redaction/dist>]
// No `import.meta` here: jest turns this file into CommonJS, where it does not exist.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ id: string, category: string, surface: string, input: unknown, sensitive: string[], keep: string[] }} CorpusCase
 * @typedef {{ category: string, surface: string, anchor: string, cases: Omit<CorpusCase, 'category' | 'surface'>[] }} CategoryFile
 * @typedef {{ id: string, category: string, missed: string[], destroyed: string[], output: string }} CaseFailure
 * @typedef {{ category: string, cases: number, sensitive: number, leaked: number, keep: number, destroyed: number, recall: number, keepRate: number }} CategoryScore
 * @typedef {{ categories: CategoryScore[], overall: CategoryScore, failures: CaseFailure[] }} CorpusScore
 */

/**
 * Every case of every `<category>.json` in `dir`, in file then case order, each tagged with its category and
 * surface. Throws on a malformed file or a duplicate id: a corpus that does not load must not score.
 * @param {string} dir
 * @returns {CorpusCase[]}
 */
export function loadCorpus(dir) {
  /** @type {CorpusCase[]} */
  const cases = [];
  const ids = new Set();
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  for (const name of files) {
    /** @type {CategoryFile} */
    const file = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (file.category !== name.slice(0, -'.json'.length))
      throw new Error(`${name}: category "${file.category}" does not match the file name`);
    if (!Array.isArray(file.cases) || file.cases.length === 0) throw new Error(`${name}: no cases`);
    for (const entry of file.cases) {
      if (ids.has(entry.id)) throw new Error(`${name}: duplicate case id ${entry.id}`);
      ids.add(entry.id);
      if (!Array.isArray(entry.sensitive) || !Array.isArray(entry.keep))
        throw new Error(`${name}: case ${entry.id} needs "sensitive" and "keep" lists`);
      if (entry.sensitive.length + entry.keep.length === 0)
        throw new Error(`${name}: case ${entry.id} checks nothing`);
      cases.push({ ...entry, category: file.category, surface: file.surface });
    }
  }
  return cases;
}

/**
 * Every string and number of `value` (object keys included), joined by newlines: the text a reader of the
 * stored output could see. A string output is itself.
 * @param {unknown} value
 * @returns {string}
 */
export function visibleText(value) {
  /** @type {string[]} */
  const parts = [];
  /** @type {unknown[]} */
  const stack = [value];
  const seen = new Set();
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') parts.push(item);
    else if (typeof item === 'number' || typeof item === 'bigint') parts.push(String(item));
    else if (item !== null && typeof item === 'object' && !seen.has(item)) {
      seen.add(item);
      const entries = Array.isArray(item)
        ? item.map((v) => /** @type {[string | null, unknown]} */ ([null, v]))
        : Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        stack.push(child);
        if (key !== null) stack.push(key);
      }
    }
  }
  return parts.join('\n');
}

/** @param {string} category @returns {CategoryScore} */
const emptyScore = (category) => ({
  category,
  cases: 0,
  sensitive: 0,
  leaked: 0,
  keep: 0,
  destroyed: 0,
  recall: 1,
  keepRate: 1,
});

/** @param {CategoryScore} score */
function finish(score) {
  score.recall = score.sensitive === 0 ? 1 : (score.sensitive - score.leaked) / score.sensitive;
  score.keepRate = score.keep === 0 ? 1 : (score.keep - score.destroyed) / score.keep;
}

/**
 * Runs `redact` over each case's input (a deep copy, so a mutating redactor cannot change the corpus) and
 * scores what the output shows. A redactor that throws leaks nothing and keeps nothing on that case.
 * @param {CorpusCase[]} cases
 * @param {(input: unknown) => unknown} redact
 * @returns {CorpusScore}
 */
export function scoreCorpus(cases, redact) {
  /** @type {Map<string, CategoryScore>} */
  const byCategory = new Map();
  const overall = emptyScore('overall');
  /** @type {CaseFailure[]} */
  const failures = [];
  for (const entry of cases) {
    let score = byCategory.get(entry.category);
    if (!score) byCategory.set(entry.category, (score = emptyScore(entry.category)));
    let text;
    try {
      text = visibleText(redact(structuredClone(entry.input)));
    } catch (error) {
      text = null;
      failures.push({
        id: entry.id,
        category: entry.category,
        missed: [],
        destroyed: [...entry.keep],
        output: `threw: ${String(error)}`,
      });
    }
    const missed = text === null ? [] : entry.sensitive.filter((value) => text.includes(value));
    const destroyed = text === null ? [...entry.keep] : entry.keep.filter((value) => !text.includes(value));
    for (const target of [score, overall]) {
      target.cases += 1;
      target.sensitive += entry.sensitive.length;
      target.leaked += missed.length;
      target.keep += entry.keep.length;
      target.destroyed += destroyed.length;
    }
    if (text !== null && missed.length + destroyed.length > 0)
      failures.push({ id: entry.id, category: entry.category, missed, destroyed, output: text });
  }
  const categories = [...byCategory.values()].sort((a, b) => a.category.localeCompare(b.category));
  for (const score of [...categories, overall]) finish(score);
  return { categories, overall, failures };
}

/** @param {number} rate */
const pct = (rate) => rate.toFixed(3);

/**
 * A fixed-width table: one line per category (cases, sensitive values and leaks, keep values and destroyed,
 * recall, keep), then the overall line.
 * @param {CorpusScore} score
 * @returns {string}
 */
export function formatTable(score) {
  const width = Math.max(8, ...score.categories.map((c) => c.category.length));
  /** @param {CategoryScore} c */
  const row = (c) =>
    `${c.category.padEnd(width)} ${String(c.cases).padStart(5)} ${`${c.leaked}/${c.sensitive}`.padStart(9)} ` +
    `${`${c.destroyed}/${c.keep}`.padStart(9)} ${pct(c.recall).padStart(6)} ${pct(c.keepRate).padStart(6)}`;
  const head = `${'category'.padEnd(width)} ${'cases'.padStart(5)} ${'leaked'.padStart(9)} ${'destroyed'.padStart(9)} ${'recall'.padStart(6)} ${'keep'.padStart(6)}`;
  return [head, ...score.categories.map(row), '-'.repeat(head.length), row(score.overall)].join('\n');
}

/**
 * One block per failing case: what leaked, what was destroyed, and the output (cut at `maxOutput` chars).
 * @param {CaseFailure[]} failures
 * @param {number} [maxOutput]
 * @returns {string}
 */
export function formatFailures(failures, maxOutput = 600) {
  return failures
    .map((f) => {
      const output = f.output.length > maxOutput ? `${f.output.slice(0, maxOutput)}…` : f.output;
      const lines = [`${f.id} (${f.category})`];
      if (f.missed.length > 0)
        lines.push(`  leaked:    ${f.missed.map((v) => JSON.stringify(v)).join(', ')}`);
      if (f.destroyed.length > 0)
        lines.push(`  destroyed: ${f.destroyed.map((v) => JSON.stringify(v)).join(', ')}`);
      lines.push(`  output:    ${JSON.stringify(output)}`);
      return lines.join('\n');
    })
    .join('\n');
}

/** The directory of the committed cases, next to this file. */
export function defaultCasesDir() {
  return path.join(scriptDir(), 'cases');
}

/** This file's directory without `import.meta` (see the header): found from argv when run, else from cwd. */
function scriptDir() {
  const argv1 = process.argv[1] ?? '';
  if (argv1.endsWith('score.mjs')) return path.dirname(path.resolve(argv1));
  const fromRoot = path.resolve('libs/redaction/test/corpus');
  return fs.existsSync(fromRoot) ? fromRoot : path.resolve('test/corpus');
}

async function main() {
  const args = process.argv.slice(2);
  const distAt = args.indexOf('--dist');
  const dist = distAt >= 0 ? path.resolve(args[distAt + 1]) : path.resolve(scriptDir(), '../../dist');
  const library = await import(pathToFileURL(path.join(dist, 'index.js')).href);
  const redact = library.redact ?? library.default.redact;
  const score = scoreCorpus(loadCorpus(defaultCasesDir()), redact);
  if (args.includes('--failures') && score.failures.length > 0)
    console.log(`${formatFailures(score.failures)}\n`);
  console.log(formatTable(score));
  console.log(`overall recall=${pct(score.overall.recall)} keep=${pct(score.overall.keepRate)}`);
}

if ((process.argv[1] ?? '').endsWith('score.mjs'))
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
