import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each chain head remembers the received_at of its last record. A batch stamps its received_at before
 * it waits for the chain lock (so its ids insert runs outside the lock), and under the lock it is
 * refused if it would put a record into an earlier month partition than the head's: retention drops
 * whole months and cuts the chain at the highest seq it drops, which must not leave a lower seq behind.
 */
export class ChainHeadReceivedAt1764300000000 implements MigrationInterface {
  name = 'ChainHeadReceivedAt1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE audit_chain_heads ADD COLUMN received_at timestamptz`);
    await runner.query(`
      UPDATE audit_chain_heads AS h SET received_at = e.received_at
        FROM audit_events AS e
       WHERE e.category = h.category AND e.seq = h.seq`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE audit_chain_heads DROP COLUMN received_at`);
  }
}
