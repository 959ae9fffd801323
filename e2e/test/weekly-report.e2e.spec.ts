import { createServer, type Server } from 'node:http';

import { connect, type NatsConnection } from '@nats-io/transport-node';

import {
  ALERTING_SUMMARY_SUBJECT,
  alertingSummaryReplyV1Schema,
  AUDIT_SUMMARY_SUBJECT,
  auditSummaryReplyV1Schema,
  HEALTH_SUMMARY_SUBJECT,
  healthSummaryReplyV1Schema,
  type AlertingSummaryReplyV1,
} from '@vigil/contracts';
import { freePort, type PrometheusHandle, startPrometheusWithFixture, waitFor } from '@vigil/testing';

import { auditEvent, operatorAuth as auth, publishAuditEvent, startSystem, type VigilSystem } from './system';

/** Personal data and a secret seeded into events, alerts and a target's answer: none may reach the inbox. */
const SEEDED = ['jane.doe@example.com', '+44 20 7946 0958', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'];
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A target's HTTP server: `/status` answers {"status":"ok"}, or a degraded status carrying personal data. */
interface StatusServer {
  port: number;
  setDegraded(degraded: boolean): void;
  stop(): Promise<void>;
}

async function startStatusServer(): Promise<StatusServer> {
  let degraded = false;
  const server: Server = createServer((req, res) => {
    const status =
      degraded && req.url === '/status'
        ? `degraded: call ${SEEDED[1]} or mail ${SEEDED[0]} with token ${SEEDED[2]}`
        : 'ok';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    setDegraded: (value) => {
      degraded = value;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The report's number formats (apps/reporting weekly-report.builder), to compare with the sources' figures. */
const percent = (value: number) => {
  const text = value.toFixed(2);
  return `${text === '100.00' && value < 100 ? '99.99' : text} %`;
};
const duration = (seconds: number) => {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
};
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The weekly report end to end, through public interfaces only: audit events published on NATS,
 * alerts posted to the Alertmanager API and acknowledged or resolved over HTTP, health checking
 * real local HTTP servers, a real Prometheus over a fixed fortnight of metrics; the report arrives
 * on a real SMTP server and is read back with mailparser.
 */
describe('weekly report end to end (four services, Prometheus, SMTP)', () => {
  let system: VigilSystem;
  let prometheus: PrometheusHandle | undefined;
  let prometheusPort: number;
  let status: StatusServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    status = await startStatusServer();
    prometheusPort = await freePort();
    const target = (name: string, path: string, extra = '') =>
      `  - name: ${name}\n    url: http://127.0.0.1:${status.port}${path}\n    interval_s: 1\n    timeout_ms: 3000\n    failure_threshold: 2\n${extra}`;
    system = await startSystem({
      envFor: {
        reporting: {
          PROMETHEUS_URL: `http://127.0.0.1:${prometheusPort}`,
          REPORT_SCHEDULE_ENABLED: 'false',
          REPORT_RECIPIENTS: 'ops@example.test',
        },
      },
      targets: [
        target('payments-api', '/status', '    json_path: { path: "$.status", equals: ok }\n'),
        target('shop-web', '/'),
      ],
    });
    nc = await connect({ servers: system.nats.url });
  }, 90_000);

  afterAll(async () => {
    await nc?.close().catch(() => undefined);
    await system?.stop();
    await prometheus?.stop();
    await status?.stop();
  });

  const url = (service: keyof VigilSystem['services'], path: string) =>
    `${system.services[service].url}${path}`;
  const post = (target: string, body: unknown) =>
    fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });
  const summary = async <T>(
    subject: string,
    schema: { parse(value: unknown): T },
    from: Date,
    to: Date,
  ): Promise<T> =>
    schema.parse(
      (
        await nc.request(subject, JSON.stringify({ from: from.toISOString(), to: to.toISOString() }), {
          timeout: 5000,
        })
      ).json(),
    );

  it('e-mails the week: the same numbers in both parts, inline charts, no personal data', async () => {
    const seededAt = Date.now();
    const at = (daysAgo: number) => new Date(seededAt - daysAgo * DAY_MS).toISOString();
    const wide = { from: new Date(seededAt - 8 * DAY_MS), to: new Date(seededAt + HOUR_MS) };

    // Audit: a week of admin activity, privacy changes by users and two risky admin actions.
    const events = [
      ...[6, 5, 4, 3, 2].map((d) =>
        auditEvent({ occurred_at: at(d), actor: { type: 'admin', id: 'admin-alice' } }),
      ),
      ...[6, 4, 2].map((d) =>
        auditEvent({
          occurred_at: at(d),
          actor: { type: 'admin', id: 'admin-alice' },
          action: 'wallet.settings.viewed',
          resource: { type: 'wallet', id: 'w-1001' },
        }),
      ),
      ...[5, 1].map((d) =>
        auditEvent({
          occurred_at: at(d),
          actor: { type: 'admin', id: 'admin-alice' },
          action: 'admin.kyc.viewed',
          resource: { type: 'kyc', id: 'k-1001' },
        }),
      ),
      auditEvent({
        occurred_at: at(3),
        actor: { type: 'admin', id: 'admin-bob' },
        action: 'admin.economy_field.changed',
        resource: { type: 'user', id: '1002' },
        changes: { balance: { before: 10, after: 100000 } },
      }),
      auditEvent({
        occurred_at: at(2),
        actor: { type: 'admin', id: 'admin-bob' },
        action: 'admin.bulk_action.executed',
        resource: { type: 'user', id: 'bulk' },
        metadata: { affected_count: 250 },
      }),
      ...[5, 4, 3, 1].map((d) =>
        auditEvent({
          occurred_at: at(d),
          actor: { type: 'user', id: 'user-1001' },
          action: 'privacy.settings.updated',
          resource: { type: 'user', id: 'user-1001' },
          changes: { profile_visibility: { before: 'public', after: 'private' } },
          metadata: { email: SEEDED[0], phone: SEEDED[1], session_token: SEEDED[2] },
        }),
      ),
    ];
    for (const event of events) await publishAuditEvent(nc, event);

    // Alerting: three latency alerts (acknowledged), an outage (resolved by hand), a backlog still firing.
    const alert = (alertname: string, severity: string, daysAgo: number, instance: string) => ({
      labels: { alertname, severity, service: 'shop-api', instance },
      annotations: { summary: `paged ${SEEDED[0]} at ${SEEDED[1]}` },
      startsAt: at(daysAgo),
    });
    const fired = await post(url('alerting', '/api/v2/alerts'), [
      alert('CheckoutLatencyHigh', 'high', 6, 'a'),
      alert('CheckoutLatencyHigh', 'high', 4, 'b'),
      alert('CheckoutLatencyHigh', 'high', 2, 'c'),
      alert('PaymentsDown', 'critical', 3, 'a'),
      alert('QueueBacklog', 'medium', 5, 'a'),
      alert('QueueBacklog', 'medium', 1, 'b'),
      alert(`MailboxFull ${SEEDED[0]}`, 'low', 1, 'a'),
    ]);
    expect(fired.status).toBe(200);
    // Acknowledge and resolve only once alerting has recorded each alert's episode.
    await waitFor(
      async () => {
        const reply = await summary(
          ALERTING_SUMMARY_SUBJECT,
          alertingSummaryReplyV1Schema,
          wide.from,
          wide.to,
        );
        const by = reply.by_alertname ?? {};
        return by.CheckoutLatencyHigh === 3 && by.PaymentsDown === 1 && by.QueueBacklog === 2 ? true : null;
      },
      { timeoutMs: 10_000, description: 'alerting recorded the episodes' },
    );
    const listed = await waitFor(
      async () => {
        const res = await fetch(url('alerting', '/api/v2/alerts'), { headers: auth });
        const alerts = (await res.json()) as { fingerprint: string; labels: Record<string, string> }[];
        return alerts.filter((a) => a.labels.service === 'shop-api').length === 7 ? alerts : null;
      },
      { timeoutMs: 10_000, description: 'the seven alerts listed' },
    );
    for (const a of listed ?? []) {
      const action =
        a.labels.alertname === 'CheckoutLatencyHigh'
          ? 'ack'
          : a.labels.alertname === 'PaymentsDown'
            ? 'resolve'
            : null;
      if (action === null) continue;
      const res = await post(url('alerting', `/api/v2/alerts/${a.fingerprint}/${action}`), {
        who: 'oncall-ann',
        comment: 'on it',
      });
      expect(res.status).toBe(200);
    }

    // Health: payments-api answers a degraded status for a while, long enough to be an incident.
    const health = () => summary(HEALTH_SUMMARY_SUBJECT, healthSummaryReplyV1Schema, wide.from, wide.to);
    await waitFor(
      async () => ((await health()).targets.find((t) => t.name === 'payments-api')?.checks ?? 0) >= 2 || null,
      { timeoutMs: 20_000, description: 'payments-api checked' },
    );
    status.setDegraded(true);
    await waitFor(
      async () => ((await health()).incidents ?? []).some((i) => i.target === 'payments-api') || null,
      {
        timeoutMs: 15_000,
        description: 'an incident on payments-api',
      },
    );
    status.setDegraded(false);
    await waitFor(
      async () =>
        ((await health()).incidents ?? []).some((i) => i.target === 'payments-api' && i.ended_at !== null) ||
        null,
      { timeoutMs: 15_000, description: 'the payments-api incident over' },
    );

    // Everything settled in alerting: detections from audit, the health ServiceDown resolved, acks and resolution.
    const expectedStatus: Record<string, string> = {
      CheckoutLatencyHigh: 'acknowledged',
      PaymentsDown: 'resolved',
      QueueBacklog: 'firing',
      AdminEconomyFieldChanged: 'firing',
      AdminBulkActionLarge: 'firing',
      ServiceDown: 'resolved',
    };
    await waitFor(
      async () => {
        const reply = await summary(
          ALERTING_SUMMARY_SUBJECT,
          alertingSummaryReplyV1Schema,
          wide.from,
          wide.to,
        );
        const top = new Map((reply.top_alerts ?? []).map((a) => [a.alertname, a.status]));
        return Object.entries(expectedStatus).every(([name, s]) => top.get(name) === s) || null;
      },
      { timeoutMs: 20_000, description: 'alerts, detections and the health alert settled in alerting' },
    );
    await waitFor(
      async () => {
        const reply = await summary(AUDIT_SUMMARY_SUBJECT, auditSummaryReplyV1Schema, wide.from, wide.to);
        return Object.keys(reply.detections ?? {}).length >= 2 && reply.privacy_changes === 4 ? true : null;
      },
      { timeoutMs: 15_000, description: 'audit events stored and detections recorded' },
    );

    // The report week: the seven days up to a whole second just after all of that. Prometheus starts
    // inside it (its start-up load may slow a check, which then counts in the week in every summary).
    const to = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000);
    const from = new Date(to.getTime() - 7 * DAY_MS);
    prometheus = await startPrometheusWithFixture(from, prometheusPort);
    await waitFor(() => Date.now() > to.getTime() + 1500 || null, {
      timeoutMs: 10_000,
      description: 'the week over and checks started in it stored',
    });

    // What each service says about the same week, asked directly just before the report asks.
    const [audit, alerting, healthNow] = await Promise.all([
      summary(AUDIT_SUMMARY_SUBJECT, auditSummaryReplyV1Schema, from, to),
      summary(ALERTING_SUMMARY_SUBJECT, alertingSummaryReplyV1Schema, from, to),
      summary(HEALTH_SUMMARY_SUBJECT, healthSummaryReplyV1Schema, from, to),
    ]);

    const res = await post(url('reporting', '/reports/weekly'), {
      from: from.toISOString(),
      to: to.toISOString(),
    });
    const run = (await res.json()) as {
      report_run_id: string;
      message_id: string;
      period: { label: string };
    };
    expect(res.status).toBe(201);
    const label = `${from.toISOString().slice(0, 10)}..${new Date(to.getTime() - 1).toISOString().slice(0, 10)}`;
    expect(run.period.label).toBe(label);
    const mail = await system.smtp.waitForMessage((m) => m.messageId === run.message_id, 20_000);
    const text = mail.text ?? '';
    const html = String(mail.html);

    const uptimes = healthNow.targets.map((t) => t.uptime_pct).filter((u): u is number => u !== null);
    const average = uptimes.reduce((sum, u) => sum + u, 0) / uptimes.length;
    const p1 = alerting.by_severity.critical ?? 0;
    expect(mail.subject).toBe(`${label}: ${percent(average)} uptime, ${p1} P1 alert${p1 === 1 ? '' : 's'}`);
    expect(p1).toBeGreaterThanOrEqual(2); // PaymentsDown and AdminEconomyFieldChanged at least

    // Traffic and errors from the fixed Prometheus fortnight: 72 and 16 requests per 15 minutes, 60 and 20 before.
    const both = (pattern: RegExp, htmlFigures: string[]) => {
      expect(text).toMatch(pattern);
      for (const figure of htmlFigures) expect(html).toContain(figure);
    };
    // The HTML keeps a number and its unit together with a non-breaking space.
    const inHtml = (figure: string) =>
      figure.replace(/(\d) (%|ms)/g, '$1&nbsp;$2').replace(/([▲▼]) /g, '$1&nbsp;');
    both(/Requests:\s+59,136\s+▲ up 10\.0 % from 53,760\n/, [
      inHtml('59,136'),
      inHtml('▲ up 10.0 % from 53,760'),
    ]);
    both(/5xx share:\s+1\.14 %\s+▼ down 1\.36 points from 2\.50 %\n/, [inHtml('1.14 %')]);
    both(/p95 latency:\s+250 ms\s+▼ down 50\.0 % from 500 ms\n/, [inHtml('▼ down 50.0 % from 500 ms')]);
    both(/shop-api\s+48,384\s+▲ up 20\.0 %\s+250 ms/, ['48,384', inHtml('▲ up 20.0 %')]);
    both(/billing\s+10,752\s+▼ down 20\.0 %\s+250 ms/, ['10,752', inHtml('▼ down 20.0 %')]);
    both(/5xx responses:\s+672/, ['672']);
    both(/shop-api\s+48,384\s+672\s+1\.39 %/, [inHtml('1.39 %')]);
    expect(text.match(/\d{4}-\d{2}-\d{2}\s+50\.0 ms\s+250 ms\s+500 ms/g)?.length ?? 0).toBeGreaterThanOrEqual(
      6,
    );

    // Top alerts with their current status, as alerting reports them.
    both(/CheckoutLatencyHigh\s+high\s+3\s+acknowledged/, ['CheckoutLatencyHigh', 'acknowledged']);
    both(/PaymentsDown\s+critical\s+1\s+resolved/, ['PaymentsDown', 'resolved']);
    both(/QueueBacklog\s+medium\s+2\s+firing/, ['QueueBacklog', 'firing']);
    both(/MailboxFull \[REDACTED:email\]\s+low\s+1\s+firing/, ['MailboxFull [REDACTED:email]']);
    expectAlertFigures(text, html, alerting);

    // Uptime per target and the incident, as health reports them.
    for (const name of ['payments-api', 'shop-web']) {
      const t = healthNow.targets.find((x) => x.name === name);
      if (!t || t.uptime_pct === null) throw new Error(`${name} has no uptime in the health summary`);
      // The status column is the target's state now, which may move; uptime and checks are the week's.
      both(
        new RegExp(
          `${name}\\s+(up|down|unknown)\\s+${escapeRegExp(percent(t.uptime_pct))}\\s+\\S+(?: \\S+)?\\s+(?:over by )?\\S+(?: \\S+)?\\s+${t.checks.toLocaleString('en-US')}\\s`,
        ),
        [percent(t.uptime_pct).replace(' ', '&nbsp;')],
      );
    }
    const incident = healthNow.incidents?.find(
      (i) => i.target === 'payments-api' && i.reason.includes('$.status'),
    );
    if (!incident?.duration_s) throw new Error('the payments-api incident has no duration');
    both(
      new RegExp(
        `payments-api\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\s+${duration(incident.duration_s)}\\s+[^\\n]*\\$\\.status is \\\\?"degraded`,
      ),
      [duration(incident.duration_s)],
    );

    // Privacy and admin activity, as audit reports them.
    expect(audit.privacy_changes).toBe(4);
    both(/Privacy setting changes:\s+4/, []);
    both(/Detections fired:\s+2/, ['AdminEconomyFieldChanged']);
    both(/Bulk actions:\s+1/, []);
    both(/Economy edits:\s+1/, []);
    both(/Wallet and KYC access by admin:\nAdmin\s+Count\n[- ]+\nadmin-alice\s+5\n/, ['admin-alice']);
    const auditEvents = audit.total_events.toLocaleString('en-US');
    both(new RegExp(`Audit events:\\s+${auditEvents}\\s`), [auditEvents]);

    // Charts ride along as inline PNGs the HTML shows by Content-ID (mailparser turns cid: into data: URIs).
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.contentId).sort()).toEqual(['<downtime-by-target>', '<latency-by-day>']);
    for (const image of images) {
      expect(image).toMatchObject({ contentDisposition: 'inline', related: true });
      expect(image.content.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(image.content.length).toBeGreaterThan(1000);
    }
    expect(html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="Latency per day \(ms\)"/);
    expect(html).not.toMatch(/<script/i);

    // Nothing personal or secret, anywhere in the message.
    const everything = `${mail.subject}\n${text}\n${html}\n${mail.headerLines.map((h) => h.line).join('\n')}`;
    for (const secret of SEEDED) expect(everything).not.toContain(secret);
  }, 60_000);
});

/** The alerts section shows alerting's own figures for the week. */
function expectAlertFigures(text: string, html: string, alerting: AlertingSummaryReplyV1): void {
  expect(text).toMatch(new RegExp(`Alerts fired:\\s+${alerting.total_alerts}\\n`));
  expect(text).toMatch(new RegExp(`Acknowledged:\\s+${alerting.acknowledged}\\n`));
  if (alerting.mtta_s === null || alerting.mtta_s === undefined) throw new Error('no MTTA');
  // In the alerts section on its own; at the top with its move since the week before (none here).
  expect(text).toMatch(new RegExp(`MTTA:\\s+${duration(alerting.mtta_s)}\\n`));
  expect(text).toMatch(
    new RegExp(`MTTA:\\s+${duration(alerting.mtta_s)}\\s+\\S+ (?:up|down|unchanged|no figure)`),
  );
  expect(html).toContain(duration(alerting.mtta_s));
  expect(alerting.acknowledged).toBe(3);
}
