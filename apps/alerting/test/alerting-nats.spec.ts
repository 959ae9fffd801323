import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import {
  ALERT_FIRED_SUBJECT,
  ALERT_RESOLVED_SUBJECT,
  ALERTING_DLQ_STREAM,
  ALERTING_SUMMARY_SUBJECT,
  HEADER_DLQ_REASON,
  alertingSummaryReplyV1Schema,
} from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { about, bodyOf, postAlerts, startAlerting, type AlertingHarness } from './alerting-harness';

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const decode = (data: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(data));

/** alerts.v1.* from a plain NATS client → the same pipeline as HTTP; alerting.v1.summary over request/reply. */
describe('alerting over NATS (real nats-server JetStream, real Postgres)', () => {
  let h: AlertingHarness;
  let client: NatsConnection;

  beforeAll(async () => {
    h = await startAlerting();
    client = await connect({ servers: h.nats.url });
  });

  afterAll(async () => {
    await client?.close();
    await h?.stop();
  });

  const event = (alertname: string, overrides: Record<string, unknown> = {}) => ({
    labels: { alertname, severity: 'high', service: 'audit' },
    annotations: { summary: 'many failed logins for bob@example.org' },
    startsAt: new Date(Date.now() - 5_000).toISOString(),
    ...overrides,
  });

  it('delivers an alert published on alerts.v1.fired, and its resolution from alerts.v1.resolved', async () => {
    const fired = event('LoginFailuresSpike');
    await jetstream(client).publish(ALERT_FIRED_SUBJECT, encode(fired));
    const firing = await h.sink.waitForRequest(about('LoginFailuresSpike', 'firing'));
    expect(bodyOf(firing)).toMatchObject({
      version: '4',
      commonLabels: { alertname: 'LoginFailuresSpike', severity: 'high', service: 'audit' },
      commonAnnotations: { summary: 'many failed logins for [REDACTED:email]' },
    });
    expect(firing.rawBody).not.toContain('bob@example.org');

    // A core publish is captured by the ALERTS stream just the same.
    client.publish(ALERT_RESOLVED_SUBJECT, encode(fired));
    const resolved = await h.sink.waitForRequest(about('LoginFailuresSpike', 'resolved'));
    expect(bodyOf(resolved).alerts[0].fingerprint).toBe(bodyOf(firing).alerts[0].fingerprint);
  });

  it('dead-letters invalid messages with their reason (ALERTING_DLQ) and keeps consuming', async () => {
    client.publish(ALERT_FIRED_SUBJECT, encode('{not json'));
    client.publish(
      ALERT_FIRED_SUBJECT,
      encode(
        event('BadSeverity', { labels: { alertname: 'BadSeverity', severity: 'urgent', service: 'x' } }),
      ),
    );
    client.publish(ALERT_FIRED_SUBJECT, encode(event('Lone', { annotations: { summary: 'x\ud800' } })));
    client.publish(ALERT_FIRED_SUBJECT, encode(event('AfterTheBadOnes')));
    await h.sink.waitForRequest(about('AfterTheBadOnes'));
    expect(h.sink.requests.filter(about('BadSeverity'))).toHaveLength(0);
    const jsm = await jetstreamManager(client);
    const reasons = await waitFor(
      async () => {
        const { state } = await jsm.streams.info(ALERTING_DLQ_STREAM.name);
        if (state.messages < 3) return null;
        const letters = await Promise.all(
          [1, 2, 3].map((seq) => jsm.streams.getMessage(ALERTING_DLQ_STREAM.name, { seq })),
        );
        return letters.map((m) => `${m?.subject} ${m?.header.get(HEADER_DLQ_REASON)}`);
      },
      { timeoutMs: 10_000, description: 'three dead letters' },
    );
    expect(reasons).toEqual([
      expect.stringMatching(/^alerting\.v1\.dlq\.not_json not_json: message payload is not valid JSON/),
      expect.stringMatching(/^alerting\.v1\.dlq\.schema schema: labels\.severity/),
      expect.stringMatching(
        /^alerting\.v1\.dlq\.schema schema: annotations\.summary: must be well-formed Unicode/,
      ),
    ]);
  });

  it('answers alerting.v1.summary with alerts by severity and delivered / failed notification counts', async () => {
    await postAlerts(h.base, [
      { labels: { alertname: 'SummaryCritical', severity: 'critical' } },
      { labels: { alertname: 'SummaryNoSeverity' } },
    ]);
    await h.sink.waitForRequest(about('SummaryCritical'));
    await h.sink.waitForRequest(about('SummaryNoSeverity'));
    h.sink.respondWith(400);
    await postAlerts(h.base, [{ labels: { alertname: 'SummaryRejected', severity: 'low' } }]);
    await h.sink.waitForRequest(about('SummaryRejected'));
    h.sink.respondWith(200);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const reply = await waitFor(
      async () => {
        const msg = await client.request(ALERTING_SUMMARY_SUBJECT, encode({ from, to }), { timeout: 5000 });
        const summary = alertingSummaryReplyV1Schema.parse(decode(msg.data));
        // Deliveries are marked in batches a few ms after the receiver answered.
        return summary.failed === 1 && summary.delivered === 5 ? summary : null;
      },
      { timeoutMs: 10_000, description: 'the rejected notification counted as failed, the others delivered' },
    );
    // LoginFailuresSpike (firing + resolved), AfterTheBadOnes, SummaryCritical, SummaryNoSeverity.
    expect(reply).toMatchObject({
      from,
      to,
      total_alerts: 5,
      by_severity: { high: 2, critical: 1, none: 1, low: 1 },
      delivered: 5,
      failed: 1,
    });

    const empty = alertingSummaryReplyV1Schema.parse(
      decode(
        (
          await client.request(
            ALERTING_SUMMARY_SUBJECT,
            encode({ from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' }),
          )
        ).data,
      ),
    );
    expect(empty).toMatchObject({ total_alerts: 0, by_severity: {}, delivered: 0, failed: 0 });
  });

  it('counts only the requested severities in every figure of the summary (the daily P3 digest)', async () => {
    await postAlerts(h.base, [{ labels: { alertname: 'SummaryMedium', severity: 'medium' } }]);
    await h.sink.waitForRequest(about('SummaryMedium'));
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const summary = async (request: Record<string, unknown>) =>
      alertingSummaryReplyV1Schema.parse(
        decode((await client.request(ALERTING_SUMMARY_SUBJECT, encode(request), { timeout: 5000 })).data),
      );
    const p3 = await waitFor(
      async () => {
        const reply = await summary({ from, to, severities: ['medium', 'low'] });
        if (reply.delivered !== 1) throw new Error(`delivered ${reply.delivered}`);
        return reply;
      },
      { timeoutMs: 10_000, description: 'the medium notification delivered' },
    );
    expect(p3).toMatchObject({
      total_alerts: 2,
      by_severity: { medium: 1, low: 1 },
      delivered: 1,
      failed: 1,
      episodes: 2,
      by_alertname: { SummaryMedium: 1, SummaryRejected: 1 },
    });
    expect(p3.top_alerts?.map((a) => [a.alertname, a.severity]).sort()).toEqual([
      ['SummaryMedium', 'medium'],
      ['SummaryRejected', 'low'],
    ]);
    // The same window unfiltered still holds the other severities, so the filter is what left them out.
    const all = await summary({ from, to });
    expect(all.total_alerts).toBe(6);
    expect(all.by_severity).toMatchObject({ high: 2, critical: 1, medium: 1, low: 1 });
    expect(Object.keys(all.by_alertname ?? {})).toEqual(
      expect.arrayContaining(['SummaryCritical', 'LoginFailuresSpike', 'SummaryMedium']),
    );
  });

  it('answers a malformed summary request with bad_request', async () => {
    const msg = await client.request(ALERTING_SUMMARY_SUBJECT, encode({ from: 'yesterday' }), {
      timeout: 5000,
    });
    expect(decode(msg.data)).toMatchObject({ error: 'bad_request' });
  });
});
