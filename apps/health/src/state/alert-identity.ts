import type { Severity } from '@vigil/contracts';

import type { CheckResult } from '../checks/check-result';
import type { TargetState } from './target-state-machine';

/** Alert names of the kinds that do not page as ServiceDown (the others, http/tcp/postgres/nats/synthetic, do). */
const ALERTNAME_BY_KIND: Readonly<Record<string, string>> = {
  heartbeat: 'HeartbeatFailed',
  sql: 'SqlCheckFailed',
};
export const DEFAULT_ALERTNAME = 'ServiceDown';

/** What the alert of a target is made of: its name, kind and the rule fields every kind has. */
export interface AlertSubject {
  name: string;
  kind: string;
  severity: Severity;
  labels: Readonly<Record<string, string>>;
}

/**
 * The alertname of a target that went down, by its kind and the failure of the outcome that turned it
 * down: a heartbeat whose ping never came is HeartbeatMissing, one that failed HeartbeatFailed.
 */
export function alertNameFor(kind: string, failure?: CheckResult['failure']): string {
  if (kind === 'heartbeat' && failure === 'missing') return 'HeartbeatMissing';
  return ALERTNAME_BY_KIND[kind] ?? DEFAULT_ALERTNAME;
}

/**
 * Labels of a target's alert: `{alertname, severity, service, target, kind, ...labels}`. The target's
 * own labels cannot replace the first five (refused at load), so fired and resolved carry the same
 * fingerprint for as long as the target's definition stays the same.
 */
export function alertLabels(subject: AlertSubject, alertname: string): Record<string, string> {
  return {
    ...subject.labels,
    alertname,
    severity: subject.severity,
    service: subject.name,
    target: subject.name,
    kind: subject.kind,
  };
}

/** What to publish for a target now: fire (down, none open), resolve (not down, one open) or nothing. */
export function pendingAlert(
  state: Pick<TargetState, 'status' | 'alertStartsAt'>,
): 'fire' | 'resolve' | null {
  if (state.status === 'down' && state.alertStartsAt === null) return 'fire';
  if (state.status !== 'down' && state.alertStartsAt !== null) return 'resolve';
  return null;
}
