// npm run demo:report — renders a sample weekly report (HTML e-mail part, text part, inline charts,
// the archive page, its PDF and screenshots at desktop and phone width) into .data/reporting/sample/ from built-in sample
// numbers, without any running service. Needs apps/reporting built (the root script builds it) and
// Debian's `chromium` for the PDF and the screenshot.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dist = resolve(here, '..', 'dist');
const { buildWeeklyReport } = require(join(dist, 'report', 'weekly-report.builder.js'));
const { composeReportEmail, renderArchiveHtml } = require(join(dist, 'report', 'report-email.js'));
const { customPeriod } = require(join(dist, 'model', 'report-period.js'));

const out = resolve(here, '..', '..', '..', '.data', 'reporting', 'sample');
const DAY_MS = 86_400_000;
const period = customPeriod(new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'), 'UTC');
const from = period.start.toISOString();
const to = period.end.toISOString();
const services = ['shop-api', 'billing', 'search', 'accounts', 'notifications'];

const sources = {
  traffic: {
    available: true,
    data: {
      services: services.map((service, i) => ({
        service,
        requests: 1_200_000 - i * 210_000,
        previous_requests: 1_100_000 - i * 190_000,
        errors: Math.round((1_200_000 - i * 210_000) * [0.0042, 0.0011, 0.0003, 0.0021, 0][i]),
        error_rate: [0.0042, 0.0011, 0.0003, 0.0021, 0][i],
        p95_ms: [240, 95, 180, 130, 60][i],
      })),
      totals: { requests: 3_900_000, errors: 7_460, p95_ms: 212 },
      previous_totals: { requests: 3_600_000, errors: 8_020, p95_ms: 238 },
      latency_by_day: Array.from({ length: 7 }, (_, d) => ({
        date: new Date(period.start.getTime() + d * DAY_MS).toISOString().slice(0, 10),
        p50_ms: 38 + (d % 3) * 2,
        p95_ms: 190 + d * 8 + (d === 3 ? 60 : 0),
        p99_ms: 420 + d * 15 + (d === 3 ? 180 : 0),
      })),
      slowest_endpoints: [
        { service: 'shop-api', route: '/checkout', p95_ms: 910 },
        { service: 'search', route: '/search', p95_ms: 450 },
        { service: 'accounts', route: '/login', p95_ms: 260 },
      ],
    },
  },
  health: {
    available: true,
    data: {
      from,
      to,
      targets: services.map((name, i) => ({
        name,
        status: 'up',
        uptime_pct: [99.82, 100, 99.97, 100, 99.99][i],
        checks: 20160,
        p50_ms: [41, 12, 33, 20, 9][i],
        p95_ms: [180, 30, 95, 61, 22][i],
      })),
      incidents: [
        {
          target: 'shop-api',
          started_at: '2026-11-19T03:12:00Z',
          ended_at: '2026-11-19T03:30:10Z',
          duration_s: 1090,
          reason: 'HTTP 503 three times',
        },
        {
          target: 'search',
          started_at: '2026-11-21T14:02:00Z',
          ended_at: '2026-11-21T14:05:00Z',
          duration_s: 180,
          reason: 'latency above 2000 ms',
        },
      ],
    },
  },
  alerting: {
    available: true,
    data: {
      from,
      to,
      total_alerts: 27,
      by_severity: { critical: 3, high: 6, medium: 11, low: 7 },
      delivered: 41,
      failed: 1,
      by_alertname: {
        HighLatency: 9,
        ServiceDown: 3,
        DiskFillingUp: 6,
        CertificateExpiry: 2,
        ErrorBudgetBurn: 7,
      },
      episodes: 27,
      acknowledged: 24,
      mtta_s: 252,
      mttr_s: 2460,
      false_positives: 4,
      false_positive_rate: 4 / 27,
      top_noisy: [
        { alertname: 'HighLatency', count: 9 },
        { alertname: 'ErrorBudgetBurn', count: 7 },
        { alertname: 'DiskFillingUp', count: 6 },
        { alertname: 'ServiceDown', count: 3 },
        { alertname: 'CertificateExpiry', count: 2 },
      ],
      top_alerts: [
        { alertname: 'HighLatency', severity: 'medium', count: 9, status: 'resolved' },
        { alertname: 'ErrorBudgetBurn', severity: 'high', count: 7, status: 'acknowledged' },
        { alertname: 'DiskFillingUp', severity: 'medium', count: 6, status: 'firing' },
        { alertname: 'ServiceDown', severity: 'critical', count: 3, status: 'resolved' },
        { alertname: 'CertificateExpiry', severity: 'low', count: 2, status: 'firing' },
      ],
    },
  },
  audit: {
    available: true,
    data: {
      from,
      to,
      total_events: 184_220,
      by_action: {
        'user.login.succeeded': 150_000,
        'admin.profile.viewed': 21_000,
        'privacy.settings.updated': 1_240,
        'wallet.settings.viewed': 310,
        'admin.bulk_action.executed': 14,
        'admin.economy_field.changed': 6,
      },
      by_outcome: { success: 183_900, failure: 280, denied: 40 },
      admin_activity: { 'admin-alice': 12_400, 'admin-bob': 7_900, 'admin-carol': 1_030 },
      privacy_changes: 1_240,
      sensitive_access: { 'admin-alice': 210, 'admin-bob': 100 },
      detections: { economy_field_edit: 6, bulk_action_threshold: 2 },
    },
  },
  errors: {
    available: true,
    data: {
      from,
      to,
      total_events: 1_312,
      new_issues: 3,
      regressions: 1,
      top_issues: [
        [
          'PrivacySettings.DoesNotExist: PrivacySettings matching query does not exist.',
          'profiles.views in privacy_settings',
          'error',
          'django-profile',
          904,
          211,
          'unresolved',
          { new: true },
        ],
        [
          'OperationalError: could not connect to server',
          'wallets.sync in pull',
          'error',
          'django-profile',
          250,
          0,
          'unresolved',
          { regressed: true },
        ],
        [
          'TimeoutError: upstream timed out',
          null,
          'warning',
          'vigil',
          101,
          0,
          'resolved',
          { resolved: true },
        ],
        [
          'KeyError: social_links',
          'profiles.forms in clean',
          'error',
          'django-profile',
          57,
          12,
          'unresolved',
          { new: true },
        ],
      ].map(([title, culprit, level, project, count, users, status, markers], i) => ({
        issue_id: String(i + 1),
        title,
        culprit,
        level,
        project,
        count,
        users,
        status,
        new: false,
        regressed: false,
        resolved: false,
        ...markers,
      })),
    },
  },
};

/** The week before: a little more downtime and slower responses, fewer audit events. */
const previous = {
  health: {
    available: true,
    data: {
      ...sources.health.data,
      targets: sources.health.data.targets.map((t) => ({ ...t, uptime_pct: t.uptime_pct - 0.05 })),
    },
  },
  alerting: {
    available: true,
    data: {
      ...sources.alerting.data,
      total_alerts: 31,
      by_severity: { critical: 5 },
      mtta_s: 301,
      mttr_s: 2280,
    },
  },
  audit: {
    available: true,
    data: {
      ...sources.audit.data,
      total_events: 171_500,
      by_action: { ...sources.audit.data.by_action, 'admin.economy_field.changed': 2 },
    },
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const document = buildWeeklyReport({
  period,
  sources,
  generatedAt: new Date('2026-11-23T08:00:00Z'),
  timeZone: 'UTC',
  previous,
});
const email = composeReportEmail(document);
writeFileSync(join(out, 'email.html'), email.html);
writeFileSync(join(out, 'email.txt'), `Subject: ${email.subject}\n\n${email.text}`);
for (const image of email.images) writeFileSync(join(out, image.filename), image.content);
const archive = join(out, 'report.html');
writeFileSync(archive, renderArchiveHtml(document));

const chromium = process.env.CHROMIUM_BIN ?? 'chromium';
const profile = mkdtempSync(join(tmpdir(), 'vigil-demo-report-'));
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--hide-scrollbars',
  `--user-data-dir=${profile}`,
];
try {
  execFileSync(
    chromium,
    [...flags, '--no-pdf-header-footer', `--print-to-pdf=${join(out, 'report.pdf')}`, `file://${archive}`],
    { stdio: 'ignore', timeout: 60_000 },
  );
  // Desktop and phone width: the report must read well on both.
  for (const [name, width] of [
    ['report.png', 1280],
    ['report-phone.png', 390],
  ]) {
    execFileSync(
      chromium,
      [...flags, `--window-size=${width},3600`, `--screenshot=${join(out, name)}`, `file://${archive}`],
      { stdio: 'ignore', timeout: 60_000 },
    );
  }
} catch (error) {
  console.error(
    `demo:report: ${chromium} failed (${error.message.split('\n')[0]}); HTML and text are in ${out}`,
  );
  process.exitCode = 1;
} finally {
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(`demo:report: "${email.subject}" -> ${out}\n`);
