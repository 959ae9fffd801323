import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import {
  ALERT_FIRED_SUBJECT,
  alertEventV1Schema,
  type AlertEventV1,
  ALERTING_SUMMARY_SUBJECT,
  AUDIT_SUMMARY_SUBJECT,
  ERRORS_SUMMARY_SUBJECT,
  HEALTH_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type AlertingSummaryReplyV1,
  type AuditSummaryReplyV1,
  type ErrorsSummaryReplyV1,
  type HealthSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { startService } from '@vigil/platform';
import {
  freePort,
  startNatsServer,
  startSmtpServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type ParsedMail,
  type SmtpSink,
} from '@vigil/testing';

import { reportingService } from '../src/service';
import { bearer, reportingApiKeys } from './report-api-key';
import { startSmtpGate, type SmtpGate } from './smtp-gate';

const RECIPIENTS = ['ops@example.com', 'cto@example.com'];
const DAY_MS = 86_400_000;

interface RunBody {
  report_run_id: string;
  period: { from: string; to: string; label: string };
  status: string;
  message_id: string;
  attempts: number;
}

/**
 * The other services' side of the summary protocol, on a plain NATS connection: each subject
 * answers with a fixed summary for whatever period it is asked about, and records the requests.
 */
class FakeSummaryResponders {
  readonly requests = new Map<string, SummaryRequestV1[]>();
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(private readonly nc: NatsConnection) {}

  async answer(subject: string, reply: (request: SummaryRequestV1) => unknown): Promise<void> {
    this.listen(subject, (msg, request) => msg.respond(JSON.stringify(reply(request))));
    await this.nc.flush();
  }

  /** Subscribes but never replies: the requester can only time out. */
  async stayQuiet(subject: string): Promise<void> {
    this.listen(subject, () => undefined);
    await this.nc.flush();
  }

  async remove(subject: string): Promise<void> {
    this.subscriptions.get(subject)?.unsubscribe();
    this.subscriptions.delete(subject);
    await this.nc.flush();
  }

  private listen(subject: string, handle: (msg: Msg, request: SummaryRequestV1) => void): void {
    this.subscriptions.get(subject)?.unsubscribe();
    const sub = this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) return;
        const request = summaryRequestV1Schema.parse(msg.json());
        this.requests.set(subject, [...(this.requests.get(subject) ?? []), request]);
        handle(msg, request);
      },
    });
    this.subscriptions.set(subject, sub);
  }
}

const auditSummary = (r: SummaryRequestV1): AuditSummaryReplyV1 => ({
  from: r.from,
  to: r.to,
  total_events: 42,
  by_action: { 'admin.profile.viewed': 40, 'admin.bulk_action.executed': 2 },
  by_outcome: { success: 41, denied: 1 },
});
const alertingSummary = (r: SummaryRequestV1): AlertingSummaryReplyV1 => ({
  from: r.from,
  to: r.to,
  total_alerts: 3,
  by_severity: { critical: 1, high: 2 },
  delivered: 3,
  failed: 0,
});
const healthSummary = (r: SummaryRequestV1): HealthSummaryReplyV1 => ({
  from: r.from,
  to: r.to,
  targets: [
    { name: 'shop-api', status: 'up', uptime_pct: 99.9, checks: 10080 },
    { name: 'mail relay (postmaster@example.com)', status: 'up', uptime_pct: 100, checks: 2016 },
  ],
});

const errorsSummary = (r: SummaryRequestV1): ErrorsSummaryReplyV1 => ({
  from: r.from,
  to: r.to,
  total_events: 17,
  new_issues: 1,
  regressions: 0,
  top_issues: [
    {
      issue_id: '42',
      // Titles come from application exceptions: one that still names a person reaches no inbox as it is.
      title: 'DoesNotExist: no privacy settings for rahim.demo@example.com',
      culprit: 'profiles.views in boom',
      level: 'error',
      project: 'django-profile',
      count: 17,
      users: 2,
      status: 'unresolved',
      new: true,
      regressed: false,
      resolved: false,
    },
  ],
});

