import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import {
  ALERTING_SUMMARY_SUBJECT,
  AUDIT_SUMMARY_SUBJECT,
  HEALTH_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type AlertingSummaryReplyV1,
  type AuditSummaryReplyV1,
  type HealthSummaryReplyV1,
} from '@vigil/contracts';
import { startService } from '@vigil/platform';
import {
  freePort,
  repoRoot,
  startNatsServer,
  startSmtpServer,
  testDatabaseUrl,
  type NatsServerHandle,
  type SmtpSink,
  startPrometheusWithFixture,
  type PrometheusHandle,
} from '@vigil/testing';

import { reportingService } from '../src/service';
import { screenshot } from './chromium-screenshot';
import { pdfFirstPage } from './pdf-first-page';
import { bearer, reportingApiKeys } from './report-api-key';
import { decodePng, inkCoverage } from './png-pixels';

const FROM = '2026-01-05T00:00:00.000Z';
const TO = '2026-01-12T00:00:00.000Z';
/** Personal data that a source might leak into a summary: none of it may reach the inbox. */
const SEEDED = ['jane.doe@example.com', '+44 20 7946 0958', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'];

const audit: AuditSummaryReplyV1 = {
  from: FROM,
  to: TO,
  total_events: 5210,
  by_action: {
    'admin.profile.viewed': 5000,
    'privacy.settings.updated': 120,
    'admin.bulk_action.executed': 60,
    'admin.economy_field.changed': 30,
  },
  by_outcome: { success: 5200, denied: 10 },
  admin_activity: { 'admin-alice': 4000, 'admin-bob': 1210 },
  privacy_changes: 120,
  sensitive_access: { 'admin-alice': 17, 'admin-bob': 4 },
  detections: { economy_field_edit: 30, bulk_action_threshold: 3 },
};
const alerting: AlertingSummaryReplyV1 = {
  from: FROM,
  to: TO,
  total_alerts: 12,
  by_severity: { critical: 3, high: 4, medium: 5 },
  delivered: 12,
  failed: 0,
  by_alertname: { ServiceDown: 3, HighLatency: 9 },
  episodes: 12,
  acknowledged: 10,
  mtta_s: 95,
  mttr_s: 1830,
  false_positives: 3,
  false_positive_rate: 0.25,
  top_noisy: [
    { alertname: 'HighLatency', count: 9 },
    { alertname: `ServiceDown for ${SEEDED[0]}`, count: 3 },
  ],
  top_alerts: [
    { alertname: 'HighLatency', severity: 'medium', count: 9, status: 'acknowledged' },
    { alertname: `ServiceDown for ${SEEDED[0]}`, severity: 'critical', count: 3, status: 'firing' },
  ],
};
const health: HealthSummaryReplyV1 = {
  from: FROM,
  to: TO,
  targets: [
    { name: 'shop-api', status: 'up', uptime_pct: 99.9, checks: 10080, p50_ms: 41, p95_ms: 180 },
    { name: 'billing', status: 'up', uptime_pct: 100, checks: 10080, p50_ms: 12, p95_ms: 30 },
  ],
  incidents: [
    {
      target: 'shop-api',
      started_at: '2026-01-07T03:00:00.000Z',
      ended_at: '2026-01-07T03:10:05.000Z',
      duration_s: 605,
      reason: `HTTP 503; on-call ${SEEDED[1]} token ${SEEDED[2]}`,
    },
  ],
};

/** What the sources say about the week before: more alerts and events, less uptime. */
const BEFORE = '2025-12-29T00:00:00.000Z';
const previous = {
  audit: { ...audit, from: BEFORE, to: FROM, total_events: 4100, by_action: { 'admin.profile.changed': 20 } },
  alerting: {
    ...alerting,
    from: BEFORE,
    to: FROM,
    total_alerts: 16,
    by_severity: { critical: 3 },
    mtta_s: 120,
  },
  health: {
    ...health,
    from: BEFORE,
    to: FROM,
    targets: health.targets.map((t) => ({ ...t, uptime_pct: 99.5 })),
  },
} satisfies { audit: AuditSummaryReplyV1; alerting: AlertingSummaryReplyV1; health: HealthSummaryReplyV1 };

/** The weekly report end to end over a real Prometheus, NATS, Postgres and SMTP server. */
describe('weekly report with Prometheus traffic (real Prometheus, NATS, Postgres, SMTP)', () => {
  let prometheus: PrometheusHandle;
  let nats: NatsServerHandle;
  let smtp: SmtpSink;
  let app: INestApplication;
  let client: NatsConnection;
  let base: string;
  /** The report the first test sent; the screenshot test renders its archived copy. */
  let sentRunId: string | undefined;

  beforeAll(async () => {
    let databaseUrl: string;
    [prometheus, nats, smtp, databaseUrl] = await Promise.all([
      startPrometheusWithFixture(new Date(FROM)),
      startNatsServer(),
      startSmtpServer(),
      testDatabaseUrl(),
    ]);
    client = await connect({ servers: nats.url });
    for (const [subject, reply, before] of [
      [AUDIT_SUMMARY_SUBJECT, audit, previous.audit],
      [ALERTING_SUMMARY_SUBJECT, alerting, previous.alerting],
      [HEALTH_SUMMARY_SUBJECT, health, previous.health],
    ] as const) {
      client.subscribe(subject, {
        callback: (_error, msg) => {
          const request = summaryRequestV1Schema.parse(msg.json());
          msg.respond(JSON.stringify(new Date(request.from) < new Date(FROM) ? before : reply));
        },
      });
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startService(
      reportingService,
      {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        REPORT_FROM: 'vigil@example.com',
        REPORT_RECIPIENTS: 'ops@example.com',
        PROMETHEUS_URL: prometheus.url,
        REPORT_SCHEDULE_ENABLED: 'false',
        API_KEYS: reportingApiKeys(),
      },
      { logger: false },
    );
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await smtp?.stop();
    await nats?.stop();
    await prometheus?.stop();
  });

  it('sends the numbers of every section in both parts, charts inline, and no personal data', async () => {
    const res = await fetch(`${base}/reports/weekly`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer },
      body: JSON.stringify({ from: FROM, to: TO }),
    });
    expect(res.status).toBe(201);
    sentRunId = ((await res.json()) as { report_run_id: string }).report_run_id;
    const mail = await smtp.waitForMessage((m) => m.subject?.startsWith('Week 2:') ?? false);
    expect(mail.subject).toBe('Week 2: 99.95 % uptime, 3 P1 alerts');
    const text = mail.text ?? '';
    const html = String(mail.html);

    // Headline figures with their move since the week before, from the `fleet:` series and the summaries.
    // Prometheus: 72 and 16 requests per 15 minutes on shop-api and billing for a week, against 60 and 20
    // before; one 5xx per 15 minutes on shop-api (672) against two before (1,344); p95 250 ms against 500 ms.
    for (const line of [
      /Requests:\s+59,136\s+▲ up 10\.0 % from 53,760\n/,
      /5xx share:\s+1\.14 %\s+▼ down 1\.36 points from 2\.50 %\n/,
      /p95 latency:\s+250 ms\s+▼ down 50\.0 % from 500 ms\n/,
      /Average uptime:\s+99\.95 %\s+▲ up 0\.45 points from 99\.50 %\n/,
      /Alerts:\s+12\s+▼ down 25\.0 % from 16\n/,
      /P1 alerts:\s+3\s+= unchanged from 3\n/,
      /MTTA:\s+1m 35s\s+▼ down 20\.8 % from 2m 0s\n/,
      /MTTR:\s+30m 30s\s+= unchanged from 30m 30s\n/,
      /Audit events:\s+5,210\s+▲ up 27\.1 % from 4,100\n/,
      /Admin changes:\s+90\s+▲ up 350\.0 % from 20\n/,
    ]) {
      expect(text).toMatch(line);
    }
    expect(text).toMatch(/shop-api\s+48,384\s+▲ up 20\.0 %\s+250 ms/);
    expect(text).toMatch(/billing\s+10,752\s+▼ down 20\.0 %\s+250 ms/);
    // Errors: 5xx per service; top alerts with status.
    expect(text).toMatch(/5xx responses:\s+672/);
    expect(text).toMatch(/shop-api\s+48,384\s+672\s+1\.39 %/);
    expect(text).toMatch(/billing\s+10,752\s+0\s+0\.00 %/);
    expect(text).toMatch(/HighLatency\s+medium\s+9\s+acknowledged/);
    expect(text).toMatch(/ServiceDown for \[REDACTED:email\]\s+critical\s+3\s+firing/);
    expect(text).toMatch(/2026-01-11\s+50\.0 ms\s+250 ms\s+500 ms/);
    // Both routes have a p95 of 250 ms; their order is the quantiles' last bits.
    expect(text).toMatch(/Slowest routes \(p95\):\n.*\n[- ]+\n(?:.*\n)?shop-api\s+\/checkout\s+250 ms\n/);
    expect(text).toMatch(/Slowest routes \(p95\):\n.*\n[- ]+\n(?:.*\n)?billing\s+\/invoices\s+250 ms\n/);
    // Uptime against the 99.9 % objective, alerts, privacy and admin activity from the summaries.
    expect(text).toMatch(/shop-api\s+up\s+99\.90 %\s+10m 5s\s+0s\s+10,080/);
    expect(text).toMatch(/shop-api\s+2026-01-07 03:00\s+10m 5s\s+HTTP 503/);
    expect(text).toMatch(/False positives:\s+3 \(25\.00 %\)/);
    expect(text).toMatch(/Economy edits:\s+30/);
    expect(text).toMatch(/Wallet and KYC access by admin[\s\S]*admin-alice\s+17/);
    for (const figure of [
      '48,384',
      '▲&nbsp;up 10.0&nbsp;% from 53,760',
      '1.39&nbsp;%',
      '99.95&nbsp;%',
      '1m 35s',
      '25.00&nbsp;%',
      'admin-alice',
      'firing',
    ]) {
      expect(html).toContain(figure);
    }

    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.contentId).sort()).toEqual(['<downtime-by-target>', '<latency-by-day>']);
    expect(images.every((a) => a.related && a.content.length > 1000)).toBe(true);
    expect(html).not.toMatch(/<script/i);

    for (const secret of SEEDED) {
      expect(`${mail.subject}\n${text}\n${html}`).not.toContain(secret);
    }
  });

  it('renders the archived report and the first page of its PDF as PNGs a reviewer can look at', async () => {
    if (sentRunId === undefined) throw new Error('the report of the previous test was not sent');
    const out = join(repoRoot(), '.data', 'reporting', 'screenshots');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const page = await fetch(`${base}/reports/${sentRunId}`, { headers: bearer });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="Latency per day/);
    writeFileSync(join(out, 'report.html'), html);
    const pdf = await fetch(`${base}/reports/${sentRunId}.pdf`, { headers: bearer });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    writeFileSync(join(out, 'report.pdf'), bytes);

    const shots = {
      desktop: decodePng(
        await screenshot(`file://${join(out, 'report.html')}`, join(out, 'report-desktop.png'), 1280, 2400),
      ),
      phone: decodePng(
        await screenshot(`file://${join(out, 'report.html')}`, join(out, 'report-phone.png'), 390, 2400),
      ),
      pdf: decodePng(await pdfFirstPage(join(out, 'report.pdf'), join(out, 'report-pdf-page1'))),
    };
    expect([shots.desktop.width, shots.desktop.height]).toEqual([1280, 2400]);
    expect([shots.phone.width, shots.phone.height]).toEqual([390, 2400]);
    // An A4 or Letter page at 80 dpi: about 660-680 by 880-940 pixels, portrait.
    expect(shots.pdf.width).toBeGreaterThan(600);
    expect(shots.pdf.height).toBeGreaterThan(shots.pdf.width);
    for (const [name, image] of Object.entries(shots)) {
      const ink = inkCoverage(image);
      // Not blank: the grey page, tables and charts cover part of it, and there is dark text.
      expect({ name, nonWhiteOver5Pct: ink.nonWhite > 0.05, textOver0_2Pct: ink.dark > 0.002 }).toEqual({
        name,
        nonWhiteOver5Pct: true,
        textOver0_2Pct: true,
      });
      expect({ name, notAllInk: ink.nonWhite < 0.999 }).toEqual({ name, notAllInk: true });
    }
  });
});
