import { NotFoundException } from '@nestjs/common';

import type { ConsoleSession } from '../session/console-session';
import type { UpstreamClient } from '../upstream/upstream.client';
import { equalityMatcher, type AlertJson, type HistoryJson } from './alerting-api';

export const FINGERPRINT = /^[0-9a-f]{1,64}$/i;

/**
 * An alert by fingerprint in two calls: its history (which names it), then the firing alerts of that
 * name (alerting narrows by label in Postgres) to pick it out. `alert` is undefined once it stopped firing.
 */
export async function findAlert(
  upstream: UpstreamClient,
  session: ConsoleSession,
  fingerprint: string,
  historyLimit: number,
): Promise<{ alert: AlertJson | undefined; history: HistoryJson[] }> {
  if (!FINGERPRINT.test(fingerprint)) throw new NotFoundException(`no alert ${fingerprint}`);
  const { events } = await upstream.json<{ events: HistoryJson[] }>(session, 'alerting', {
    path: '/alerts/history',
    query: { fingerprint, limit: historyLimit },
  });
  const alertname = events[0]?.alertname;
  if (alertname === undefined) throw new NotFoundException(`no alert ${fingerprint}`);
  const alerts = await upstream.json<AlertJson[]>(session, 'alerting', {
    path: '/api/v2/alerts',
    query: { filter: [equalityMatcher('alertname', alertname)] },
  });
  return { alert: alerts.find((a) => a.fingerprint === fingerprint), history: events };
}

/** The `?notice=` a write's redirect carries, for the page's live region. */
export function noticeOf(query: Record<string, unknown>): string | undefined {
  const notice = query['notice'];
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
}
