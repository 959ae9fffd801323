import { createHash } from 'node:crypto';

import { redact } from '@vigil/redaction';

import type { PagerDutyIntegration, SlackIntegration } from '../routing/routing-config';
import type { WebhookPayload } from './webhook-payload';

/** A Slack incoming-webhook message: `text` as the fallback, `blocks` as the rich form. */
export interface SlackMessage {
  channel?: string;
  text: string;
  blocks: { type: 'section' | 'header'; text: { type: 'mrkdwn' | 'plain_text'; text: string } }[];
}

export function slackMessageOf(payload: WebhookPayload, integration: SlackIntegration): SlackMessage {
  const name = payload.commonLabels.alertname ?? payload.groupLabels.alertname ?? 'alert';
  const title = `[${payload.status.toUpperCase()}:${payload.alerts.length}] ${name}`;
  const lines = payload.alerts.map((alert) => {
    const summary = alert.annotations.summary ?? alert.annotations.description ?? '';
    const labels = Object.entries(alert.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `• *${alert.status}* ${summary ? `${summary} ` : ''}(${labels})`;
  });
  return redact({
    ...(integration.channel ? { channel: integration.channel } : {}),
    text: `${title}\n${lines.join('\n')}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } },
    ],
  });
}

/** PagerDuty Events API v2 body; one incident per alert group (the dedup_key). */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    custom_details: Record<string, unknown>;
  };
  client: string;
  client_url: string;
}

const PD_SEVERITY: Record<string, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** The stable dedup_key of a group: sha256 of its group key, as Alertmanager derives it. */
export function pagerDutyDedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

export function pagerDutyEventOf(
  payload: WebhookPayload,
  integration: PagerDutyIntegration,
  action: PagerDutyEvent['event_action'] = payload.status === 'resolved' ? 'resolve' : 'trigger',
): PagerDutyEvent {
  const name = payload.commonLabels.alertname ?? 'alert';
  const summary = payload.commonAnnotations.summary ?? payload.alerts[0]?.annotations.summary ?? '';
  const event: PagerDutyEvent = {
    routing_key: integration.routingKey,
    event_action: action,
    dedup_key: pagerDutyDedupKey(payload.groupKey),
    client: 'Vigil alerting',
    client_url: payload.externalURL,
  };
  if (action === 'trigger') {
    event.payload = redact({
      summary: `[FIRING:${payload.alerts.length}] ${name}${summary ? `: ${summary}` : ''}`.slice(0, 1024),
      source: payload.commonLabels.service ?? payload.commonLabels.instance ?? 'vigil',
      severity: PD_SEVERITY[payload.commonLabels.severity ?? ''] ?? 'error',
      custom_details: {
        firing: payload.alerts.map((a) => ({ labels: a.labels, annotations: a.annotations })),
      },
    });
  }
  return event;
}
