import { BUILT_IN_KINDS, STRATEGIES, type Strategy, VALUE_KINDS } from './entities';
import { MAX_DEPTH } from './markers';
import { compactKey } from './sensitive-keys';

/** A value rule added by a policy: every match of `pattern` is replaced per the kind's strategy. */
export interface CustomRule {
  /** Lower-case snake_case name, shown in the marker: `[REDACTED:<kind>]`. */
  kind: string;
  pattern: RegExp;
  strategy?: Strategy;
}

export interface RedactionLimits {
  /** Objects nested deeper become `[Truncated]` (default 32, at most `MAX_DEPTH_CEILING`: 256). */
  maxDepth: number;
  /**
   * The per-value budget: longer strings are cut and end with `…[Truncated n chars]`, and a secret that
   * crosses the cut is dropped with the rest (default 1,000,000).
   */
  maxStringLength: number;
  /** Longer arrays keep their first items and end with `[Truncated n items]` (default 10,000). */
  maxArrayLength: number;
  /** Objects with more keys keep the first ones and get a `…` key `[Truncated n keys]` (default 1,000). */
  maxKeys: number;
  /** Objects and strings visited in one call; past it everything is `[Truncated]` (default 100,000). */
  maxNodes: number;
}

/**
 * The deepest `maxDepth` a policy may set. Objects are copied by recursion, and JSON inside a string
 * starts a new walk (up to 4 strings deep), so 5 × 256 levels is the deepest stack a call can build.
 */
export const MAX_DEPTH_CEILING = 256;

export const DEFAULT_LIMITS: Readonly<RedactionLimits> = {
  maxDepth: MAX_DEPTH,
  maxStringLength: 1_000_000,
  maxArrayLength: 10_000,
  maxKeys: 1_000,
  maxNodes: 100_000,
};

/** What `createRedactor` and `redact(value, policy)` accept. Every field is optional. */
export interface RedactionPolicy {
  /** More sensitive key phrases: a list (kind `secret`) or `{ phrase: kind }`. */
  extraKeys?: readonly string[] | Readonly<Record<string, string>>;
  /** Default phrases to drop, or whole keys that are never sensitive. */
  allowKeys?: readonly string[];
  /** Strategy per entity kind; every kind defaults to `remove`. */
  strategies?: Readonly<Record<string, Strategy>>;
  /** Value detectors to turn off (e.g. `['ipv4']`); key names still apply. */
  disabled?: readonly string[];
  /** Extra value rules, run before the built-in detectors. */
  rules?: readonly CustomRule[];
  /** HMAC key for the `hash` strategy (at least 16 bytes); required when any kind uses it. */
  hashKey?: string | Uint8Array;
  limits?: Partial<RedactionLimits>;
}

/** The policy checked and normalized once, at construction. */
export interface CompiledPolicy {
  extraKeys: Record<string, string>;
  allowKeys: string[];
  strategies: Map<string, Strategy>;
  disabled: Set<string>;
  rules: CustomRule[];
  hashKey: Buffer | undefined;
  limits: RedactionLimits;
}

/** A policy that cannot work; thrown by `createRedactor`, never at first use. */
export class RedactionPolicyError extends Error {
  override readonly name = 'RedactionPolicyError';

  constructor(
    message: string,
    /** The policy field at fault (`strategies.email`, `rules[0].pattern`), when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The error for `path` (a field of the policy) and what is wrong with it. */
export function policyError(path: string, problem: string): RedactionPolicyError {
  return new RedactionPolicyError(`invalid redaction policy: ${path} ${problem}`, path);
}

const KIND_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const POLICY_FIELDS = new Set([
  'extraKeys',
  'allowKeys',
  'strategies',
  'disabled',
  'rules',
  'hashKey',
  'limits',
]);
const LIMIT_FIELDS = Object.keys(DEFAULT_LIMITS);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(path: string, problem: string): never {
  throw policyError(path, problem);
}

function stringList(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, 'must be a list of strings');
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || compactKey(item) === '')
      fail(`${path}[${i}]`, 'must be a key phrase with at least one letter or digit');
    return item;
  });
}

function checkStrategy(value: unknown, path: string): Strategy {
  if (typeof value !== 'string' || !(STRATEGIES as readonly string[]).includes(value))
    fail(path, `must be one of ${STRATEGIES.join(', ')} (got ${JSON.stringify(value)})`);
  return value as Strategy;
}

