import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** SQL of target_leases: who checks which target, until when. No business rule lives here. */
@Injectable()
export class TargetLeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes or renews the lease of `target` for `ttlMs` when it is free, expired or already ours;
   * returns whether `owner` holds it now. One statement, so two replicas never both win.
   */
  async claim(target: string, owner: string, ttlMs: number): Promise<boolean> {
    const rows: { owner: string }[] = await this.dataSource.query(
      `INSERT INTO target_leases (target, owner, expires_at)
       VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (target) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE target_leases.owner = EXCLUDED.owner OR target_leases.expires_at < clock_timestamp()
       RETURNING owner`,
      [target, owner, ttlMs],
    );
    return rows.length === 1;
  }

  /** Gives up every lease of `owner` (on shutdown), so other replicas take over at once. */
  async releaseAll(owner: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM target_leases WHERE owner = $1`, [owner]);
  }
}
