import { redact } from '@vigil/redaction';

import type { WebhookPayload } from './webhook-payload';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The e-mail telling a group's state: subject like Alertmanager's, one line per alert, redacted. */
export function emailMessageOf(payload: WebhookPayload): EmailMessage {
  const firing = payload.alerts.filter((a) => a.status === 'firing').length;
  const groupLabels = Object.entries(payload.groupLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const subject = `[${payload.status.toUpperCase()}:${payload.status === 'firing' ? firing : payload.alerts.length}] ${groupLabels}`;
  const lines = payload.alerts.map((alert) => {
    const labels = Object.entries(alert.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const summary = alert.annotations.summary ?? alert.annotations.description ?? '';
    return { status: alert.status, summary, labels, startsAt: alert.startsAt };
  });
  const text = [
    `${payload.receiver}: ${subject}`,
    '',
    ...lines.map(
      (l) => `- [${l.status}] ${l.summary ? `${l.summary} ` : ''}(${l.labels}) since ${l.startsAt}`,
    ),
    '',
    `Sent by Vigil alerting: ${payload.externalURL}`,
  ].join('\n');
  const html = `<h2>${escapeHtml(subject)}</h2><ul>${lines
    .map(
      (l) =>
        `<li><strong>${escapeHtml(l.status)}</strong> ${escapeHtml(l.summary)} <code>${escapeHtml(l.labels)}</code></li>`,
    )
    .join('')}</ul>`;
  return redact({ subject, text, html });
}
