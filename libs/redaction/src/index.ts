export {
  CIRCULAR,
  createRedactor,
  isSensitiveKey,
  MAX_DEPTH,
  redact,
  type RedactOptions,
  type Redactor,
  TRUNCATED,
} from './redact';
export { REDACTED, REDACTED_EMAIL, redactString } from './redact-string';
export { DEFAULT_SENSITIVE_KEYS, splitKeyWords } from './sensitive-keys';
