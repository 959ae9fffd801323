import {
  ALERTING_SUMMARY_SUBJECT,
  AUDIT_SUMMARY_SUBJECT,
  ERRORS_SUMMARY_SUBJECT,
  HEALTH_SUMMARY_SUBJECT,
  type SummaryRequestV1,
} from '@vigil/contracts';
import type { NatsMessaging } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import { SummaryClient } from './summary.client';

/** Records what each summary subject was asked; answers with a schema-shaped empty reply. */
function recordingMessaging() {
  const asked = new Map<string, unknown>();
  const messaging = {
    request: (subject: string, payload: unknown, reply: { parse: (v: unknown) => unknown }) => {
      asked.set(subject, payload);
      const { from, to } = payload as SummaryRequestV1;
      const empty: Record<string, unknown> = {
        [AUDIT_SUMMARY_SUBJECT]: { from, to, total_events: 0, by_action: {}, by_outcome: {} },
        [ALERTING_SUMMARY_SUBJECT]: { from, to, total_alerts: 0, by_severity: {}, delivered: 0, failed: 0 },
        [HEALTH_SUMMARY_SUBJECT]: { from, to, targets: [] },
        [ERRORS_SUMMARY_SUBJECT]: {
          from,
          to,
          total_events: 0,
          new_issues: 0,
          regressions: 0,
          top_issues: [],
        },
      };
      return Promise.resolve(reply.parse(empty[subject]));
    },
  };
  return { asked, messaging: messaging as unknown as NatsMessaging };
}

describe('SummaryClient', () => {
  const config = { SUMMARY_TIMEOUT_MS: 1000 } as ReportingConfig;
  const request = { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };

  it('sends the severity filter on the alerting summary request only', async () => {
    const { asked, messaging } = recordingMessaging();
    const sources = await new SummaryClient(messaging, config).collect(request, ['medium', 'low']);
    expect(sources.alerting.available).toBe(true);
    expect(asked.get(ALERTING_SUMMARY_SUBJECT)).toEqual({ ...request, severities: ['medium', 'low'] });
    expect(asked.get(AUDIT_SUMMARY_SUBJECT)).toEqual(request);
    expect(asked.get(HEALTH_SUMMARY_SUBJECT)).toEqual(request);
    expect(asked.get(ERRORS_SUMMARY_SUBJECT)).toEqual(request);
    expect(sources.errors.available).toBe(true);
  });

  it('sends no filter when the report counts every severity', async () => {
    const { asked, messaging } = recordingMessaging();
    await new SummaryClient(messaging, config).collect(request);
    expect(asked.get(ALERTING_SUMMARY_SUBJECT)).toEqual(request);
  });
});
