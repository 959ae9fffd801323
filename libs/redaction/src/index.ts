export {
  defaultRedactor,
  isSensitiveKey,
  redact,
  redactError,
  redactErrorMessage,
  redactHeaders,
  type RedactOptions,
  redactString,
} from './default-redactor';
export {
  type EntityKind,
  KEY_KINDS,
  type KeyKind,
  STRATEGIES,
  type Strategy,
  VALUE_KINDS,
  type ValueKind,
} from './entities';
export { CIRCULAR, MAX_DEPTH, REDACTED, REDACTED_EMAIL, TRUNCATED } from './markers';
export { pinoRedaction, type PinoRedaction, type PinoRedactionOptions } from './pino';
export {
  type CustomRule,
  DEFAULT_LIMITS,
  type RedactionLimits,
  type RedactionPolicy,
  RedactionPolicyError,
} from './policy';
export { createRedactor, type HeaderInput, type RedactedError, type Redactor } from './redactor';
export { DEFAULT_KEY_RULES, DEFAULT_SENSITIVE_KEYS, splitKeyWords } from './sensitive-keys';
// Policy from configuration, and `explain`.
export { configureDefaultRedactor } from './default-redactor';
export {
  linearPatternProblem,
  parseRedactionPolicy,
  readRedactionPolicy,
  type RedactionPolicyText,
} from './policy-file';
export type { Explanation, Finding } from './explain';
export { type CatalogEntry, CORE_ENTITY_DOCS, entityCatalog } from './entity-catalog';
export type { EntityDoc } from './entity-docs';
