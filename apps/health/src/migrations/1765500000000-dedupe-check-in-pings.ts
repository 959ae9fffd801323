import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A Sentry check-in is one (monitor, check_in_id, status): JetStream redelivers a message whose ack was
 * lost after its row committed, and the ping writer's ON CONFLICT DO NOTHING drops the second copy
 * against this index. HTTP pings have no such key (two identical pings are two pings).
 */
export class DedupeCheckInPings1765500000000 implements MigrationInterface {
  name = 'DedupeCheckInPings1765500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE UNIQUE INDEX heartbeat_pings_check_in_idx ON heartbeat_pings (monitor, rid, kind)
       WHERE via = 'sentry'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX heartbeat_pings_check_in_idx`);
  }
}
