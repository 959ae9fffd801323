import { AUDIT_EVENTS_WILDCARD } from './audit-event.v1';
import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT } from './alert-event.v1';
import { HEALTH_CHECKINS_SUBJECT } from './check-in.v1';
import { ERRORS_EVENTS_WILDCARD, errorsEventSubject } from './error-intake.v1';
import { HEALTH_STATUS_SUBJECT } from './health-status-changed.v1';
import {
  AUDIT_INGEST_CONSUMER,
  AUDIT_STREAM,
  auditDlqSubject,
  ERRORS_STREAM,
  errorsDlqSubject,
  HEALTH_CHECKINS_CONSUMER,
  HEALTH_DLQ_STREAM,
  healthDlqSubject,
  STREAMS,
} from './streams';

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

describe('streams', () => {
  it('defines AUDIT, AUDIT_DLQ, ALERTS, ALERTING_DLQ, HEALTH, ERRORS, ERRORS_DLQ and HEALTH_DLQ', () => {
    expect(STREAMS.map((s) => [s.name, s.subjects])).toEqual([
      ['AUDIT', [AUDIT_EVENTS_WILDCARD]],
      ['AUDIT_DLQ', ['audit.v1.dlq.>']],
      ['ALERTS', ['alerts.v1.>']],
      ['ALERTING_DLQ', ['alerting.v1.dlq.>']],
      ['HEALTH', [HEALTH_STATUS_SUBJECT, HEALTH_CHECKINS_SUBJECT]],
      ['ERRORS', [ERRORS_EVENTS_WILDCARD]],
      ['ERRORS_DLQ', ['errors.v1.dlq.>']],
      ['HEALTH_DLQ', ['health.v1.dlq.>']],
    ]);
    expect(AUDIT_INGEST_CONSUMER).toBe('audit-ingest');
  });

  it('dedupes audit events for two minutes on file storage with limits retention', () => {
    expect(AUDIT_STREAM.duplicate_window_ns).toBe(120_000_000_000);
    expect(AUDIT_STREAM).toMatchObject({ storage: 'file', retention: 'limits' });
  });

  it('dedupes errors events for ten minutes (SDK retries)', () => {
    expect(ERRORS_STREAM.duplicate_window_ns).toBe(600_000_000_000);
    expect(errorsDlqSubject('item_json')).toBe('errors.v1.dlq.item_json');
  });

  it('keeps every duration a safe integer of nanoseconds', () => {
    for (const s of STREAMS) {
      for (const ns of [s.duplicate_window_ns, s.max_age_ns]) {
        if (ns !== undefined) expect(Number.isSafeInteger(ns)).toBe(true);
      }
    }
  });

  it('routes every subject to exactly one stream', () => {
    const subjects = [
      'audit.v1.events.billing',
      auditDlqSubject('schema'),
      ALERT_FIRED_SUBJECT,
      ALERT_RESOLVED_SUBJECT,
    ];
    const errors = [errorsEventSubject('1'), errorsDlqSubject('envelope'), HEALTH_CHECKINS_SUBJECT];
    errors.push(healthDlqSubject('schema'));
    for (const subject of [...subjects, ...errors, HEALTH_STATUS_SUBJECT]) {
      const owners = STREAMS.filter((s) => s.subjects.some((p) => matches(p, subject)));
      expect(owners).toHaveLength(1);
    }
  });

  it('dead-letters check-ins health refuses to HEALTH_DLQ, kept 30 days', () => {
    expect(healthDlqSubject('schema')).toBe('health.v1.dlq.schema');
    expect(HEALTH_DLQ_STREAM).toMatchObject({ storage: 'file', max_age_ns: 30 * 24 * 3600 * 1e9 });
    expect(HEALTH_CHECKINS_CONSUMER).toBe('health-checkins');
    expect(() => healthDlqSubject('not.a.token')).toThrow(/invalid DLQ reason/);
  });

  it('builds DLQ subjects from a reason token', () => {
    expect(auditDlqSubject('schema')).toBe('audit.v1.dlq.schema');
    expect(() => auditDlqSubject('bad reason')).toThrow(/invalid DLQ reason/);
    expect(() => auditDlqSubject('a.b')).toThrow(/invalid DLQ reason/);
  });
});
