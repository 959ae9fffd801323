// SQL integrity checks against a real Postgres holding the example Django app's tables (its own migrations,
// run with Debian's Django): seed 000 §3.2's three checks passing and failing on planted rows, a query past
// its statement_timeout, queries that try to write (refused, nothing changes), errors that never carry a
// row's contents, and the value history kept in check_results by the running service.
import type { INestApplication } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { startService } from '@vigil/platform';
import {
  freePort,
  repoRoot,
  startNatsServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
} from '@vigil/testing';

import { LastValueRepository } from '../src/checks/last-value.repository';
import { SqlChecker } from '../src/checks/sql-checker';
import { healthService } from '../src/service';
import { parseTargets } from '../src/targets/targets-file';
import type { SqlTarget } from '../src/targets/target-definition';

const EXAMPLE_TARGETS = path.join(repoRoot(), 'examples/django-profile/sql-checks.yaml');
/** A value planted in a row; it must never show up in a check's error. */
const PLANTED = 'planted-secret-handle-7f3a';

/** The example file's three checks, pointed at `url`, with a short timeout for the tests. */
function exampleChecks(url: string): Map<string, SqlTarget> {
  const targets = parseTargets(fs.readFileSync(EXAMPLE_TARGETS, 'utf8'), EXAMPLE_TARGETS, {
    PROFILE_DB_URL: url,
  });
  return new Map(targets.map((t) => [t.name, t as SqlTarget]));
}

function adHoc(url: string, query: string, condition = '== 0', timeoutMs = 2000): SqlTarget {
  const yaml = `targets:\n  - type: sql\n    name: ad-hoc\n    connection_env: DB\n    query: ${JSON.stringify(query)}\n    condition: "${condition}"\n    timeout_ms: ${timeoutMs}\n`;
  return parseTargets(yaml, 'ad-hoc.yaml', { DB: url })[0] as SqlTarget;
}

