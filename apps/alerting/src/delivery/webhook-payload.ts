import { redact } from '@vigil/redaction';

import type { AlertState, AlertStatus, LabelSet } from '../model/alert';

/** One alert inside an Alertmanager webhook payload. */
export interface WebhookAlert {
  status: AlertStatus;
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook payload, version 4 (what its `webhook_config` receivers get). */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: AlertStatus;
  receiver: string;
  groupLabels: LabelSet;
  commonLabels: LabelSet;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

/**
 * The payload telling `receiver` about one alert, in the group its route put it in. Without a group
 * each alert is its own, as with Alertmanager's `group_by: ['...']`: groupLabels are all its labels
 * and groupKey is `{}:{name="value", ...}`.
 */
export function buildWebhookPayload(
  alert: AlertState,
  receiver: string,
  externalURL: string,
  group?: { key: string; labels: LabelSet },
): WebhookPayload {
  const labels = sortedLabels(alert.labels);
  return buildGroupPayload([alert], receiver, externalURL, {
    key: group?.key ?? groupKeyOf(labels),
    labels: group?.labels ?? labels,
  });
}

/**
 * The payload telling `receiver` about a group of alerts: `firing` while any of them fires;
 * commonLabels and commonAnnotations are the pairs all alerts share. The whole body is redacted:
 * it leaves the service.
 */
export function buildGroupPayload(
  alerts: readonly AlertState[],
  receiver: string,
  externalURL: string,
  group: { key: string; labels: LabelSet },
): WebhookPayload {
  const status: AlertStatus = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return redact({
    version: '4',
    groupKey: group.key,
    truncatedAlerts: 0,
    status,
    receiver,
    groupLabels: sortedLabels(group.labels),
    commonLabels: sortedLabels(common(alerts.map((a) => a.labels))),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL,
    alerts: alerts.map((alert) => ({
      status: alert.status,
      labels: sortedLabels(alert.labels),
      annotations: { ...alert.annotations },
      startsAt: alert.startsAt.toISOString(),
      endsAt: alert.status === 'resolved' ? alert.endsAt.toISOString() : ZERO_TIME,
      generatorURL: alert.generatorURL ?? '',
      fingerprint: alert.fingerprint,
    })),
  });
}

/** The name/value pairs every set has. */
function common(sets: readonly Record<string, string>[]): Record<string, string> {
  if (sets.length === 0) return {};
  const [first, ...rest] = sets;
  return Object.fromEntries(
    Object.entries(first).filter(([name, value]) => rest.every((set) => set[name] === value)),
  );
}

/** Alertmanager sends Go's zero time as endsAt of a firing alert. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** `{}:{alertname="HighErrorRate", service="shop"}`: the root route, then the group labels, sorted and quoted. */
export function groupKeyOf(labels: LabelSet): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{}:{${pairs.join(', ')}}`;
}

function sortedLabels(labels: LabelSet): LabelSet {
  return Object.fromEntries(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name]]),
  );
}
