import { z } from 'zod';

/**
 * What every contract's text, times and JSON must be for Postgres (text, jsonb, timestamptz, btree
 * indexes) and JavaScript to store and return it unchanged. An intake checks these before it journals,
 * answers or acks anything: a value Postgres refuses later would otherwise block a pipeline, and a value
 * JavaScript alters (a `__proto__` key, a branch cut by a depth limit) would be stored changed.
 */
export const STORABLE_LIMITS = {
  /** UTF-16 units of an indexed identifier (ids, types): three bytes a unit at most, so two fit a btree entry (2,704 bytes). */
  indexedTextChars: 256,
  /** Nesting of objects and arrays in free-form JSON (metadata, changes); the redactor walks 32 levels. */
  jsonDepth: 16,
  /** Keys of one object, and items of one array, in free-form JSON. */
  jsonEntries: 1_000,
  /** Years a time may have once converted to UTC: what Postgres and `Date.prototype.toISOString` both write as four digits. */
  minYear: 1,
  maxYear: 9999,
} as const;

/** Where a value cannot be stored faithfully, and why: `path` as `a.b[2].c`. */
export interface StorableProblem {
  path: string;
  message: string;
}

/** Why `text` cannot be stored as it is (U+0000, a lone surrogate), or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain U+0000 (NUL)';
  if (!text.isWellFormed()) return 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
  return undefined;
}

/** Why the instant `ms` (epoch milliseconds) cannot be stored, or undefined when it can. */
export function timeProblem(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return 'must be a valid time';
  const year = new Date(ms).getUTCFullYear();
  if (year < STORABLE_LIMITS.minYear || year > STORABLE_LIMITS.maxYear) {
    return `must fall within years ${STORABLE_LIMITS.minYear}-${STORABLE_LIMITS.maxYear} once converted to UTC`;
  }
  return undefined;
}

export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays below the root (the root is depth 0). */
  maxDepth: number;
  maxEntries: number;
}

/**
 * The first reason `value` (a parsed JSON value) cannot be stored faithfully: a key or string that
 * `textProblem` refuses, a `__proto__` key (JavaScript objects turn it into a prototype and drop it),
 * nesting deeper than `maxDepth`, more than `maxEntries` keys or items in one place. Iterative, so a
 * hostile depth cannot overflow the stack; it stops at the first problem.
 */
export function findUnstorable(
  value: unknown,
  limits: JsonShapeLimits = { maxDepth: Number.POSITIVE_INFINITY, maxEntries: Number.POSITIVE_INFINITY },
  rootPath = '',
): StorableProblem | undefined {
  const root: WalkNode = { value, parent: undefined, key: rootPath, depth: 0 };
  const rootProblem = nodeProblem(value, 0, limits);
  if (rootProblem) return { path: pathOf(root), message: rootProblem };
  // Only containers are pushed, and paths are built only for the problem found: this runs on every
  // event of the ingest hot path.
  const stack: WalkNode[] = typeof value === 'object' && value !== null ? [root] : [];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const container = node.value as Record<string, unknown> | unknown[];
    const isArray = Array.isArray(container);
    const keys = isArray ? undefined : Object.keys(container);
    const length = isArray ? container.length : keys!.length;
    for (let i = 0; i < length; i++) {
      const key = isArray ? i : keys![i];
      if (typeof key === 'string') {
        const keyProblem = key === '__proto__' ? 'the key __proto__ is not accepted' : textProblem(key);
        if (keyProblem) return { path: childPath(node, shownKey(key)), message: `key ${keyProblem}` };
      }
      const child = isArray ? container[i] : container[key as string];
      const problem = nodeProblem(child, node.depth + 1, limits);
      if (problem) return { path: childPath(node, key), message: problem };
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, parent: node, key, depth: node.depth + 1 });
      }
    }
  }
  return undefined;
}

function childPath(parent: WalkNode, key: string | number): string {
  return pathOf({ value: undefined, parent, key, depth: parent.depth + 1 });
}

interface WalkNode {
  value: unknown;
  parent: WalkNode | undefined;
  /** The key in its parent (a string), the index (a number), or the root's path. */
  key: string | number;
  depth: number;
}

/** `a.b[2].c` for a node. */
function pathOf(node: WalkNode): string {
  const keys: (string | number)[] = [];
  for (let n: WalkNode | undefined = node; n !== undefined; n = n.parent) keys.push(n.key);
  let path = '';
  for (const key of keys.reverse()) {
    if (typeof key === 'number') path += `[${key}]`;
    else if (key !== '') path += path ? `.${key}` : key;
  }
  return path || '(root)';
}

function nodeProblem(value: unknown, depth: number, limits: JsonShapeLimits): string | undefined {
  if (typeof value === 'string') return textProblem(value);
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'must be a finite number';
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= limits.maxDepth) return `must not nest deeper than ${limits.maxDepth} levels`;
  const entries = Array.isArray(value) ? value.length : Object.keys(value).length;
  if (entries > limits.maxEntries) return `must hold at most ${limits.maxEntries} entries`;
  return undefined;
}

/** A key shown in a problem's path: bounded, with what made it unstorable escaped. */
function shownKey(key: string): string {
  return JSON.stringify(key.slice(0, 64)).slice(1, -1);
}

/** A string `textProblem` accepts, optionally at most `maxChars` UTF-16 units. */
export function storableString(maxChars?: number): z.ZodString {
  const base = maxChars === undefined ? z.string() : z.string().max(maxChars);
  return base.check((ctx) => {
    const problem = textProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
}