describe('SQL integrity checks (real Postgres with the example app`s tables)', () => {
  let profileUrl: string;
  let db: Client;
  let checker: SqlChecker;
  let checks: Map<string, SqlTarget>;
  const check = (name: string) => checker.check(checks.get(name)!);
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    profileUrl = await testDatabaseUrl();
    const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sql-django-'));
    const migrate = spawnSync('/usr/bin/python3', ['manage.py', 'migrate', '--noinput', '-v', '0'], {
      cwd: path.join(repoRoot(), 'examples/django-profile'),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: profileUrl,
        VIGIL_API_KEY: 'unused-in-migrations',
        VIGIL_AUDIT_SPOOL_PATH: path.join(spool, 'spool.jsonl'),
        PROFILE_MEDIA_ROOT: path.join(spool, 'media'),
      },
      encoding: 'utf8',
    });
    fs.rmSync(spool, { recursive: true, force: true });
    if (migrate.status !== 0)
      throw new Error(`manage.py migrate failed:\n${migrate.stdout}${migrate.stderr}`);
    db = new Client({ connectionString: profileUrl });
    await db.connect();
    checker = new SqlChecker();
    checks = exampleChecks(profileUrl);
  }, 120_000);

  afterAll(async () => {
    await checker?.onModuleDestroy();
    await db?.end();
  });

  /** A user and their profile; `privacy` null leaves the profile without privacy settings. */
  async function plantProfile(
    username: string,
    privacy: { visibility: 'PUBLIC' | 'PRIVATE'; socialLinks: boolean } | null,
  ): Promise<number> {
    const user = await db.query<{ id: number }>(
      `INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       VALUES ('!', false, $1, '', '', '', false, true, now()) RETURNING id`,
      [username],
    );
    const profile = await db.query<{ id: string }>(
      `INSERT INTO profiles_profile (user_id, display_name, bio, website_url, twitter_url, github_url,
                                     deltacoin_balance, lifetime_earnings, updated_at)
       VALUES ($1, $2, '', $3, '', '', 0, 0, now()) RETURNING id`,
      [user.rows[0].id, PLANTED, `https://example.test/${PLANTED}`],
    );
    const id = Number(profile.rows[0].id);
    if (privacy)
      await db.query(
        `INSERT INTO profiles_privacysettings (profile_id, profile_visibility, show_social_links, show_earnings)
         VALUES ($1, $2, $3, false)`,
        [id, privacy.visibility, privacy.socialLinks],
      );
    return id;
  }

  it('ships the three checks of seed 000 §3.2, all passing on clean data', async () => {
    expect([...checks.keys()]).toEqual([
      'private-profiles-with-social-links',
      'profiles-without-privacy-settings',
      'orphaned-game-profiles',
    ]);
    await plantProfile('clean-public', { visibility: 'PUBLIC', socialLinks: true });
    await plantProfile('clean-private', { visibility: 'PRIVATE', socialLinks: false });
    for (const name of checks.keys()) {
      const result = await check(name);
      expect({ name, ok: result.ok, value: result.value, error: result.error }).toEqual({
        name,
        ok: true,
        value: 0,
        error: null,
      });
      expect(result.responseTimeMs).toBeGreaterThan(0);
    }
  });

  it('counts private profiles that show social links', async () => {
    await plantProfile('leaky-1', { visibility: 'PRIVATE', socialLinks: true });
    await plantProfile('leaky-2', { visibility: 'PRIVATE', socialLinks: true });
    const result = await check('private-profiles-with-social-links');
    expect(result).toMatchObject({ ok: false, value: 2, error: 'value 2 is not == 0' });
    await db.query(
      `UPDATE profiles_privacysettings SET show_social_links = false WHERE profile_visibility = 'PRIVATE'`,
    );
    expect(await check('private-profiles-with-social-links')).toMatchObject({ ok: true, value: 0 });
  });

  it('counts profiles without privacy settings', async () => {
    const id = await plantProfile('no-privacy', null);
    expect(await check('profiles-without-privacy-settings')).toMatchObject({
      ok: false,
      value: 1,
      error: 'value 1 is not == 0',
    });
    await db.query(
      `INSERT INTO profiles_privacysettings (profile_id, profile_visibility, show_social_links, show_earnings)
       VALUES ($1, 'PUBLIC', true, false)`,
      [id],
    );
    expect(await check('profiles-without-privacy-settings')).toMatchObject({ ok: true, value: 0 });
  });

  it('counts game profiles whose user profile is gone', async () => {
    const id = await plantProfile('gamer', { visibility: 'PUBLIC', socialLinks: true });
    await db.query(
      `INSERT INTO profiles_gameprofile (user_profile_id, game, in_game_name) VALUES ($1, 'chess', $2), (NULL, 'go', $2)`,
      [id, PLANTED],
    );
    expect(await check('orphaned-game-profiles')).toMatchObject({ ok: false, value: 1 });
    // Deleting the profile the way Django does (SET NULL) orphans its game profile too.
    await db.query(`UPDATE profiles_gameprofile SET user_profile_id = NULL WHERE user_profile_id = $1`, [id]);
    const result = await check('orphaned-game-profiles');
    expect(result).toMatchObject({ ok: false, value: 2, error: 'value 2 is not == 0' });
    await db.query(`DELETE FROM profiles_gameprofile`);
    expect(await check('orphaned-game-profiles')).toMatchObject({ ok: true, value: 0 });
  });

  it('fails a query running past its timeout cleanly, with the timeout as the reason', async () => {
    const started = Date.now();
    const result = await checker.check(adHoc(profileUrl, 'SELECT count(*) FROM pg_sleep(5)', '== 1', 300));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^query timed out after 300 ms \(statement_timeout\)/);
    // The pool is still usable after the cancelled statement.
    expect(await checker.check(adHoc(profileUrl, 'SELECT 1', '== 1', 300))).toMatchObject({
      ok: true,
      value: 1,
    });
  });

  it('refuses queries that write, and nothing changes', async () => {
    await plantProfile('kept', { visibility: 'PUBLIC', socialLinks: true });
    const before = {
      profiles: await count('profiles_profile'),
      privacy: await count('profiles_privacysettings'),
    };
    expect(before.profiles).toBeGreaterThan(0);
    const writes = [
      'DELETE FROM profiles_profile',
      "UPDATE profiles_privacysettings SET profile_visibility = 'PUBLIC'",
      'WITH gone AS (DELETE FROM profiles_privacysettings RETURNING 1) SELECT count(*) FROM gone',
      "WITH added AS (INSERT INTO profiles_gameprofile (game, in_game_name) VALUES ('x', 'y') RETURNING 1) SELECT count(*) FROM added",
    ];
    for (const query of writes) {
      const result = await checker.check(adHoc(profileUrl, query));
      expect({ query, ok: result.ok }).toEqual({ query, ok: false });
      expect(result.error).toContain('query tried to write; SQL checks run READ ONLY');
      expect(result.error).toContain('read-only transaction');
    }
    // A second statement cannot end the read-only transaction and write after it.
    const smuggled = await checker.check(adHoc(profileUrl, 'SELECT 0; COMMIT; DELETE FROM profiles_profile'));
    expect(smuggled.ok).toBe(false);
    expect(smuggled.error).toContain('cannot insert multiple commands into a prepared statement');
    expect({
      profiles: await count('profiles_profile'),
      privacy: await count('profiles_privacysettings'),
    }).toEqual(before);
    expect(await count('profiles_gameprofile')).toBe(0);
  });

  it('names the shape of a wrong result, never its contents', async () => {
    const cases: [string, RegExp][] = [
      ['SELECT display_name FROM profiles_profile', /^query returned \d+ rows, expected exactly one$/],
      [
        'SELECT display_name FROM profiles_profile LIMIT 1',
        /^column "display_name" is not a number \(type oid 1043\)$/,
      ],
      ['SELECT 1, 2', /^query returned 2 columns, expected exactly one$/],
      ['SELECT NULL::int', /^column "int4" is NULL, not a number$/],
      [
        `SELECT display_name::int FROM profiles_profile WHERE display_name = '${PLANTED}' LIMIT 1`,
        /^query failed \(SQLSTATE 22P02\): invalid input syntax for type integer: "…"$/,
      ],
    ];
    for (const [query, expected] of cases) {
      const result = await checker.check(adHoc(profileUrl, query));
      expect({ query, ok: result.ok }).toEqual({ query, ok: false });
      expect(result.error).toMatch(expected);
      expect(result.error).not.toContain(PLANTED);
    }
  });

  it('compares `within P% of previous` with the stored value on its first run, then with its own last', async () => {
    const stored: string[] = [];
    const lastValues = {
      lastValue: (target: string) => (stored.push(target), Promise.resolve(100)),
    } as unknown as LastValueRepository;
    const trend = new SqlChecker(lastValues);
    try {
      const target = adHoc(profileUrl, 'SELECT 80', 'within 10% of previous');
      // Without the stored 100 this first run would pass (no previous value).
      expect(await trend.check(target)).toMatchObject({
        ok: false,
        value: 80,
        error: 'value 80 is not within 10% of previous (previous 100)',
      });
      expect(await trend.check({ ...target, query: 'SELECT 85' })).toMatchObject({ ok: true, value: 85 });
      expect(await trend.check({ ...target, query: 'SELECT 70' })).toMatchObject({
        ok: false,
        error: 'value 70 is not within 10% of previous (previous 85)',
      });
      expect(stored).toEqual(['ad-hoc']);
    } finally {
      await trend.onModuleDestroy();
    }
  });

  it('uses at most 2 connections per target and closes them on shutdown', async () => {
    const own = new SqlChecker();
    const connections = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'vigil-health-sql-check'
              AND datname = current_database()`,
          )
        ).rows[0].n,
      );
    await checker.onModuleDestroy(); // the shared checker's pools, so only `own`'s connections are counted
    await waitFor(async () => (await connections()) === 0, { description: 'no check connections' });
    const slow = adHoc(profileUrl, 'SELECT count(*) FROM pg_sleep(0.3)', '== 1');
    const runs = Array.from({ length: 6 }, () => own.check(slow));
    const seen: number[] = [];
    const sampling = setInterval(() => void connections().then((n) => seen.push(n)), 50);
    const results = await Promise.all(runs);
    clearInterval(sampling);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(Math.max(...seen)).toBe(2);
    await own.onModuleDestroy();
    await waitFor(async () => (await connections()) === 0, { description: 'connections closed on shutdown' });
  });

  it('never shows the connection string or its password in a connection error', async () => {
    const port = await freePort();
    const wrongPassword = new URL(profileUrl);
    wrongPassword.password = 'Wr0ng-Pa55word';
    const unreachable = `postgres://checker:Unreach4ble-pw@127.0.0.1:${port}/profiles`;
    for (const url of [wrongPassword.toString(), unreachable]) {
      const result = await checker.check(adHoc(url, 'SELECT 0'));
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/password authentication failed|ECONNREFUSED/);
      expect(result.error).not.toMatch(/Wr0ng-Pa55word|Unreach4ble-pw/);
    }
  });
});

