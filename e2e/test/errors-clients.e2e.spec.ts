import { Client } from 'pg';

import { freePort, testDatabaseUrl, waitFor, type RecordedRequest } from '@vigil/testing';

import {
  dsnOf,
  PLANTED,
  plantedIn,
  runNodeClient,
  runPythonPlain,
  startErrorsDjango,
  type PythonDelivery,
} from './errors-clients';
import type { AppProcess } from './fleet-apps';
import { ERRORS_PROJECTS, getJson, operatorAuth, startSystem, type VigilSystem } from './system';

/**
 * Unmodified Sentry SDKs (Debian's python3-sentry-sdk 1.9, plain and under Django; @sentry/node) raise real
 * exceptions carrying personal data against the whole system. Their events must be stored scrubbed, grouped into
 * issues, alert through alerting to the webhook, reopen as regressions, and the SDKs must report no loss.
 */

interface Issue {
  id: string;
  title: string;
  culprit: string | null;
  status: string;
  count: number;
}
interface StoredEvent {
  event_id: string;
  event: Record<string, unknown>;
  scrub_rules?: Record<string, number>;
}

let system: VigilSystem;
let errorsDatabaseUrl: string;
let django: AppProcess | undefined;

const errorsUrl = () => system.services.errors.url;
const dsn = (project: keyof typeof ERRORS_PROJECTS) => {
  const { key, id } = ERRORS_PROJECTS[project];
  return dsnOf(errorsUrl(), key, id);
};

async function issuesOf(project: keyof typeof ERRORS_PROJECTS): Promise<Issue[]> {
  const { status, body } = await getJson<{ issues: Issue[] }>(
    `${errorsUrl()}/errors/issues?project=${ERRORS_PROJECTS[project].slug}&limit=100`,
    { headers: operatorAuth },
  );
  expect(status).toBe(200);
  return body.issues;
}

/** Waits until the project's issues hold `events` events in all; returns them. */
async function issuesHolding(project: keyof typeof ERRORS_PROJECTS, events: number): Promise<Issue[]> {
  let issues: Issue[] = [];
  await waitFor(
    async () => {
      issues = await issuesOf(project);
      return issues.reduce((sum, issue) => sum + Number(issue.count), 0) >= events;
    },
    { timeoutMs: 30_000, intervalMs: 250, description: `${events} events in the issues of ${project}` },
  );
  return issues;
}

async function eventsOf(issue: Issue): Promise<StoredEvent[]> {
  const { status, body } = await getJson<{ events: StoredEvent[] }>(
    `${errorsUrl()}/errors/issues/${issue.id}/events?limit=100`,
    { headers: operatorAuth },
  );
  expect(status).toBe(200);
  return body.events;
}

/** Alerts the webhook sink received (alerting's webhook payload v4) with this alertname and issue id. */
function webhookAlerts(alertname: string, issueId: string): RecordedRequest[] {
  return system.webhook.requests.filter((request) => {
    const alerts = (request.body as { alerts?: { labels?: Record<string, string> }[] }).alerts ?? [];
    return alerts.some((a) => a.labels?.alertname === alertname && a.labels.issue_id === String(issueId));
  });
}

const issueTitled = (issues: Issue[], text: string): Issue => {
  const found = issues.filter((issue) => issue.title.includes(text));
  expect({ text, matching: found.length }).toEqual({ text, matching: 1 });
  return found[0];
};

const expectNoLoss = (delivery: PythonDelivery) =>
  expect({ lost: delivery.lost, sdk_errors: delivery.sdk_errors }).toEqual({ lost: [], sdk_errors: [] });

beforeAll(async () => {
  errorsDatabaseUrl = await testDatabaseUrl();
  system = await startSystem({ envFor: { errors: { DATABASE_URL: errorsDatabaseUrl } } });
}, 180_000);

afterAll(async () => {
  await django?.stop();
  await system?.stop();
});

