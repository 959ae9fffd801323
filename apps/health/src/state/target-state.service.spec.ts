import type { NatsMessaging } from '@vigil/platform';

import type { CheckResult } from '../checks/check-result';
import type { CheckHistoryRepository } from '../history/check-history.repository';
import type { MaintenanceCalendar } from '../maintenance/maintenance-calendar.service';
import { defaultAlertRules } from '../targets/common-fields';
import { TargetCatalog } from '../targets/target-catalog';
import type { TargetDefinition } from '../targets/target-definition';
import type { TargetState } from './target-state-machine';
import type { StoredCheckResult, TargetStateRepository } from './target-state.repository';
import { TargetStateService } from './target-state.service';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000);

function target(name: string, extra: Partial<TargetDefinition> = {}): TargetDefinition {
  return {
    kind: 'tcp',
    name,
    url: `tcp://${name}:1`,
    host: name,
    port: 1,
    intervalMs: 1000,
    timeoutMs: 500,
    recoveryThreshold: 1,
    ...defaultAlertRules(1),
    ...extra,
  } as TargetDefinition;
}

/** Postgres as the service sees it: rows in memory (results, states), so parents are read as saved. */
class FakeStateRepository {
  readonly results: StoredCheckResult[] = [];
  readonly saved = new Map<string, TargetState>();
  recordCheck(result: StoredCheckResult, state: TargetState): Promise<void> {
    this.results.push(result);
    this.saved.set(result.target, state);
    return Promise.resolve();
  }
  saveAlert(target: string, alertname: string | null, alertStartsAt: string | null): Promise<void> {
    const state = this.saved.get(target);
    if (state) this.saved.set(target, { ...state, alertname, alertStartsAt });
    return Promise.resolve();
  }
  statesOf(names: readonly string[]): Promise<Map<string, TargetState>> {
    return Promise.resolve(
      new Map(names.flatMap((n) => (this.saved.has(n) ? [[n, this.saved.get(n)!] as const] : []))),
    );
  }
}

interface Published {
  subject: string;
  labels: Record<string, string>;
  startsAt: string;
  endsAt?: string;
}

function setup(
  targets: TargetDefinition[],
  inMaintenance: (name: string, at: Date) => string | null = () => null,
) {
  const repository = new FakeStateRepository();
  const published: Published[] = [];
  const messaging = {
    publish: (subject: string, event: Published) => {
      if (subject.startsWith('alerts.')) published.push({ ...event, subject });
      return Promise.resolve();
    },
  } as unknown as NatsMessaging;
  const history = { openIncident: () => Promise.resolve(), closeIncident: () => Promise.resolve() };
  const calendar = { windowAt: (t: TargetDefinition, when: Date) => inMaintenance(t.name, when) };
  const service = new TargetStateService(
    new TargetCatalog(targets),
    repository as unknown as TargetStateRepository,
    history as unknown as CheckHistoryRepository,
    'replica-1',
    messaging,
    calendar as unknown as MaintenanceCalendar,
  );
  const check = (t: TargetDefinition, ok: boolean, s: number, extra: Partial<CheckResult> = {}) =>
    service.record(t, {
      target: t.name,
      ok,
      statusCode: null,
      responseTimeMs: 3,
      error: ok ? null : 'connection refused',
      checkedAt: at(s),
      ...extra,
    });
  const alerts = () => published.map((p) => `${p.subject.slice('alerts.v1.'.length)} ${p.labels.service}`);
  return { service, repository, published, check, alerts };
}

