import type { AuditEventV1 } from '@vigil/contracts';

/**
 * The resource's state after the change an event records: `metadata.state` (the publisher's full
 * after-state of non-sensitive fields, e.g. from the Python client's admin mixin), overlaid with
 * `changes[field].after`, which wins where both name a field.
 */
export function stateAfter(event: AuditEventV1): Record<string, unknown> {
  const carried = event.metadata?.state;
  const state: Record<string, unknown> = isPlainObject(carried) ? { ...carried } : {};
  for (const [name, change] of Object.entries(event.changes ?? {})) {
    if (change.after !== undefined) state[name] = change.after;
  }
  return state;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * A setting value as one comparable word, so that apps' spellings agree: `PRIVATE` and `private`,
 * Python's `True`, JSON `true`, `1` and `yes` (all "true"); undefined for values that are no setting.
 */
export function settingWord(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? settingWord(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return 'true';
  if (FALSE_WORDS.has(word)) return 'false';
  return word;
}

/** Whether a field name matches a pattern such as `show_*` or `*_visibility` (`*`: any characters). */
export function fieldMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
