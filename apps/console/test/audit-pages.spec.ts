import { randomUUID } from 'node:crypto';

import { waitFor } from '@vigil/testing';

import { CookieClient, startConsole, type ConsoleUnderTest } from './console-harness';
import { PRIVACY_OFFICER, startRealAudit, type RealAudit } from './real-audit';

interface ListedEvent {
  event: {
    id: string;
    action: string;
    actor: { id: string };
    metadata?: { filters?: Record<string, unknown> };
  };
}

const WALLET = `w-${randomUUID().slice(0, 8)}`;

function event(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    occurred_at: new Date().toISOString(),
    source: 'shop',
    actor: { type: 'admin', id: 'admin-7' },
    action: 'wallet.settings.viewed',
    resource: { type: 'wallet', id: WALLET },
    outcome: 'success',
    ...overrides,
  };
}

/** Minimal RFC 4180 reader for the test: quoted cells, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('audit pages over the real audit service (NATS, Postgres, Merkle log)', () => {
  let audit: RealAudit;
  let consoleUnderTest: ConsoleUnderTest;
  let officer: CookieClient;
  const viewed = [
    event({ metadata: { note: '</pre><script>alert("xss")</script>', reason: 'support ticket 12' } }),
    event({ actor: { type: 'admin', id: '=HYPERLINK("http://evil")' } }),
    event({ outcome: 'denied' }),
  ];
  const bulk = Array.from({ length: 1_100 }, (_, i) =>
    event({ source: 'bulkload', resource: { type: 'user', id: `u-${i}` } }),
  );
  const economy = event({
    action: 'admin.economy_field.changed',
    resource: { type: 'user_profile', id: 'p-1' },
    changes: { deltacoin_balance: { before: 10, after: 5000 } },
  });

  beforeAll(async () => {
    audit = await startRealAudit();
    consoleUnderTest = await startConsole({ env: { AUDIT_URL: audit.base } });
    await audit.publish([...viewed, ...bulk, economy]);
    await waitFor(
      async () =>
        (
          await audit.get<{ count: number }>(
            `/audit/events?source=bulkload&limit=500&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
          )
        ).count === 500 &&
        (await audit.get<{ count: number }>(`/audit/events?resource_id=${WALLET}`)).count === 3,
      { timeoutMs: 30_000, description: 'events stored' },
    );
    officer = new CookieClient(consoleUnderTest.base);
    expect((await officer.login(PRIVACY_OFFICER.key, '/audit')).status).toBe(303);
  }, 120_000);

  afterAll(async () => {
    await consoleUnderTest?.stop();
    await audit?.stop();
  });

  it('searches a wallet’s accesses, each row linking to its event, and the search is audited under the person', async () => {
    const page = await officer.get(`/audit?resource_type=wallet&resource_id=${WALLET}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    for (const e of viewed) expect(text).toContain(`href="/audit/events/${e.id}"`);
    expect(text).toContain('3 events, newest first');
    expect(text).not.toContain(bulk[0].id);
    const reads = await waitFor(
      async () => {
        const found = await audit.get<{ events: ListedEvent[] }>(
          `/audit/events?action=audit.events.read&actor=${PRIVACY_OFFICER.name}&limit=500`,
        );
        return found.events.find((e) => e.event.metadata?.filters?.['resource_id'] === WALLET);
      },
      { timeoutMs: 10_000, description: 'the read-event of the console search' },
    );
    expect(reads?.event.actor.id).toBe('privacy-officer');
  });

  it('filters by exact action, outcome and source, and pages with a cursor', async () => {
    const denied = await (await officer.get(`/audit?resource_id=${WALLET}&outcome=denied`)).text();
    expect(denied).toContain(viewed[2].id);
    expect(denied).not.toContain(viewed[0].id);
    const bySource = await (await officer.get('/audit?source=bulkload')).text();
    expect(bySource).toContain('50 events, newest first');
    const next = /href="(\/audit\?source=bulkload&amp;cursor=[^"]+)"/.exec(bySource)?.[1];
    expect(next).toBeDefined();
    const second = await (await officer.get(next!.replace(/&amp;/g, '&'))).text();
    expect(second).toContain('(a later page)');
    const text = await (await officer.get(`/audit?q=${encodeURIComponent('support ticket 12')}`)).text();
    expect(text).toContain(viewed[0].id);
    expect(text).toContain('1 event, newest first');
  });

  it('shows a refused search as a page that keeps the form', async () => {
    const page = await officer.get('/audit?from=yesterday&actor=admin-7');
    expect(page.status).toBe(400);
    const text = await page.text();
    expect(text).toContain('The search was refused');
    expect(text).toContain('value="admin-7"');
  });

  it('opens an event: escaped metadata, changes before/after, and its inclusion proof checked against a signed checkpoint', async () => {
    const text = await waitFor(
      async () => {
        const body = await (await officer.get(`/audit/events/${viewed[0].id}`)).text();
        return body.includes('<strong>Verified</strong>') ? body : false;
      },
      { timeoutMs: 15_000, description: 'the event in a signed checkpoint' },
    );
    expect(text).toMatch(/up to checkpoint \d+ of the security log, signed/);
    expect(text).toContain('&lt;/pre&gt;&lt;script&gt;alert(');
    expect(text).not.toContain('<script>alert');
    const economyPage = await waitFor(
      async () => {
        const body = await (await officer.get(`/audit/events/${economy.id}`)).text();
        return body.includes('Verified') ? body : false;
      },
      { timeoutMs: 15_000 },
    );
    expect(economyPage).toContain('<th scope="row">deltacoin_balance</th>');
    expect(economyPage).toContain('<code>5000</code>');
    expect(economyPage).toContain('of the security log');
    const reads = await audit.get<{ events: ListedEvent[] }>(
      `/audit/events?action=audit.event.read&resource_id=${economy.id}`,
    );
    expect(reads.events.length).toBeGreaterThan(0);
    expect(reads.events.every((e) => e.event.actor.id === 'privacy-officer')).toBe(true);
  });

  it('exports a search as CSV, formulas made inert, and as JSON, over several upstream pages', async () => {
    const csv = await officer.get(`/audit/export.csv?resource_type=wallet&resource_id=${WALLET}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const rows = parseCsv(await csv.text());
    expect(rows[0]?.slice(0, 3)).toEqual(['received_at', 'occurred_at', 'id']);
    expect(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual(viewed.map((e) => e.id).sort());
    const actorColumn = rows[0].indexOf('actor_id');
    expect(rows.find((r) => r[2] === viewed[1].id)?.[actorColumn]).toBe(`'=HYPERLINK("http://evil")`);
    const json = await officer.get('/audit/export.json?source=bulkload');
    expect(json.status).toBe(200);
    const items = (await json.json()) as { event: { id: string } }[];
    expect(items).toHaveLength(bulk.length);
    expect(new Set(items.map((i) => i.event.id))).toEqual(new Set(bulk.map((e) => e.id)));
  });

  it('runs a chain verification and shows it intact', async () => {
    const form = await officer.get('/audit/verify');
    expect(await form.text()).not.toContain('Chains walked');
    const text = await (await officer.get('/audit/verify?run=1&category=routine&from=&to=')).text();
    expect(text).toContain('<strong>Intact</strong>');
    expect(text).toContain('<th scope="row">routine</th>');
    expect(text).not.toContain('<th scope="row">security</th>');
  });

  it('proves a log grew append-only from an earlier size, against the root the person kept', async () => {
    const { size } = await audit.get<{ size: number }>('/audit/log/security/checkpoint');
    const { first_root: kept } = await audit.get<{ first_root: string }>(
      `/audit/log/security/proof/consistency?first=2&second=${size}`,
    );
    const held = await (
      await officer.get(`/audit/verify?grow=1&category=security&first=2&first_root=${kept}`)
    ).text();
    expect(held).toMatch(
      /<strong>Append-only<\/strong>: the tree of 2 leaves is a prefix of the\s+checkpoint of \d+/,
    );
    expect(held).toContain('(yours)');
    const forged = await (
      await officer.get(`/audit/verify?grow=1&category=security&first=2&first_root=${'ab'.repeat(32)}`)
    ).text();
    expect(forged).toMatch(/<strong>Not proved<\/strong>: the tree of 2 leaves is not a\s+prefix/);
  });

  it('lists detections with links to their events', async () => {
    const text = await waitFor(
      async () => {
        const body = await (await officer.get('/audit/detections?rule=AdminEconomyFieldChanged')).text();
        return body.includes(economy.id) ? body : false;
      },
      { timeoutMs: 10_000 },
    );
    expect(text).toContain(`href="/audit/events/${economy.id}"`);
    expect(text).toContain('Economy field edits');
    expect(text).toContain('Monthly privacy report');
  });
});
