/** The shapes of alerting's API the on-call pages read (Alertmanager v2 plus Vigil's history). */
export interface AlertJson {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

export type HistoryEventName =
  'fired' | 'resolved' | 'acknowledged' | 'resolved_manually' | 'false_positive' | 'escalated';

export interface HistoryJson {
  id: string;
  at: string;
  event: HistoryEventName;
  actor: string;
  fingerprint: string;
  alertname: string;
  severity: string;
  episodeStartsAt: string;
  comment: string | null;
  details: unknown;
}

export interface SilenceMatcherJson {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface SilenceJson {
  id: string;
  status: { state: 'pending' | 'active' | 'expired' };
  updatedAt: string;
  matchers: SilenceMatcherJson[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** P1 first: the seeds' severities in priority order; anything else after them. */
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

export function severityRank(severity: string | undefined): number {
  const index = SEVERITY_ORDER.indexOf(severity ?? '');
  return index < 0 ? SEVERITY_ORDER.length : index;
}

export function priorityOf(severity: string | undefined): string {
  const rank = severityRank(severity);
  return rank < 3 ? `P${rank + 1}` : 'P3';
}

/** `name="value"` as Alertmanager's `filter=` and amtool write it (quotes and backslashes escaped). */
export function equalityMatcher(name: string, value: string): string {
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A matcher in Alertmanager's text form, for `filter=` and for showing a silence. */
export function matcherText(m: SilenceMatcherJson): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return `${m.name}${op}"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Who acknowledged each alert's current episode: the latest `acknowledged` entry at or after it started. */
export function acknowledgements(
  history: readonly HistoryJson[],
  alerts: readonly AlertJson[],
): Map<string, HistoryJson> {
  const startOf = new Map(alerts.map((a) => [a.fingerprint, Date.parse(a.startsAt)]));
  const acks = new Map<string, HistoryJson>();
  for (const entry of history) {
    if (entry.event !== 'acknowledged') continue;
    const start = startOf.get(entry.fingerprint);
    if (start === undefined || Date.parse(entry.episodeStartsAt) < start) continue;
    if (!acks.has(entry.fingerprint)) acks.set(entry.fingerprint, entry);
  }
  return acks;
}
