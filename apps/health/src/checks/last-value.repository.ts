import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** SQL of a target's last measured value in check_results; no business rule lives here. */
@Injectable()
export class LastValueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The value of the target's latest result that measured one, or null. */
  async lastValue(target: string): Promise<number | null> {
    const rows: { value: number }[] = await this.dataSource.query(
      `SELECT value FROM check_results WHERE target = $1 AND value IS NOT NULL
        ORDER BY checked_at DESC LIMIT 1`,
      [target],
    );
    return rows.length === 1 ? Number(rows[0].value) : null;
  }
}