/** Checks every field of a policy and returns it normalized; throws `RedactionPolicyError`. */
export function compilePolicy(policy: RedactionPolicy = {}): CompiledPolicy {
  if (!isRecord(policy)) fail('policy', 'must be an object');
  for (const field of Object.keys(policy))
    if (!POLICY_FIELDS.has(field))
      fail(field, `is not a policy field (known: ${[...POLICY_FIELDS].join(', ')})`);

  const extraKeys: Record<string, string> = {};
  if (Array.isArray(policy.extraKeys)) {
    for (const phrase of stringList(policy.extraKeys, 'extraKeys')) extraKeys[phrase] = 'secret';
  } else if (policy.extraKeys !== undefined) {
    if (!isRecord(policy.extraKeys)) fail('extraKeys', 'must be a list of phrases or { phrase: kind }');
    for (const [phrase, kind] of Object.entries(policy.extraKeys)) {
      if (compactKey(phrase) === '') fail(`extraKeys[${JSON.stringify(phrase)}]`, 'has no letter or digit');
      if (typeof kind !== 'string' || !KIND_NAME.test(kind))
        fail(`extraKeys[${JSON.stringify(phrase)}]`, 'must name a kind in lower snake_case');
      extraKeys[phrase] = kind;
    }
  }
  const allowKeys = stringList(policy.allowKeys, 'allowKeys');

  const rules: CustomRule[] = [];
  if (policy.rules !== undefined) {
    if (!Array.isArray(policy.rules)) fail('rules', 'must be a list of { kind, pattern, strategy? }');
    policy.rules.forEach((rule: unknown, i) => {
      if (!isRecord(rule)) fail(`rules[${i}]`, 'must be { kind, pattern, strategy? }');
      if (typeof rule.kind !== 'string' || !KIND_NAME.test(rule.kind))
        fail(`rules[${i}].kind`, 'must be lower snake_case, e.g. "employee_id"');
      if (!(rule.pattern instanceof RegExp)) fail(`rules[${i}].pattern`, 'must be a RegExp');
      if (new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', '')).test(''))
        fail(`rules[${i}].pattern`, `${String(rule.pattern)} matches the empty string`);
      rules.push({
        kind: rule.kind,
        pattern: rule.pattern,
        strategy:
          rule.strategy === undefined ? undefined : checkStrategy(rule.strategy, `rules[${i}].strategy`),
      });
    });
  }

  const knownKinds = new Set([...BUILT_IN_KINDS, ...Object.values(extraKeys), ...rules.map((r) => r.kind)]);
  const strategies = new Map<string, Strategy>();
  for (const rule of rules) if (rule.strategy) strategies.set(rule.kind, rule.strategy);
  if (policy.strategies !== undefined) {
    if (!isRecord(policy.strategies)) fail('strategies', 'must be { kind: strategy }');
    for (const [kind, strategy] of Object.entries(policy.strategies)) {
      if (!knownKinds.has(kind))
        fail(`strategies.${kind}`, `is not a known kind (known: ${[...knownKinds].sort().join(', ')})`);
      strategies.set(kind, checkStrategy(strategy, `strategies.${kind}`));
    }
  }

  const disabled = new Set<string>();
  for (const [i, kind] of stringList(policy.disabled, 'disabled').entries()) {
    if (!(VALUE_KINDS as readonly string[]).includes(kind) && !rules.some((r) => r.kind === kind))
      fail(`disabled[${i}]`, `"${kind}" is not a value detector (known: ${VALUE_KINDS.join(', ')})`);
    disabled.add(kind);
  }

  let hashKey: Buffer | undefined;
  if (policy.hashKey !== undefined) {
    if (typeof policy.hashKey !== 'string' && !(policy.hashKey instanceof Uint8Array))
      fail('hashKey', 'must be a string or bytes');
    hashKey = Buffer.from(policy.hashKey);
    if (hashKey.length < 16) fail('hashKey', `must be at least 16 bytes (got ${hashKey.length})`);
  }
  const hashed = [...strategies].filter(([, strategy]) => strategy === 'hash').map(([kind]) => kind);
  if (hashed.length > 0 && !hashKey)
    fail('hashKey', `is required: ${hashed.join(', ')} use the hash strategy`);

  const limits: RedactionLimits = { ...DEFAULT_LIMITS };
  if (policy.limits !== undefined) {
    if (!isRecord(policy.limits)) fail('limits', 'must be an object');
    for (const [field, value] of Object.entries(policy.limits)) {
      if (!LIMIT_FIELDS.includes(field))
        fail(`limits.${field}`, `is not a limit (known: ${LIMIT_FIELDS.join(', ')})`);
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
        fail(`limits.${field}`, `must be a positive integer (got ${JSON.stringify(value)})`);
      if (field === 'maxDepth' && value > MAX_DEPTH_CEILING)
        fail(
          `limits.${field}`,
          `must be at most ${MAX_DEPTH_CEILING} (got ${value}): deeper copies overflow the stack`,
        );
      limits[field as keyof RedactionLimits] = value;
    }
  }

  return { extraKeys, allowKeys, strategies, disabled, rules, hashKey, limits };
}
