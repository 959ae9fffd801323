// Generated from score.mjs by gen-types.sh: do not edit.
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
export function loadCorpus(dir: string): CorpusCase[];
/**
 * Every string and number of `value` (object keys included), joined by newlines: the text a reader of the
 * stored output could see. A string output is itself.
 * @param {unknown} value
 * @returns {string}
 */
export function visibleText(value: unknown): string;
/**
 * Runs `redact` over each case's input (a deep copy, so a mutating redactor cannot change the corpus) and
 * scores what the output shows. A redactor that throws leaks nothing and keeps nothing on that case.
 * @param {CorpusCase[]} cases
 * @param {(input: unknown) => unknown} redact
 * @returns {CorpusScore}
 */
export function scoreCorpus(cases: CorpusCase[], redact: (input: unknown) => unknown): CorpusScore;
/**
 * A fixed-width table: one line per category (cases, sensitive values and leaks, keep values and destroyed,
 * recall, keep), then the overall line.
 * @param {CorpusScore} score
 * @returns {string}
 */
export function formatTable(score: CorpusScore): string;
/**
 * One block per failing case: what leaked, what was destroyed, and the output (cut at `maxOutput` chars).
 * @param {CaseFailure[]} failures
 * @param {number} [maxOutput]
 * @returns {string}
 */
export function formatFailures(failures: CaseFailure[], maxOutput?: number): string;
/** The directory of the committed cases, next to this file. */
export function defaultCasesDir(): string;
export type CorpusCase = {
  id: string;
  category: string;
  surface: string;
  input: unknown;
  sensitive: string[];
  keep: string[];
};
export type CategoryFile = {
  category: string;
  surface: string;
  anchor: string;
  cases: Omit<CorpusCase, 'category' | 'surface'>[];
};
export type CaseFailure = {
  id: string;
  category: string;
  missed: string[];
  destroyed: string[];
  output: string;
};
export type CategoryScore = {
  category: string;
  cases: number;
  sensitive: number;
  leaked: number;
  keep: number;
  destroyed: number;
  recall: number;
  keepRate: number;
};
export type CorpusScore = {
  categories: CategoryScore[];
  overall: CategoryScore;
  failures: CaseFailure[];
};