describe('SQL checks in the running service (value history in check_results)', () => {
  let nats: NatsServerHandle;
  let app: INestApplication;
  let dir: string;
  let healthDb: Client;
  let profileDb: Client;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sql-service-'));
    nats = await startNatsServer();
    const profileUrl = await testDatabaseUrl();
    profileDb = new Client({ connectionString: profileUrl });
    await profileDb.connect();
    // The one table the check reads, as Django's migration makes it.
    await profileDb.query(`CREATE TABLE profiles_privacysettings (id bigserial PRIMARY KEY, profile_id bigint NOT NULL UNIQUE,
      profile_visibility varchar(10) NOT NULL, show_social_links boolean NOT NULL, show_earnings boolean NOT NULL)`);
    await profileDb.query(
      `INSERT INTO profiles_privacysettings (profile_id, profile_visibility, show_social_links, show_earnings)
       VALUES (1, 'PRIVATE', true, false), (2, 'PRIVATE', true, false), (3, 'PUBLIC', true, false)`,
    );
    const example = fs.readFileSync(EXAMPLE_TARGETS, 'utf8').replace(/interval_s: \d+/g, 'interval_s: 1');
    const file = path.join(dir, 'targets.yaml');
    fs.writeFileSync(file, example);
    const healthUrl = await testDatabaseUrl();
    healthDb = new Client({ connectionString: healthUrl });
    await healthDb.connect();
    app = await startService(
      healthService,
      {
        PORT: String(await freePort()),
        NATS_URL: nats.url,
        DATABASE_URL: healthUrl,
        TARGETS_FILE: file,
        PROFILE_DB_URL: profileUrl,
        LOG_LEVEL: 'silent',
      },
      { logger: false },
    );
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await healthDb?.end();
    await profileDb?.end();
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores each run`s value, and a failure carries the value and the condition only', async () => {
    const history = async () =>
      (
        await healthDb.query<{ ok: boolean; value: number | null; error: string | null }>(
          `SELECT ok, value, error FROM check_results WHERE target = 'private-profiles-with-social-links' ORDER BY checked_at`,
        )
      ).rows;
    await waitFor(async () => (await history()).length >= 2, { timeoutMs: 20_000, description: 'two runs' });
    await profileDb.query(
      `UPDATE profiles_privacysettings SET show_social_links = false WHERE profile_id = 1`,
    );
    await waitFor(async () => (await history()).some((r) => r.value === 1), {
      timeoutMs: 20_000,
      description: 'a run after the fix of one row',
    });
    const rows = await history();
    expect(rows[0]).toEqual({ ok: false, value: 2, error: 'value 2 is not == 0' });
    expect(rows.find((r) => r.value === 1)).toEqual({ ok: false, value: 1, error: 'value 1 is not == 0' });
    const errors = (
      await healthDb.query<{ error: string }>(`SELECT error FROM check_results WHERE error IS NOT NULL`)
    ).rows;
    expect(errors.length).toBeGreaterThan(0);
    expect(testDatabasePassword().length).toBeGreaterThan(3);
    for (const { error } of errors) expect(error).not.toContain(testDatabasePassword());
    // What a replica taking the target over reads as the previous value: the latest stored one.
    const latest = (
      await healthDb.query<{ value: number }>(
        `SELECT value FROM check_results WHERE target = 'private-profiles-with-social-links' ORDER BY checked_at DESC LIMIT 1`,
      )
    ).rows[0].value;
    expect(
      await new LastValueRepository(app.get(DataSource)).lastValue('private-profiles-with-social-links'),
    ).toBe(latest);
    expect(await new LastValueRepository(app.get(DataSource)).lastValue('no-such-target')).toBeNull();
  });
});

/** The password of the test Postgres, which must not appear in any stored error. */
function testDatabasePassword(): string {
  return decodeURIComponent(new URL(process.env.VIGIL_TEST_PG_ADMIN_URL ?? '').password);
}