describe('POST /reports/weekly (real NATS, Postgres and SMTP)', () => {
  let nats: NatsServerHandle;
  let smtp: SmtpSink;
  let gate: SmtpGate;
  let app: INestApplication;
  let client: NatsConnection;
  let responders: FakeSummaryResponders;
  let base: string;

  const post = async (url: string, body?: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: body === undefined ? bearer : { 'content-type': 'application/json', ...bearer },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const withSubject = (subject: string) => smtp.messages.filter((m) => m.subject === subject);
  const addresses = (mail: ParsedMail) =>
    (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
      a.value.map((v) => v.address),
    );

  beforeAll(async () => {
    const [natsServer, smtpSink, databaseUrl] = await Promise.all([
      startNatsServer(),
      startSmtpServer(),
      testDatabaseUrl(),
    ]);
    nats = natsServer;
    smtp = smtpSink;
    gate = await startSmtpGate(smtp.port);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startService(
      reportingService,
      {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        HEALTH_CHECK_INTERVAL_MS: '200',
        SMTP_URL: gate.url,
        REPORT_FROM: 'vigil@example.com',
        REPORT_RECIPIENTS: RECIPIENTS.join(', '),
        SUMMARY_TIMEOUT_MS: '1000',
        SMTP_RETRY_BACKOFF_MS: '50',
        API_KEYS: reportingApiKeys(),
      },
      { logger: false },
    );
    client = await connect({ servers: nats.url });
    responders = new FakeSummaryResponders(client);
  });

  beforeEach(async () => {
    await responders.answer(AUDIT_SUMMARY_SUBJECT, auditSummary);
    await responders.answer(ALERTING_SUMMARY_SUBJECT, alertingSummary);
    await responders.answer(HEALTH_SUMMARY_SUBJECT, healthSummary);
    await responders.answer(ERRORS_SUMMARY_SUBJECT, errorsSummary);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await gate?.stop();
    await smtp?.stop();
    await nats?.stop();
  });

  it('sends the previous ISO week once: one e-mail with both parts to every recipient, then 409', async () => {
    const first = await post(`${base}/reports/weekly`);
    expect(first.status).toBe(201);
    const run = first.body as unknown as RunBody;
    expect(run).toMatchObject({ status: 'sent', attempts: 1, message_id: expect.stringMatching(/^<.+>$/) });

    // The default period is the last complete ISO week in UTC, and every source was asked for it.
    const from = new Date(run.period.from);
    const to = new Date(run.period.to);
    expect(from.getUTCDay()).toBe(1);
    expect(from.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(to.getTime() - from.getTime()).toBe(7 * DAY_MS);
    expect(to.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.now()).toBeLessThan(to.getTime() + 7 * DAY_MS);
    expect(run.period.label).toMatch(/^\d{4}-W\d{2}$/);
    const subjects = [
      AUDIT_SUMMARY_SUBJECT,
      ALERTING_SUMMARY_SUBJECT,
      HEALTH_SUMMARY_SUBJECT,
      ERRORS_SUMMARY_SUBJECT,
    ];
    for (const subject of subjects) {
      // The week itself, and the week before for the week-over-week changes.
      expect(responders.requests.get(subject)?.slice(-2)).toEqual(
        expect.arrayContaining([
          { from: run.period.from, to: run.period.to },
          { from: new Date(from.getTime() - 7 * DAY_MS).toISOString(), to: run.period.from },
        ]),
      );
    }

    const subject = `Week ${Number(run.period.label.slice(-2))}: 99.95 % uptime, 1 P1 alert`;
    const mail = await smtp.waitForMessage((m) => m.subject === subject);
    expect(mail.messageId).toBe(run.message_id);
    expect(mail.from?.value[0].address).toBe('vigil@example.com');
    expect(addresses(mail).sort()).toEqual([...RECIPIENTS].sort());
    // The week before answered the same: every headline figure unchanged, traffic unavailable.
    expect(mail.text).toMatch(/Average uptime:\s+99\.95 %\s+= unchanged from 99\.95 %\n/);
    expect(mail.text).toMatch(/Requests:\s+unavailable\n/);
    expect(mail.text).toMatch(/critical\s+1/);
    expect(mail.text).toMatch(/Audit events:\s+42\s+= unchanged from 42\n/);
    expect(mail.text).toMatch(/Traffic and performance\n-+\nunavailable: no metrics source configured/);
    // The errors service's top issues, in the errors section beside the (unavailable) 5xx figures.
    expect(mail.text).toMatch(
      /Errors\n-+\n5xx share:\s+unavailable: no metrics source configured\nError events:\s+17\n/,
    );
    expect(mail.text).toMatch(
      /DoesNotExist: no privacy settings for \[REDACTED:email\] \(profiles\.views in boom\)\s+django-profile\s+error\s+17\s+2\s+unresolved\s+new/,
    );
    expect(`${mail.text}${String(mail.html)}`).not.toContain('rahim.demo@example.com');
    expect(mail.html).toContain('<table');
    expect(mail.html).toContain('99.95&nbsp;%');
    expect(mail.html).not.toMatch(/<script/i);
    // The downtime chart rides along as an inline PNG the HTML points at by Content-ID.
    const chart = mail.attachments.find((a) => a.contentId === '<downtime-by-target>');
    expect(chart).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline' });
    expect(chart?.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(chart?.related).toBe(true);
    // mailparser resolves cid: links into data: URIs, so the HTML shows the image it referenced.
    expect(mail.html).toMatch(
      /<img src="data:image\/png;base64,[^"]+" alt="Downtime per target \(minutes\)"/,
    );
    // A source value carrying an e-mail address reaches the inbox redacted, in both parts.
    expect(`${mail.text}${String(mail.html)}`).not.toContain('postmaster@example.com');
    expect(mail.text).toContain('mail relay ([REDACTED:email])');

    const second = await post(`${base}/reports/weekly`);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      error: 'conflict',
      message: expect.stringContaining('already sent'),
      details: { report_run_id: run.report_run_id },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(withSubject(subject)).toHaveLength(1);
  });

  it('refuses a body that is not JSON with 415 and an invalid JSON body with 400, and sends nothing', async () => {
    const before = smtp.messages.length;
    const period = { from: '2026-06-01T00:00:00Z', to: '2026-06-08T00:00:00Z' };
    // ?force=true: were such a body ignored, the default week would be sent even though it already was.
    const refused = [
      { 'content-type': 'text/plain', body: JSON.stringify(period) },
      { 'content-type': 'application/x-www-form-urlencoded', body: `from=${period.from}&to=${period.to}` },
    ];
    for (const { body, ...headers } of refused) {
      const res = await fetch(`${base}/reports/weekly?force=true`, {
        method: 'POST',
        headers: { ...headers, ...bearer },
        body,
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({
        error: 'unsupported_media_type',
        message: expect.stringContaining('must be application/json'),
        details: { content_type: headers['content-type'] },
      });
    }
    const invalid = await fetch(`${base}/reports/weekly?force=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer },
      body: '{"from": ',
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'bad_request' });

    // An e-mail could have been sent in that time: the same period as JSON is sent at once.
    const sent = await post(`${base}/reports/weekly`, period);
    expect(sent.status).toBe(201);
    await smtp.waitForMessage((m) => m.messageId === sent.body.message_id);
    expect(smtp.messages.slice(before).map((m) => m.messageId)).toEqual([sent.body.message_id]);
  });

  it('still sends the report when the health service does not answer, saying the section is unavailable', async () => {
    await responders.remove(HEALTH_SUMMARY_SUBJECT);
    const res = await post(`${base}/reports/weekly`, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-12T00:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'sent', period: { label: '2026-W02' } });

    const mail = await smtp.waitForMessage((m) => m.subject?.startsWith('Week 2:') ?? false);
    expect(mail.subject).toBe('Week 2: uptime unavailable, 1 P1 alert');
    expect(mail.text).toMatch(/Uptime\n-+\nunavailable: no responders/);
    expect(mail.html).toContain('unavailable: no responders');
    expect(mail.text).toContain('Alerts fired:            3');
  });

  it('says "errors service unavailable" in the errors section when errors does not answer', async () => {
    await responders.remove(ERRORS_SUMMARY_SUBJECT);
    const res = await post(`${base}/reports/weekly`, {
      from: '2026-03-02T00:00:00Z',
      to: '2026-03-09T00:00:00Z',
    });
    expect(res.status).toBe(201);
    const mail = await smtp.waitForMessage((m) => m.messageId === res.body.message_id);
    expect(mail.text).toMatch(/Issues:\s+errors service unavailable: no responders\n/);
    expect(mail.html).toContain('errors service unavailable: no responders');
    expect(mail.text).not.toContain('Top 10 issues');
    expect(mail.text).toMatch(/Top 10 alerts/);
  });

  it('gives up on a source that stays silent after SUMMARY_TIMEOUT_MS', async () => {
    await responders.stayQuiet(AUDIT_SUMMARY_SUBJECT);
    const started = Date.now();
    const res = await post(`${base}/reports/weekly`, {
      from: '2026-01-12T00:00:00Z',
      to: '2026-01-19T00:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5000);
    const mail = await smtp.waitForMessage((m) => m.subject?.startsWith('Week 3:') ?? false);
    expect(mail.text).toMatch(/Audit activity\n-+\nunavailable: no reply within 1000 ms/);
    expect(mail.subject).toBe('Week 3: 99.95 % uptime, 1 P1 alert');
  });

  it('sends an already-sent period again only with ?force=true, on the same run', async () => {
    const period = { from: '2026-01-19T00:00:00Z', to: '2026-01-26T00:00:00Z' };
    const first = await post(`${base}/reports/weekly`, period);
    const forced = await post(`${base}/reports/weekly?force=true`, period);
    expect(first.status).toBe(201);
    expect(forced.status).toBe(201);
    expect(forced.body.report_run_id).toBe(first.body.report_run_id);
    expect(forced.body.message_id).not.toBe(first.body.message_id);
    await smtp.waitForMessage((m) => m.messageId === forced.body.message_id);
    expect(withSubject('Week 4: 99.95 % uptime, 1 P1 alert')).toHaveLength(2);

    const list = (await (await fetch(`${base}/reports?limit=50`, { headers: bearer })).json()) as {
      runs: Record<string, unknown>[];
    };
    expect(list.runs.find((r) => r.id === first.body.report_run_id)).toMatchObject({
      report: 'weekly',
      period_start: '2026-01-19T00:00:00.000Z',
      period_end: '2026-01-26T00:00:00.000Z',
      status: 'sent',
      attempts: 2,
      message_id: forced.body.message_id,
    });
  });

  it('sends once when two requests race for the same period', async () => {
    const period = { from: '2026-01-26T00:00:00Z', to: '2026-02-02T00:00:00Z' };
    const results = await Promise.all([1, 2, 3].map(() => post(`${base}/reports/weekly`, period)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const winner = results.find((r) => r.status === 201)!;
    await smtp.waitForMessage((m) => m.messageId === winner.body.message_id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(withSubject('Week 5: 99.95 % uptime, 1 P1 alert')).toHaveLength(1);
  });

  it('retries a refused SMTP send with backoff and succeeds when the server recovers in time', async () => {
    gate.refuse(1);
    const res = await post(`${base}/reports/weekly`, {
      from: '2026-02-02T00:00:00Z',
      to: '2026-02-09T00:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'sent', attempts: 2 });
    expect(gate.refused).toBe(1);
    await smtp.waitForMessage((m) => m.messageId === res.body.message_id);
  });

  it('marks the run failed with a 502 after SMTP_SEND_ATTEMPTS refusals, and a later request sends it', async () => {
    const period = { from: '2026-02-09T00:00:00Z', to: '2026-02-16T00:00:00Z' };
    const refusedBefore = gate.refused;
    const fired: AlertEventV1[] = [];
    const alerts = client.subscribe(ALERT_FIRED_SUBJECT, {
      callback: (_error, msg) => {
        fired.push(alertEventV1Schema.parse(msg.json()));
      },
    });
    gate.refuse(Number.POSITIVE_INFINITY);
    const failed = await post(`${base}/reports/weekly`, period);
    gate.open();
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({
      error: 'smtp_failed',
      message: expect.stringContaining('after 3 attempts'),
      details: { report_run_id: expect.any(String), attempts: 3 },
    });
    expect(gate.refused - refusedBefore).toBe(3);
    const { report_run_id } = failed.body.details as { report_run_id: string };
    const list = (await (await fetch(`${base}/reports`, { headers: bearer })).json()) as {
      runs: Record<string, unknown>[];
    };
    expect(list.runs.find((r) => r.id === report_run_id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      message_id: null,
      error: expect.stringMatching(/421/),
    });
    expect(withSubject('Week 7: 99.95 % uptime, 1 P1 alert')).toHaveLength(0);

    // A permanent failure raises an alert and shows in /health/detailed (without failing readiness).
    const alert = await waitFor(
      () => fired.find((a) => a.labels.alertname === 'ReportDeliveryFailed') ?? null,
      {
        timeoutMs: 5000,
        description: 'ReportDeliveryFailed on alerts.v1.fired',
      },
    );
    alerts.unsubscribe();
    expect(alert?.labels).toMatchObject({
      severity: 'high',
      service: 'reporting',
      report: 'weekly',
      period: '2026-W07',
    });
    const deliveryCheck = async () =>
      (
        (await (await fetch(`${base}/health/detailed`, { headers: bearer })).json()) as {
          components: { name: string; status: string; critical: boolean; last_error: string | null }[];
        }
      ).components.find((d) => d.name === 'report-delivery');
    const down = await waitFor(
      async () => ((await deliveryCheck())?.status === 'down' ? deliveryCheck() : null),
      {
        timeoutMs: 5000,
        description: 'report-delivery down in /health/detailed',
      },
    );
    expect(down).toMatchObject({
      critical: false,
      last_error: expect.stringContaining('weekly 2026-02-09 not sent after 3 attempts'),
    });
    expect((await fetch(`${base}/health/readiness`)).status).toBe(200);

    // A failed period is not "already sent": the next request claims the same run and delivers it.
    const retried = await post(`${base}/reports/weekly`, period);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ report_run_id, status: 'sent', attempts: 4 });
    await smtp.waitForMessage((m) => m.subject === 'Week 7: 99.95 % uptime, 1 P1 alert');
    await waitFor(async () => ((await deliveryCheck())?.status === 'up' ? true : null), {
      timeoutMs: 5000,
      description: 'report-delivery up again once the run was sent',
    });
  });

  it('archives each report: GET /reports/:id shows its HTML with the charts embedded, .pdf prints it', async () => {
    const period = { from: '2026-02-16T00:00:00Z', to: '2026-02-23T00:00:00Z' };
    const sent = await post(`${base}/reports/weekly`, period);
    expect(sent.status).toBe(201);
    const page = await fetch(`${base}/reports/${String(sent.body.report_run_id)}`, { headers: bearer });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'unsafe-inline'; img-src data:/,
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await fetch(`${base}/reports/${String(sent.body.report_run_id)}`)).status).toBe(401);
    const html = await page.text();
    expect(html).toContain('Vigil weekly report 2026-W08');
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="Downtime per target/);
    expect(html).toContain('mail relay ([REDACTED:email])');
    expect(html).not.toContain('postmaster@example.com');

    const pdf = await fetch(`${base}/reports/${String(sent.body.report_run_id)}.pdf`, {
      headers: bearer,
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const missing = await fetch(`${base}/reports/00000000-0000-4000-8000-000000000000`, { headers: bearer });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(`${base}/reports/not-an-id`, { headers: bearer })).status).toBe(400);
    expect(
      (await fetch(`${base}/reports/00000000-0000-4000-8000-000000000000.pdf`, { headers: bearer })).status,
    ).toBe(404);
  });

  it('runs a definition on demand for ?period=, and a dry run returns the HTML without sending', async () => {
    const before = smtp.messages.length;
    const dry = await fetch(`${base}/reports/weekly/run?period=2026-W09&dry_run=true`, {
      method: 'POST',
      headers: bearer,
    });
    expect(dry.status).toBe(201);
    expect(dry.headers.get('content-type')).toContain('text/html');
    expect(await dry.text()).toContain('Vigil weekly report 2026-W09');
    expect(smtp.messages.length).toBe(before);
    const runs = (await (await fetch(`${base}/reports?limit=200`, { headers: bearer })).json()) as {
      runs: { period_start: string }[];
    };
    expect(runs.runs.some((r) => r.period_start === '2026-02-23T00:00:00.000Z')).toBe(false);

    const real = await post(`${base}/reports/weekly/run?period=2026-W09`);
    expect(real).toMatchObject({
      status: 201,
      body: { report: 'weekly', status: 'sent', period: { label: '2026-W09' } },
    });
    await smtp.waitForMessage((m) => m.subject === 'Week 9: 99.95 % uptime, 1 P1 alert');
    expect((await post(`${base}/reports/weekly/run?period=2026-W09`)).status).toBe(409);

    const digest = await post(`${base}/reports/daily-p3-digest/run?period=2026-03-02`);
    expect(digest).toMatchObject({
      status: 201,
      body: { report: 'daily-p3-digest', period: { label: '2026-03-02' } },
    });
    const mail = await smtp.waitForMessage(
      (m) => m.subject?.startsWith('Daily P3 digest 2026-03-02') ?? false,
    );
    expect(mail.text).toContain('Alerts fired:');
    expect(mail.text).not.toContain('Audit activity');
    // The digest counts P3 only: alerting was asked for medium and low, and the mail says so.
    expect(responders.requests.get(ALERTING_SUMMARY_SUBJECT)?.at(-1)).toMatchObject({
      severities: ['medium', 'low'],
    });
    expect(responders.requests.get(AUDIT_SUMMARY_SUBJECT)?.at(-1)).not.toHaveProperty('severities');
    expect(mail.text).toContain('Alerts: P3 only (medium, low)');

    expect((await post(`${base}/reports/weekly/run?period=2026-13`)).body).toMatchObject({
      error: 'bad_request',
      message: 'period must name a week such as 2026-W47',
    });
    expect((await post(`${base}/reports/weekly/run?period=2099-W01`)).status).toBe(400);
    expect((await post(`${base}/reports/nope/run`)).status).toBe(404);
  });

  it('lists its report definitions at GET /reports/definitions (not read as a report id)', async () => {
    const res = await fetch(`${base}/reports/definitions`, { headers: bearer });
    expect(res.status).toBe(200);
    const { definitions } = (await res.json()) as { definitions: { id: string; period: string }[] };
    expect(definitions.map((d) => [d.id, d.period])).toEqual([
      ['weekly', 'week'],
      ['daily-p3-digest', 'day'],
      ['monthly-privacy-audit', 'month'],
    ]);
    expect((await fetch(`${base}/reports/definitions`)).status).toBe(401);
  });

  it('answers bad requests with 400 JSON errors', async () => {
    const half = await post(`${base}/reports/weekly`, { from: '2026-02-02T00:00:00Z' });
    expect(half.status).toBe(400);
    expect(half.body).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('both from and to'),
    });
    const future = await post(`${base}/reports/weekly`, {
      from: '2099-01-05T00:00:00Z',
      to: '2099-01-12T00:00:00Z',
    });
    expect(future.status).toBe(400);
    const limit = await fetch(`${base}/reports?limit=0`, { headers: bearer });
    expect(limit.status).toBe(400);
  });
});
