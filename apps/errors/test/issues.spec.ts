import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';

import {
  ERRORS_INGEST_CONSUMER,
  ERRORS_SUMMARY_SUBJECT,
  errorsSummaryReplyV1Schema,
  HEADER_DLQ_REASON,
} from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { RetentionService } from '../src/retention/retention.service';
import { ErrorEventStore, IssueMovedError, type StorableEvent } from '../src/storage/error-event.store';
import {
  decode,
  intake,
  publishIntake,
  readHeaders,
  sentryEvent,
  startErrors,
  writeHeaders,
  type IssuesHarness,
} from './issues-harness';

interface IssueBody {
  id: string;
  title: string;
  status: string;
  substatus: string | null;
  count: number;
  users: number;
  releases: Record<string, number>;
  environments: Record<string, number>;
  project: { id: string; slug: string | null };
  latest_events?: { event_id: string; event: Record<string, unknown> }[];
}
interface AlertBody {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

describe('errors: ERRORS consumer, issues, alerts, API, summary, retention', () => {
  let h: IssuesHarness;
  let db: Client;

  beforeAll(async () => {
    h = await startErrors();
    db = new Client({ connectionString: h.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await h?.stop();
  });

  const get = async <T>(path: string, headers: Record<string, string> = readHeaders) => {
    const response = await fetch(`${h.base}${path}`, { headers, redirect: 'manual' });
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  };
  const post = async <T>(path: string, body: unknown, headers: Record<string, string> = writeHeaders) => {
    const response = await fetch(`${h.base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  };

  /** Resolves once the consumer has acked every message up to stream sequence `seq`. */
  async function settled(seq: number): Promise<void> {
    const jsm = await jetstreamManager(h.client);
    await waitFor(
      async () => (await jsm.consumers.info('ERRORS', ERRORS_INGEST_CONSUMER)).ack_floor.stream_seq >= seq,
      { description: `ERRORS acked up to ${seq}` },
    );
  }

  async function publishAndSettle(message: ReturnType<typeof intake>, msgId?: string): Promise<void> {
    const ack = await publishIntake(h.js, message, msgId);
    await settled(ack.seq);
  }

  /** The issue the event is in, via the API. */
  async function issueOfEvent(eventId: string): Promise<IssueBody> {
    const [row] = (
      await db.query(`SELECT issue_id::text AS id FROM error_events WHERE event_id = $1`, [eventId])
    ).rows as { id: string }[];
    expect(row).toBeDefined();
    return (await get<IssueBody>(`/errors/issues/${row.id}`)).body;
  }

  const alerts = (subject: string, alertname: string, issueId: string): AlertBody[] =>
    h.seen
      .filter((m) => m.subject === subject)
      .map((m) => decode(m) as AlertBody)
      .filter((a) => a.labels.alertname === alertname && a.labels.issue_id === issueId);

  const audits = (action: string, resourceId: string) =>
    h.seen
      .filter((m) => m.subject === 'audit.v1.events.errors')
      .map(
        (m) =>
          decode(m) as { action: string; actor: { id: string }; resource: { id: string }; changes?: unknown },
      )
      .filter((e) => e.action === action && e.resource.id === resourceId);

  it('groups events into one issue with counts, users, breakdowns; alerts new issues and spikes', async () => {
    const type = { exception: { values: [{ type: 'UserLookupError', value: 'User not found' }] } };
    const first = intake('1', sentryEvent({ ...type, user: { id: 'u1' } }));
    await publishIntake(h.js, first);
    await publishIntake(
      h.js,
      intake('1', sentryEvent({ ...type, user: { id: 'u2' }, release: 'profile@1.1.0' })),
    );
    const ack = await publishIntake(
      h.js,
      intake('1', sentryEvent({ ...type, user: { id: 'u1' }, environment: 'staging' })),
    );
    await settled(ack.seq);

    const issue = await issueOfEvent(first.event_id);
    expect(issue).toMatchObject({
      title: 'UserLookupError: User not found',
      status: 'unresolved',
      substatus: 'new',
      count: 3,
      users: 2,
      releases: { 'profile@1.0.0': 2, 'profile@1.1.0': 1 },
      environments: { production: 2, staging: 1 },
      project: { id: '1', slug: 'vigil' },
    });
    expect(issue.latest_events).toHaveLength(3);

    await waitFor(() => alerts('alerts.v1.fired', 'NewErrorIssue', issue.id).length === 1);
    const [fired] = alerts('alerts.v1.fired', 'NewErrorIssue', issue.id);
    expect(fired.labels).toEqual({
      alertname: 'NewErrorIssue',
      severity: 'high',
      service: 'vigil',
      issue_id: issue.id,
    });
    expect(fired.annotations).toMatchObject({ title: issue.title, link: `/errors/issues/${issue.id}` });
    // The project's spike rule: 3 events in 5 minutes.
    await waitFor(() => alerts('alerts.v1.fired', 'ErrorSpike', issue.id).length === 1);
    expect(alerts('alerts.v1.fired', 'ErrorSpike', issue.id)[0].labels.severity).toBe('medium');

    const other = intake('1', sentryEvent({ exception: { values: [{ type: 'ValueError', value: 'bad' }] } }));
    await publishAndSettle(other);
    expect((await issueOfEvent(other.event_id)).id).not.toBe(issue.id);
  });

  it('stores the event scrubbed, with how often each rule fired, and totals them per issue', async () => {
    const planted = intake(
      '2',
      sentryEvent({
        exception: { values: [{ type: 'ProfileError', value: 'cannot mail jane.doe@example.com' }] },
        user: { id: 'u-77', email: 'jane.doe@example.com', ip_address: '203.0.113.9' },
        extra: { password: 'hunter2-secret' },
      }),
    );
    await publishAndSettle(planted);
    const { rows } = await db.query(
      `SELECT event::text AS text, scrub_rules FROM error_events WHERE event_id = $1`,
      [planted.event_id],
    );
    expect(rows[0].text).not.toContain('jane.doe@example.com');
    expect(rows[0].text).not.toContain('203.0.113.9');
    expect(rows[0].text).not.toContain('hunter2-secret');
    const rules = rows[0].scrub_rules as Record<string, number>;
    expect(Object.values(rules).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
    const issue = (await issueOfEvent(planted.event_id)) as IssueBody & {
      scrub_rules: Record<string, number>;
    };
    expect(issue.scrub_rules).toEqual(rules);
  });

  it('takes the severity from the first matching project rule', async () => {
    const missing = intake(
      '1',
      sentryEvent({ exception: { values: [{ type: 'PrivacySettings.DoesNotExist', value: 'no row' }] } }),
    );
    await publishAndSettle(missing);
    const issue = await issueOfEvent(missing.event_id);
    await waitFor(() => alerts('alerts.v1.fired', 'NewErrorIssue', issue.id).length === 1);
    expect(alerts('alerts.v1.fired', 'NewErrorIssue', issue.id)[0].labels.severity).toBe('critical');
  });

  it('stores a redelivered or retried event once', async () => {
    const event = intake(
      '2',
      sentryEvent({ exception: { values: [{ type: 'RetryError', value: 'once' }] } }),
    );
    await publishAndSettle(event);
    // Another Nats-Msg-Id passes the stream's dedupe: the consumer sees it and must store nothing.
    await publishAndSettle(event, `retry-of-${event.event_id}`);
    const issue = await issueOfEvent(event.event_id);
    expect(issue.count).toBe(1);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM error_events WHERE event_id = $1`, [
      event.event_id,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('resolving publishes an audit event and resolves its alerts; a recurrence regresses and alerts', async () => {
    const group = { exception: { values: [{ type: 'TemplateError', value: 'missing block' }] } };
    const first = intake('2', sentryEvent(group));
    await publishAndSettle(first);
    const issue = await issueOfEvent(first.event_id);
    await waitFor(() => alerts('alerts.v1.fired', 'NewErrorIssue', issue.id).length === 1);

    const resolved = await post<IssueBody>(`/errors/issues/${issue.id}/status`, { status: 'resolved' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    await waitFor(() => audits('errors.issue.status_changed', issue.id).length === 1);
    expect(audits('errors.issue.status_changed', issue.id)[0]).toMatchObject({
      actor: { id: 'triager' },
      changes: { status: { before: 'unresolved', after: 'resolved' } },
    });
    await waitFor(() => alerts('alerts.v1.resolved', 'NewErrorIssue', issue.id).length === 1);
    const [resolution] = alerts('alerts.v1.resolved', 'NewErrorIssue', issue.id);
    expect(resolution.labels).toEqual(alerts('alerts.v1.fired', 'NewErrorIssue', issue.id)[0].labels);
    expect(resolution.endsAt).toBeDefined();

    await publishAndSettle(intake('2', sentryEvent(group)));
    expect((await get<IssueBody>(`/errors/issues/${issue.id}`)).body).toMatchObject({
      status: 'unresolved',
      substatus: 'regressed',
      count: 2,
    });
    await waitFor(() => alerts('alerts.v1.fired', 'ErrorIssueRegressed', issue.id).length === 1);
  });

  it('resolved in next release: the same release does not reopen, a newer one does', async () => {
    const group = { exception: { values: [{ type: 'CacheError', value: 'stale' }] }, release: 'app@2.0' };
    const first = intake('2', sentryEvent(group));
    await publishAndSettle(first);
    const issue = await issueOfEvent(first.event_id);
    const change = await post<IssueBody>(`/errors/issues/${issue.id}/status`, {
      status: 'resolved',
      in_next_release: true,
    });
    expect(change.status).toBe(200);

    await publishAndSettle(intake('2', sentryEvent(group)));
    expect((await get<IssueBody>(`/errors/issues/${issue.id}`)).body).toMatchObject({
      status: 'resolved',
      count: 2,
    });
    await publishAndSettle(intake('2', sentryEvent({ ...group, release: 'app@2.1' })));
    expect((await get<IssueBody>(`/errors/issues/${issue.id}`)).body).toMatchObject({
      status: 'unresolved',
      substatus: 'regressed',
    });
  });

  it('ignores until N more events', async () => {
    const group = { exception: { values: [{ type: 'NoisyWarning', value: 'again' }] } };
    const first = intake('2', sentryEvent(group));
    await publishAndSettle(first);
    const issue = await issueOfEvent(first.event_id);
    expect(
      (await post(`/errors/issues/${issue.id}/status`, { status: 'ignored', ignore_count: 2 })).status,
    ).toBe(200);
    await publishAndSettle(intake('2', sentryEvent(group)));
    expect((await get<IssueBody>(`/errors/issues/${issue.id}`)).body.status).toBe('ignored');
    await publishAndSettle(intake('2', sentryEvent(group)));
    expect((await get<IssueBody>(`/errors/issues/${issue.id}`)).body).toMatchObject({
      status: 'unresolved',
      substatus: 'ongoing',
    });
  });

  it('lists, filters and pages issues; answers bad requests with JSON 4xx', async () => {
    const page1 = await get<{ issues: IssueBody[]; next_cursor: string | null }>(
      '/errors/issues?project=django-profile&limit=1',
    );
    expect(page1.status).toBe(200);
    expect(page1.body.issues).toHaveLength(1);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await get<{ issues: IssueBody[] }>(
      `/errors/issues?project=django-profile&limit=1&cursor=${page1.body.next_cursor}`,
    );
    expect(page2.body.issues[0].id).not.toBe(page1.body.issues[0].id);
    const search = await get<{ issues: IssueBody[] }>('/errors/issues?q=TemplateError');
    expect(search.body.issues.map((i) => i.title)).toEqual(['TemplateError: missing block']);
    const byRelease = await get<{ issues: IssueBody[] }>('/errors/issues?release=app%402.1');
    expect(byRelease.body.issues.map((i) => i.title)).toEqual(['CacheError: stale']);

    const badStatus = await get<{ error: string; message: string }>('/errors/issues?status=open');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.message).toContain('status');
    expect((await get('/errors/issues?cursor=nope')).status).toBe(400);
    expect((await get('/errors/issues/999999')).status).toBe(404);
    expect((await get('/errors/issues/abc')).status).toBe(400);
    expect((await get('/errors/issues', {})).status).toBe(401);
    const id = page1.body.issues[0].id;
    const readOnly = await post(
      `/errors/issues/${id}/status`,
      { status: 'resolved' },
      {
        ...readHeaders,
        'content-type': 'application/json',
      },
    );
    expect(readOnly.status).toBe(403);
    const badBody = await post<{ error: string; message: string }>(`/errors/issues/${id}/status`, {
      status: 'unresolved',
      ignore_count: 3,
    });
    expect(badBody.status).toBe(400);
    expect(badBody.body).toMatchObject({
      error: expect.any(String),
      message: expect.stringContaining('ignore'),
    });
  });

  it('merges an issue into another: events and counts move, the old one redirects, later events follow', async () => {
    const a = intake(
      '2',
      sentryEvent({ exception: { values: [{ type: 'MergeA', value: 'x' }] }, user: { id: 'a' } }),
    );
    const b = intake(
      '2',
      sentryEvent({ exception: { values: [{ type: 'MergeB', value: 'y' }] }, user: { id: 'b' } }),
    );
    await publishAndSettle(a);
    await publishAndSettle(b);
    const issueA = await issueOfEvent(a.event_id);
    const issueB = await issueOfEvent(b.event_id);

    const merged = await post<IssueBody>(`/errors/issues/${issueA.id}/merge`, { into: issueB.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: issueB.id, count: 2, users: 2 });
    const redirect = await get<{ details: { merged_into: string } }>(`/errors/issues/${issueA.id}`);
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe(`/errors/issues/${issueB.id}`);
    await waitFor(() => audits('errors.issue.merged', issueA.id).length === 1);

    await publishAndSettle(
      intake('2', sentryEvent({ exception: { values: [{ type: 'MergeA', value: 'x' }] } })),
    );
    expect((await get<IssueBody>(`/errors/issues/${issueB.id}`)).body.count).toBe(3);
    expect((await post(`/errors/issues/${issueA.id}/merge`, { into: issueB.id })).status).toBe(409);
    // Resolving the merged issue resolves the alerts both issues fired.
    await waitFor(() => alerts('alerts.v1.fired', 'NewErrorIssue', issueA.id).length === 1);
    expect((await post(`/errors/issues/${issueB.id}/status`, { status: 'resolved' })).status).toBe(200);
    await waitFor(() => alerts('alerts.v1.resolved', 'NewErrorIssue', issueA.id).length === 1);
    await waitFor(() => alerts('alerts.v1.resolved', 'NewErrorIssue', issueB.id).length === 1);
  });

  it('a batch whose issue is merged while it inserts its events is told so when it locks the issue', async () => {
    const a = intake('2', sentryEvent({ exception: { values: [{ type: 'RaceA', value: 'x' }] } }));
    const b = intake('2', sentryEvent({ exception: { values: [{ type: 'RaceB', value: 'y' }] } }));
    await publishAndSettle(a);
    await publishAndSettle(b);
    const issueA = await issueOfEvent(a.event_id);
    const issueB = await issueOfEvent(b.event_id);
    const db = new Client({ connectionString: h.databaseUrl });
    await db.connect();
    const { rows } = await db.query(
      `SELECT project_id, grouping_version, fingerprint FROM error_issues WHERE id = $1`,
      [issueA.id],
    );
    await db.end();
    const event = { ...rows[0], title: 'RaceA: x', culprit: null, level: 'error', received_at: new Date() };
    const outcome = await h.app.get(ErrorEventStore).transaction(async (writer) => {
      const [before] = await writer.issueTargets([event as StorableEvent]);
      // Locked before the merge, the batch would hold it off; the merge goes through because nothing is.
      const merged = await post(`/errors/issues/${issueA.id}/merge`, { into: issueB.id });
      const locking = await writer.lockIssues([before.id]).then(
        () => 'locked',
        (error: unknown) => error,
      );
      const [after] = await writer.issueTargets([event as StorableEvent]);
      return { before, status: merged.status, locking, after, locked: await writer.lockIssues([after.id]) };
    });
    expect(outcome.before).toEqual({ id: issueA.id, created: false });
    expect(outcome.status).toBe(200);
    expect(outcome.locking).toBeInstanceOf(IssueMovedError);
    expect(outcome.after).toEqual({ id: issueB.id, created: false });
    expect(outcome.locked.get(issueB.id)?.merged_into).toBeNull();
  });

  it('answers errors.v1.summary with totals and the top issues of the period', async () => {
    const from = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const to = new Date(Date.now() + 60 * 1000).toISOString();
    const reply = await h.client.request(ERRORS_SUMMARY_SUBJECT, JSON.stringify({ from, to }), {
      timeout: 5000,
    });
    const summary = errorsSummaryReplyV1Schema.parse(decode(reply));
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM error_events WHERE received_at >= $1 AND received_at < $2`,
      [from, to],
    );
    expect(summary.total_events).toBe(rows[0].n);
    expect(summary.regressions).toBeGreaterThanOrEqual(2);
    expect(summary.top_issues.length).toBeGreaterThan(1);
    const top = summary.top_issues[0];
    expect(top).toMatchObject({
      title: 'UserLookupError: User not found',
      project: 'vigil',
      count: 3,
      users: 2,
      new: true,
    });
    const regressed = summary.top_issues.find((i) => i.title === 'TemplateError: missing block');
    expect(regressed).toMatchObject({ regressed: true, status: 'unresolved', resolved: false });

    const bad = await h.client.request(ERRORS_SUMMARY_SUBJECT, JSON.stringify({ from: to, to: from }), {
      timeout: 5000,
    });
    expect(decode(bad)).toMatchObject({ error: 'bad_request' });
  });

  it('sends malformed messages to ERRORS_DLQ with their reason and keeps consuming', async () => {
    const jsm = await jetstreamManager(h.client);
    const before = (await jsm.streams.info('ERRORS_DLQ')).state.messages;
    await h.js.publish('errors.v1.events.1', new TextEncoder().encode('{"not json'));
    const unknown = intake('7', sentryEvent());
    await h.js.publish('errors.v1.events.7', new TextEncoder().encode(JSON.stringify(unknown)));
    const good = intake('1', sentryEvent({ exception: { values: [{ type: 'AfterPoison', value: 'ok' }] } }));
    await publishAndSettle(good);
    expect((await issueOfEvent(good.event_id)).count).toBe(1);

    await waitFor(async () => (await jsm.streams.info('ERRORS_DLQ')).state.messages >= before + 2);
    const reasons: string[] = [];
    for (let seq = before + 1; seq <= before + 2; seq++) {
      const stored = await jsm.streams.getMessage('ERRORS_DLQ', { seq });
      reasons.push(`${stored?.subject} ${stored?.header.get(HEADER_DLQ_REASON).split(':')[0]}`);
    }
    expect(reasons.sort()).toEqual([
      'errors.v1.dlq.schema schema',
      'errors.v1.dlq.unknown_project unknown_project',
    ]);
  });

  it('dead-letters an event Postgres refuses; the events after it are stored', async () => {
    const jsm = await jetstreamManager(h.client);
    const before = (await jsm.streams.info('ERRORS_DLQ')).state.messages;
    // A NUL character passes JSON but not Postgres text: SQLSTATE class 22, refused content.
    const poison = intake(
      '2',
      sentryEvent({ exception: { values: [{ type: 'Nul\u0000Error', value: 'x' }] } }),
    );
    const neighbour = intake(
      '2',
      sentryEvent({ exception: { values: [{ type: 'Neighbour', value: 'y' }] } }),
    );
    await publishIntake(h.js, poison);
    await publishAndSettle(neighbour);
    expect((await issueOfEvent(neighbour.event_id)).count).toBe(1);
    await waitFor(async () => (await jsm.streams.info('ERRORS_DLQ')).state.messages === before + 1);
    const stored = await jsm.streams.getMessage('ERRORS_DLQ', { seq: before + 1 });
    expect(stored?.subject).toBe('errors.v1.dlq.storage_refused');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM error_event_ids WHERE event_id = $1`, [
      poison.event_id,
    ]);
    expect(rows[0].n).toBe(0);
    const { rows: grouping } = await db.query(
      `SELECT project_id, grouping_version FROM error_projects ORDER BY 1`,
    );
    expect(grouping.map((r: { project_id: string }) => r.project_id)).toEqual(['1', '2']);
  });

  it('retention drops months past every project and trims a shorter project retention; issues stay', async () => {
    const now = new Date();
    const ancient = intake(
      '1',
      sentryEvent({ exception: { values: [{ type: 'Ancient', value: 'a' }] } }),
      undefined,
      new Date(now.getTime() - 200 * DAY_MS),
    );
    const keptLonger = intake(
      '1',
      sentryEvent({ exception: { values: [{ type: 'Older', value: 'b' }] } }),
      undefined,
      new Date(now.getTime() - 45 * DAY_MS),
    );
    const trimmed = intake(
      '2',
      sentryEvent({ exception: { values: [{ type: 'Older', value: 'c' }] } }),
      undefined,
      new Date(now.getTime() - 45 * DAY_MS),
    );
    await publishIntake(h.js, ancient);
    await publishIntake(h.js, keptLonger);
    await publishAndSettle(trimmed);
    const count = async (eventId: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM error_events WHERE event_id = $1`, [eventId])).rows[0]
        .n as number;
    expect([
      await count(ancient.event_id),
      await count(keptLonger.event_id),
      await count(trimmed.event_id),
    ]).toEqual([1, 1, 1]);
    const ancientIssue = await issueOfEvent(ancient.event_id);

    const outcome = await h.app.get(RetentionService).applyRetention(now);
    const month = new Date(ancient.received_at);
    const partition = `error_events_${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(outcome?.dropped).toContain(partition);
    expect(outcome?.deleted).toBeGreaterThanOrEqual(1);
    expect([
      await count(ancient.event_id),
      await count(keptLonger.event_id),
      await count(trimmed.event_id),
    ]).toEqual([0, 1, 0]);
    expect((await get<IssueBody>(`/errors/issues/${ancientIssue.id}`)).status).toBe(200);
    // The dedupe ids went with the events: the same event id may be stored again.
    expect(
      (
        await db.query(`SELECT count(*)::int AS n FROM error_event_ids WHERE event_id = $1`, [
          trimmed.event_id,
        ])
      ).rows[0].n,
    ).toBe(0);
  });
});