describe('TargetStateService alerts', () => {
  it('fires with the target severity, kind and labels, and resolves with the same labels and startsAt', async () => {
    const web = target('web', { severity: 'low', labels: { team: 'payments' } });
    const { check, published } = setup([web]);
    await check(web, true, 0);
    await check(web, false, 1);
    await check(web, true, 2);
    expect(published).toEqual([
      {
        subject: 'alerts.v1.fired',
        labels: {
          alertname: 'ServiceDown',
          severity: 'low',
          service: 'web',
          target: 'web',
          kind: 'tcp',
          team: 'payments',
        },
        annotations: expect.any(Object),
        startsAt: at(1).toISOString(),
      },
      {
        subject: 'alerts.v1.resolved',
        labels: published[0].labels,
        annotations: expect.any(Object),
        startsAt: at(1).toISOString(),
        endsAt: at(2).toISOString(),
      },
    ]);
  });

  it('names a heartbeat alert by the failure that turned it down and resolves under the same name', async () => {
    // The heartbeat kind is added beside this one; its alert names depend only on `kind` and `failure`.
    const backup = { ...target('backup'), kind: 'heartbeat' } as unknown as TargetDefinition;
    const { check, published, repository } = setup([backup]);
    await check(backup, false, 1, { failure: 'missing' });
    await check(backup, false, 2, { failure: 'failed' });
    await check(backup, true, 3);
    expect(published.map((p) => `${p.subject} ${p.labels.alertname}`)).toEqual([
      'alerts.v1.fired HeartbeatMissing',
      'alerts.v1.resolved HeartbeatMissing',
    ]);
    expect(repository.saved.get('backup')).toMatchObject({
      alertname: 'HeartbeatMissing',
      alertStartsAt: null,
    });
  });

  it('holds the alert of a target whose dependency is down, and fires it when the parent recovers', async () => {
    const db = target('db');
    const api = target('api', { dependsOn: ['db'] });
    const { service, check, alerts, repository } = setup([db, api]);
    await check(db, false, 1);
    await check(api, false, 2);
    // The parent's alert went out, so the child's could have: it is held, its state and reason recorded.
    expect(alerts()).toEqual(['fired db']);
    expect(repository.saved.get('api')).toMatchObject({ status: 'down', alertStartsAt: null });
    await service.reconcileAlert(api, at(3));
    expect(alerts()).toEqual(['fired db']);

    await check(db, true, 4);
    expect(alerts()).toEqual(['fired db', 'resolved db']);
    await service.reconcileAlert(api, at(5));
    expect(alerts()).toEqual(['fired db', 'resolved db', 'fired api']);
    await check(api, true, 6);
    expect(alerts()).toEqual(['fired db', 'resolved db', 'fired api', 'resolved api']);
  });

  it('mentions the parent in the reason of a held down transition', async () => {
    const db = target('db');
    const api = target('api', { dependsOn: ['db'] });
    const { service, check } = setup([db, api]);
    const reasons: string[] = [];
    const publish = (
      service as unknown as { messaging: { publish: (s: string, m: { reason?: string }) => Promise<void> } }
    ).messaging;
    const original = publish.publish;
    publish.publish = async (subject, message) => {
      if (subject === 'health.v1.status' && message.reason) reasons.push(message.reason);
      await original(subject, message);
    };
    await check(db, false, 1);
    await check(api, false, 2);
    expect(reasons[1]).toBe(
      '1 consecutive failed check: connection refused; alert held: depends on "db", which is down',
    );
  });

  it('sends no resolve for a child that recovers before its held alert fired', async () => {
    const db = target('db');
    const api = target('api', { dependsOn: ['db'] });
    const { service, check, alerts } = setup([db, api]);
    await check(db, false, 1);
    await check(api, false, 2);
    await check(api, true, 3);
    await check(db, true, 4);
    await service.reconcileAlert(api, at(5));
    expect(alerts()).toEqual(['fired db', 'resolved db']);
  });

  it('during a maintenance window stores results as such and neither fires nor resolves; after it, fires what is still down', async () => {
    const web = target('web');
    const end = at(10);
    const { service, check, alerts, repository } = setup([web], (_name, when) =>
      when.getTime() >= at(5).getTime() && when.getTime() < end.getTime() ? 'maintenance window test' : null,
    );
    await check(web, false, 1);
    expect(alerts()).toEqual(['fired web']);
    // Recovers inside the window: the resolve waits for the window's end.
    await check(web, true, 5);
    expect(alerts()).toEqual(['fired web']);
    await service.reconcileAlert(web, new Date(end.getTime() - 1));
    expect(alerts()).toEqual(['fired web']);
    await service.reconcileAlert(web, end);
    expect(alerts()).toEqual(['fired web', 'resolved web']);
    // Goes down inside the window (a second episode): nothing until the window's end.
    await check(web, false, 9);
    expect(alerts()).toEqual(['fired web', 'resolved web']);
    await service.reconcileAlert(web, new Date(end.getTime() - 1));
    expect(alerts()).toEqual(['fired web', 'resolved web']);
    await service.reconcileAlert(web, end);
    expect(alerts()).toEqual(['fired web', 'resolved web', 'fired web']);
    expect(repository.results.map((r) => r.inMaintenance)).toEqual([false, true, true]);
  });
});
