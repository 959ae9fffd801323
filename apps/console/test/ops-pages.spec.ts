import { SECURITY_HEADERS } from '@vigil/platform';
import { waitFor } from '@vigil/testing';

import { CookieClient, startConsole, type ConsoleUnderTest, type TestKey } from './console-harness';
import { HEARTBEAT, sendSentryEvent, startOpsServices, type OpsServices } from './ops-services';

/** A team lead: reads everything, changes issues, runs reports (and, for the test's setup, posts and acks alerts). */
const LEAD: TestKey = {
  name: 'team-lead',
  key: 'console-test-team-lead-key-0123456789',
  scopes: ['errors:read', 'errors:write', 'reports:run', 'alerts:write', 'alerts:ack'],
};
/** Reads issues, nothing else: every service accepts the key, no write scope. */
const VIEWER: TestKey = {
  name: 'viewer',
  key: 'console-test-viewer-key-0123456789',
  scopes: ['errors:read'],
};

const XSS = `<script>alert("pwned")</script>`;

describe('targets, errors and reports pages over the real built services', () => {
  let services: OpsServices;
  let consoleUnderTest: ConsoleUnderTest;
  let lead: CookieClient;

  beforeAll(async () => {
    services = await startOpsServices([LEAD, VIEWER]);
    consoleUnderTest = await startConsole({ keys: [LEAD, VIEWER], upstreamUrls: services.urls });
    lead = new CookieClient(consoleUnderTest.base);
    expect((await lead.login(LEAD.key)).status).toBe(303);
  }, 180_000);

  afterAll(async () => {
    await consoleUnderTest?.stop();
    await services?.stop();
  });

  const api = (service: keyof OpsServices['urls'], path: string, init: RequestInit = {}) =>
    fetch(services.urls[service] + path, {
      ...init,
      headers: { authorization: `Bearer ${LEAD.key}`, 'content-type': 'application/json', ...init.headers },
    });
  const page = async (client: CookieClient, path: string) => {
    const answer = await client.get(path);
    return { status: answer.status, text: await answer.text(), headers: answer.headers };
  };

  it('lists every target and heartbeat with state, uptime and next due, and shows one with its results', async () => {
    const list = await waitFor(
      async () => {
        const { text } = await page(lead, '/targets');
        // Any uptime figure: a check made before alerting answered counts as down, so it need not be 100 %.
        return /<span class="badge ok">up<\/span>/.test(text) && /\d{1,3}\.\d{2} %/.test(text) ? text : null;
      },
      { timeoutMs: 60_000, description: 'alerting-api shown up with its uptime' },
    );
    expect(list).toContain('<a href="/targets/alerting-api">alerting-api</a>');
    expect(list).toContain(`<a href="/targets/${HEARTBEAT}">${HEARTBEAT}</a>`);
    expect(list).toMatch(/<td>heartbeat<\/td>[\s\S]*?<time datetime="\d{4}-\d{2}-\d{2}T/);
    const detail = await page(lead, '/targets/alerting-api');
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Recent results');
    expect(detail.text).toMatch(/<span class="badge ok">ok<\/span> \d+(\.\d+)? ms/);
    const heartbeat = await page(lead, `/targets/${HEARTBEAT}`);
    expect(heartbeat.text).toContain('every 1d 0h, grace 1h 0m (file)');
    expect((await page(lead, '/targets/no-such-target')).status).toBe(404);
  }, 120_000);

  it('shows an issue with its scrubbed event escaped, and resolves, ignores and reopens it through forms', async () => {
    await sendSentryEvent(services.urls.errors, {
      event_id: 'a'.repeat(32),
      platform: 'python',
      level: 'error',
      release: 'shop@1.4.2',
      environment: 'production',
      exception: { values: [{ type: 'ValueError', value: `bad coupon ${XSS}` }] },
      tags: { [`tag${XSS}`]: `value${XSS}`, customer_email: 'rahim.demo@example.com' },
    });
    const list = await waitFor(
      async () => {
        const { text } = await page(lead, '/errors?status=unresolved');
        return text.includes('ValueError') ? text : null;
      },
      { timeoutMs: 20_000, description: 'the issue in the console list' },
    );
    expect(list).not.toContain(XSS);
    const id = /href="\/errors\/(\d+)"/.exec(list ?? '')?.[1] ?? '';
    const detail = await page(lead, `/errors/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain('<script>alert');
    expect(detail.text).toContain('bad coupon &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(detail.text).not.toContain('rahim.demo@example.com');
    expect(detail.text).toContain('>Resolve</button>');
    const status = async () =>
      (await (await api('errors', `/errors/issues/${id}`)).json()) as {
        status: string;
        ignore_count_remaining: number | null;
      };

    const forged = await lead.postForm(`/errors/${id}/status`, { status: 'resolved' });
    expect(forged.status).toBe(403);
    expect((await status()).status).toBe('unresolved');

    const csrf = await lead.csrf(`/errors/${id}`);
    const resolved = await lead.postForm(`/errors/${id}/status`, { status: 'resolved', _csrf: csrf });
    expect(resolved.status).toBe(303);
    expect(resolved.headers.get('location')).toBe(`/errors/${id}?notice=Issue%20resolved`);
    expect((await status()).status).toBe('resolved');
    expect((await page(lead, `/errors/${id}`)).text).toContain('>Reopen</button>');

    const ignored = await lead.postForm(`/errors/${id}/status`, {
      status: 'ignored',
      ignore_count: '5',
      _csrf: csrf,
    });
    expect(ignored.status).toBe(303);
    expect(await status()).toMatchObject({ status: 'ignored', ignore_count_remaining: 5 });
    const bad = await lead.postForm(`/errors/${id}/status`, {
      status: 'ignored',
      ignore_count: '-1',
      _csrf: csrf,
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('whole number');
    await lead.postForm(`/errors/${id}/status`, { status: 'unresolved', _csrf: csrf });
    expect((await status()).status).toBe('unresolved');

    const viewer = new CookieClient(consoleUnderTest.base);
    await viewer.login(VIEWER.key);
    const readOnly = await page(viewer, `/errors/${id}`);
    expect(readOnly.status).toBe(200);
    expect(readOnly.text).not.toContain('<button type="submit">Resolve');
    const refused = await viewer.postForm(`/errors/${id}/status`, {
      status: 'resolved',
      _csrf: await viewer.csrf(`/errors/${id}`),
    });
    expect(refused.status).toBe(403);
    expect((await status()).status).toBe('unresolved');
  });

  it('shows MTTA and MTTR, dry-runs a report as its own document, runs one, and serves it as HTML and PDF', async () => {
    const posted = await api('alerting', '/api/v2/alerts', {
      method: 'POST',
      body: JSON.stringify([{ labels: { alertname: 'CheckoutSlow', severity: 'high', service: 'shop' } }]),
    });
    expect(posted.status).toBe(200);
    const fingerprint = await waitFor(async () => {
      const alerts = (await (await api('alerting', '/api/v2/alerts')).json()) as { fingerprint: string }[];
      return alerts[0]?.fingerprint;
    });
    const ack = await api('alerting', `/api/v2/alerts/${fingerprint}/ack`, {
      method: 'POST',
      body: JSON.stringify({ who: 'team-lead' }),
    });
    expect(ack.status).toBe(200);

    const reports = await page(lead, '/reports');
    expect(reports.status).toBe(200);
    expect(reports.text).toMatch(/<dt>MTTA<\/dt>\s*<dd>\d+s/);
    expect(reports.text).toContain('<th scope="row">CheckoutSlow</th>');
    expect(reports.text).toContain('No report has been run yet.');
    const csrf = await lead.csrf('/reports');

    const dry = await lead.postForm('/reports/run', { definition: 'weekly', mode: 'dry', _csrf: csrf });
    expect(dry.status).toBe(200);
    expect(dry.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(dry.headers.get('content-security-policy')).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    const preview = await dry.text();
    expect(preview).toContain('MTTA');
    expect(preview).not.toContain('/assets/console.js');
    expect(services.smtp.messages).toHaveLength(0);

    const run = await lead.postForm('/reports/run', { definition: 'weekly', mode: 'run', _csrf: csrf });
    expect(run.status).toBe(303);
    expect(run.headers.get('location')).toMatch(/^\/reports\?notice=Report%20weekly%20for%20/);
    await waitFor(() => services.smtp.messages.length === 1, { description: 'the report e-mail' });
    const archive = await page(lead, '/reports');
    const id = /href="\/reports\/([0-9a-f-]{36})"/.exec(archive.text)?.[1] ?? '';
    expect(id).not.toBe('');

    const html = await lead.get(`/reports/${id}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(html.headers.get('content-security-policy')).not.toContain('script-src');
    expect(await html.text()).toContain('MTTA');
    const pdf = await lead.get(`/reports/${id}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="vigil-report-${id}.pdf"`);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await lead.get('/reports/not-a-run')).status).toBe(404);
  });

  it('hides run now and dry run from a key without reports:run, and refuses the post', async () => {
    const viewer = new CookieClient(consoleUnderTest.base);
    await viewer.login(VIEWER.key);
    const reports = await page(viewer, '/reports');
    expect(reports.status).toBe(200);
    expect(reports.text).toContain('<dt>MTTA</dt>');
    expect(reports.text).not.toContain('action="/reports/run"');
    const refused = await viewer.postForm('/reports/run', {
      definition: 'weekly',
      mode: 'dry',
      _csrf: await viewer.csrf('/reports'),
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('reports:run');
  });
});
