import { about, api, bodyOf, postAlerts, startAlerting, type AlertingHarness } from './alerting-harness';

/** ALERT_RESOLVE_TIMEOUT_S: an alert nobody re-sends resolves by itself, and the receiver is told once. */
describe('alerting resolve timeout (real Postgres, real webhook receiver)', () => {
  let h: AlertingHarness;

  beforeAll(async () => {
    h = await startAlerting({ ALERT_RESOLVE_TIMEOUT_S: '1' });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('resolves an alert without endsAt once the timeout passes, and notifies the resolution', async () => {
    const startsAt = new Date().toISOString();
    await postAlerts(h.base, [{ labels: { alertname: 'HeartbeatMissing', severity: 'medium' }, startsAt }]);
    const firing = await h.sink.waitForRequest(about('HeartbeatMissing', 'firing'));
    const resolved = await h.sink.waitForRequest(about('HeartbeatMissing', 'resolved'), 15_000);

    const alert = bodyOf(resolved).alerts[0];
    expect(alert.fingerprint).toBe(bodyOf(firing).alerts[0].fingerprint);
    expect(alert.startsAt).toBe(startsAt);
    expect(Date.parse(alert.endsAt) - Date.parse(startsAt)).toBeGreaterThanOrEqual(1000);
    const listed = (await (await api(`${h.base}/api/v2/alerts`)).json()) as unknown[];
    expect(listed).toEqual([]);
  });
});
