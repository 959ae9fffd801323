import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issues, their users, alerts and history, and the events (partitioned by month on received_at so
 * retention drops whole months). `error_event_ids` is the dedupe: a partitioned table cannot hold a
 * unique key without its partition key, and an SDK retry arrives with another received_at.
 */
export class CreateErrorTables1765000000000 implements MigrationInterface {
  name = 'CreateErrorTables1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE error_projects (
        project_id text PRIMARY KEY,
        grouping_version text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE error_issues (
        id bigserial PRIMARY KEY,
        project_id text NOT NULL,
        grouping_version text NOT NULL,
        fingerprint text NOT NULL,
        title text NOT NULL,
        culprit text,
        level text NOT NULL,
        status text NOT NULL DEFAULT 'unresolved' CHECK (status IN ('unresolved', 'resolved', 'ignored')),
        substatus text CHECK (substatus IN ('new', 'regressed', 'ongoing')),
        resolved_in_next_release boolean NOT NULL DEFAULT false,
        resolved_release text,
        resolved_at timestamptz,
        ignore_until timestamptz,
        ignore_count_remaining integer,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        times_seen bigint NOT NULL DEFAULT 0,
        user_count bigint NOT NULL DEFAULT 0,
        last_release text,
        releases jsonb NOT NULL DEFAULT '{}',
        environments jsonb NOT NULL DEFAULT '{}',
        regressed_at timestamptz,
        spike_alerted_at timestamptz,
        merged_into bigint REFERENCES error_issues (id),
        UNIQUE (project_id, grouping_version, fingerprint)
      )`);
    await runner.query(`CREATE INDEX error_issues_last_seen_idx ON error_issues (last_seen DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE error_issue_users (
        issue_id bigint NOT NULL REFERENCES error_issues (id),
        user_hash text NOT NULL,
        PRIMARY KEY (issue_id, user_hash)
      )`);
    // Status changes, regressions, merges: the history, and the summary's "regressed/resolved in the period".
    await runner.query(`
      CREATE TABLE error_issue_activity (
        id bigserial PRIMARY KEY,
        issue_id bigint NOT NULL REFERENCES error_issues (id),
        kind text NOT NULL,
        at timestamptz NOT NULL,
        actor text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query(`CREATE INDEX error_issue_activity_at_idx ON error_issue_activity (at, kind)`);
    await runner.query(
      `CREATE INDEX error_issue_activity_issue_idx ON error_issue_activity (issue_id, at DESC)`,
    );
    // Alerts fired for an issue (origin_issue_id; issue_id follows merges), resolved with the same labels
    // and startsAt when the issue is.
    await runner.query(`
      CREATE TABLE error_issue_alerts (
        origin_issue_id bigint NOT NULL REFERENCES error_issues (id),
        issue_id bigint NOT NULL REFERENCES error_issues (id),
        alertname text NOT NULL,
        starts_at timestamptz NOT NULL,
        alert jsonb NOT NULL,
        resolved_at timestamptz,
        PRIMARY KEY (origin_issue_id, alertname, starts_at)
      )`);
    await runner.query(
      `CREATE INDEX error_issue_alerts_open_idx ON error_issue_alerts (issue_id) WHERE resolved_at IS NULL`,
    );

    await runner.query(`
      CREATE TABLE error_events (
        id bigserial NOT NULL,
        project_id text NOT NULL,
        event_id text NOT NULL,
        issue_id bigint NOT NULL,
        received_at timestamptz NOT NULL,
        occurred_at timestamptz NOT NULL,
        level text NOT NULL,
        release text,
        environment text,
        user_hash text,
        event jsonb NOT NULL,
        scrub_rules jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (id, received_at)
      ) PARTITION BY RANGE (received_at)`);
    await runner.query(
      `CREATE INDEX error_events_issue_idx ON error_events (issue_id, received_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX error_events_received_at_idx ON error_events (received_at)`);
    await runner.query(`
      CREATE TABLE error_event_ids (
        project_id text NOT NULL,
        event_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (project_id, event_id)
      )`);
    await runner.query(`CREATE INDEX error_event_ids_received_at_idx ON error_event_ids (received_at)`);
    await runner.query(`
      CREATE FUNCTION errors_ensure_partition(p_at timestamptz) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        month_start timestamp := date_trunc('month', p_at AT TIME ZONE 'UTC');
        name text := format('error_events_%s', to_char(month_start, 'YYYYMM'));
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('errors_ensure_partition'));
        IF to_regclass(name) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF error_events FOR VALUES FROM (%L) TO (%L)',
            name, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
        END IF;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION errors_ensure_partition(timestamptz)`);
    await runner.query(`DROP TABLE error_event_ids`);
    await runner.query(`DROP TABLE error_events`);
    await runner.query(`DROP TABLE error_issue_alerts`);
    await runner.query(`DROP TABLE error_issue_activity`);
    await runner.query(`DROP TABLE error_issue_users`);
    await runner.query(`DROP TABLE error_issues`);
    await runner.query(`DROP TABLE error_projects`);
  }
}
