import { redact } from '@vigil/redaction';

import type { AlertState, AlertStatus, LabelSet } from '../alerts/alert';

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
 * The payload telling `receiver` about one alert. Each alert is its own group, as with Alertmanager's
 * `group_by: ['...']`: groupLabels are all its labels and groupKey is `{}:{name="value", ...}`.
 * The whole body is redacted: it leaves the service.
 */
export function buildWebhookPayload(
  alert: AlertState,
  receiver: string,
  externalURL: string,
): WebhookPayload {
  const labels = sortedLabels(alert.labels);
  return redact({
    version: '4',
    groupKey: groupKeyOf(labels),
    truncatedAlerts: 0,
    status: alert.status,
    receiver,
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: { ...alert.annotations },
    externalURL,
    alerts: [
      {
        status: alert.status,
        labels,
        annotations: { ...alert.annotations },
        startsAt: alert.startsAt.toISOString(),
        endsAt: alert.status === 'resolved' ? alert.endsAt.toISOString() : ZERO_TIME,
        generatorURL: alert.generatorURL ?? '',
        fingerprint: alert.fingerprint,
      },
    ],
  });
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
