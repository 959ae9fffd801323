import type { Severity } from '@vigil/contracts';

/** One per-project alert rule (the projects config's `alert_rules` entries); every given field must match. */
export interface AlertRule {
  match: {
    exception_type?: string;
    culprit?: string;
    logger?: string;
    level?: string;
    tags?: Record<string, string>;
  };
  severity: Severity;
}

/** What a rule is matched against, taken from the stored (scrubbed) event and its issue. */
export interface AlertSubject {
  /** Exception types of the event, each as sent (`PrivacySettings.DoesNotExist`) and module-qualified. */
  exception_types: readonly string[];
  culprit: string | null;
  logger: string | null;
  level: string;
  tags: Readonly<Record<string, string>>;
}

export const DEFAULT_ALERT_SEVERITY: Severity = 'high';

const globCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` one character, the rest literal; whole-string and case-sensitive. */
export function globMatches(glob: string, value: string): boolean {
  let pattern = globCache.get(glob);
  if (!pattern) {
    const source = glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    pattern = new RegExp(`^${source}$`, 's');
    globCache.set(glob, pattern);
  }
  return pattern.test(value);
}

function ruleMatches(rule: AlertRule, subject: AlertSubject): boolean {
  const { exception_type, culprit, logger, level, tags } = rule.match;
  if (exception_type !== undefined && !subject.exception_types.some((t) => globMatches(exception_type, t)))
    return false;
  if (culprit !== undefined && (subject.culprit === null || !globMatches(culprit, subject.culprit)))
    return false;
  if (logger !== undefined && (subject.logger === null || !globMatches(logger, subject.logger))) return false;
  if (level !== undefined && level !== subject.level) return false;
  if (tags !== undefined) {
    for (const [key, glob] of Object.entries(tags)) {
      const value = subject.tags[key];
      if (value === undefined || !globMatches(glob, value)) return false;
    }
  }
  return true;
}

/** The severity of the first rule matching `subject`, else high. */
export function severityFor(rules: readonly AlertRule[], subject: AlertSubject): Severity {
  return rules.find((rule) => ruleMatches(rule, subject))?.severity ?? DEFAULT_ALERT_SEVERITY;
}
