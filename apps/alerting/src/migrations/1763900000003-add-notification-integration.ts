import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications now go to one integration (`webhook:0`, `slack:1`, ...) of a configured receiver. */
export class AddNotificationIntegration1763900000003 implements MigrationInterface {
  name = 'AddNotificationIntegration1763900000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications ADD COLUMN integration text NOT NULL DEFAULT 'webhook:0'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP COLUMN integration`);
  }
}