describe('python3-sentry-sdk 1.9, a plain program', () => {
  let userNotFound: Issue;

  it('stores its exceptions scrubbed, grouped by bug, and the SDK reports no dropped event', async () => {
    const delivery = await runPythonPlain(dsn('python'), [
      ['user-not-found', 4411],
      ['user-not-found', 98],
      ['ratio', 3],
      ['message', 1],
    ]);
    expectNoLoss(delivery);
    expect(delivery.event_ids).toHaveLength(4);

    const issues = await issuesHolding('python', 4);
    // Same bug, other user ids: one issue; another exception, and a logged error: one issue each.
    expect(issues).toHaveLength(3);
    userNotFound = issueTitled(issues, 'UserNotFound');
    expect(Number(userNotFound.count)).toBe(2);
    expect(Number(issueTitled(issues, 'ZeroDivisionError').count)).toBe(1);

    for (const issue of issues) {
      for (const stored of await eventsOf(issue)) {
        const text = JSON.stringify(stored);
        expect({ event: stored.event_id, planted: plantedIn(text) }).toEqual({
          event: stored.event_id,
          planted: [],
        });
      }
    }
    // What was scrubbed is still there as a marker, with the rules that fired: the fields were stored.
    const [event] = await eventsOf(userNotFound);
    const exception = (
      event.event.exception as {
        values: {
          type: string;
          value: string;
          stacktrace: { frames: { vars?: Record<string, unknown> }[] };
        }[];
      }
    ).values[0];
    expect(exception.type).toBe('UserNotFound');
    expect(exception.value).toMatch(/REDACTED|HASH/);
    const raising = exception.stacktrace.frames.at(-1);
    expect(Object.keys(raising?.vars ?? {})).toEqual(
      expect.arrayContaining(['email', 'card_number', 'password']),
    );
    expect((event.event.breadcrumbs as { values: unknown[] }).values.length).toBeGreaterThanOrEqual(2);
    expect(Object.values(event.scrub_rules ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('alerts a new issue through alerting to the webhook', async () => {
    await waitFor(() => webhookAlerts('NewErrorIssue', userNotFound.id).length > 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'the NewErrorIssue alert at the webhook',
    });
    expect(plantedIn(JSON.stringify(system.webhook.requests.map((r) => r.body)))).toEqual([]);
  });

  it('reopens a resolved issue that recurs as a regression, and alerts it', async () => {
    const resolve = await fetch(`${errorsUrl()}/errors/issues/${userNotFound.id}/status`, {
      method: 'POST',
      headers: { ...operatorAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(resolve.status).toBeLessThan(300);
    expect((await issuesOf('python')).find((i) => i.id === userNotFound.id)?.status).toBe('resolved');

    expectNoLoss(await runPythonPlain(dsn('python'), [['user-not-found', 7]]));
    await issuesHolding('python', 5);
    const reopened = (await issuesOf('python')).find((i) => i.id === userNotFound.id);
    expect(reopened).toMatchObject({ status: 'unresolved' });
    expect(Number(reopened?.count)).toBe(3);
    await waitFor(() => webhookAlerts('ErrorIssueRegressed', userNotFound.id).length > 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'the ErrorIssueRegressed alert at the webhook',
    });
  });
});

describe('python3-sentry-sdk 1.9 with DjangoIntegration under gunicorn', () => {
  it('stores the failed request without its body, cookies or the user address', async () => {
    django = await startErrorsDjango(await freePort(), dsn('django'));
    for (const userId of [4411, 98]) {
      const res = await fetch(`${django.url}/profile/${userId}/privacy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `sessionid=${PLANTED.token}` },
        body: JSON.stringify({ email: PLANTED.email, password: PLANTED.password, phone: PLANTED.phone }),
      });
      expect(res.status).toBe(500);
    }
    const issues = await issuesHolding('django', 2);
    expect(issues).toHaveLength(1);
    expect(issues[0].title).toContain('PrivacySettingsDoesNotExist');
    const events = await eventsOf(issues[0]);
    expect(events).toHaveLength(2);
    for (const stored of events) {
      expect(plantedIn(JSON.stringify(stored))).toEqual([]);
      const request = stored.event.request as { url: string; method: string; data?: unknown };
      expect(request).toMatchObject({ method: 'POST' });
      expect(request.url).toContain('/privacy');
    }
    const delivery = (await getJson<Omit<PythonDelivery, 'event_ids'>>(`${django.url}/sdk-delivery`)).body;
    expect(delivery).toEqual({ lost: [], sdk_errors: [] });
  });
});

describe('@sentry/node', () => {
  it('stores its errors scrubbed and grouped; every send answered 2xx and flush() is true', async () => {
    const delivery = await runNodeClient(dsn('node'), [
      ['order-missing', 1],
      ['order-missing', 2],
      ['parse', 3],
    ]);
    expect(delivery).toMatchObject({ flushed: true, dropped: [] });
    expect(delivery.statuses).toHaveLength(3);
    for (const status of delivery.statuses) expect(status).toBe(200);

    const issues = await issuesHolding('node', 3);
    expect(issues).toHaveLength(2);
    expect(Number(issueTitled(issues, 'OrderMissing').count)).toBe(2);
    for (const issue of issues)
      for (const stored of await eventsOf(issue)) expect(plantedIn(JSON.stringify(stored))).toEqual([]);
  });
});

describe('the errors database', () => {
  it('holds no planted value in any row of any table', async () => {
    const db = new Client({ connectionString: errorsDatabaseUrl });
    await db.connect();
    try {
      const { rows: tables } = await db.query<{ name: string }>(
        `SELECT quote_ident(table_name) AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      // The events are there (the search could have found them): all the clients' events above.
      const events = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM error_events`);
      expect(events.rows[0].n).toBeGreaterThanOrEqual(9);
      const found: string[] = [];
      for (const { name } of tables)
        for (const value of Object.values(PLANTED)) {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${name} t WHERE strpos(t::text, $1) > 0`,
            [value],
          );
          if (rows[0].n > 0) found.push(`${name}: ${value} (${rows[0].n} rows)`);
        }
      expect(found).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
