import { Inject, Injectable } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import type { ReportPeriod } from '../model/report-period';
import { ReportRunRepository, type ReportRun, type ReportRunStatus } from './report-run.repository';

export type ClaimResult =
  { claimed: true; run: ReportRun } | { claimed: false; run: ReportRun; reason: string };

/**
 * Exactly-once per (report, period_start): whoever inserts the row, or atomically flips a failed
 * (or, with force, a sent) row back to claimed, sends; everyone else gets a conflict. Works across
 * replicas because the decision is one statement against the unique key, never an in-memory flag.
 */
@Injectable()
export class ReportClaims {
  constructor(
    private readonly repository: ReportRunRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
  ) {}

  /** A claimed run older than REPORT_CLAIM_STALE_MS is from a replica that died mid-send; it may be taken over. */
  async claim(report: string, period: ReportPeriod, options: { force: boolean }): Promise<ClaimResult> {
    const inserted = await this.repository.insertClaim(report, period.start, period.end);
    if (inserted) return { claimed: true, run: inserted };

    const existing = await this.repository.findByPeriod(report, period.start);
    if (!existing) throw new Error(`report run for ${report} ${period.label} vanished while claiming`);
    const reclaimable: ReportRunStatus[] = options.force ? ['failed', 'sent'] : ['failed'];
    const reclaimed = await this.repository.reclaim(
      existing.id,
      period.end,
      reclaimable,
      this.config.REPORT_CLAIM_STALE_MS,
    );
    if (reclaimed) return { claimed: true, run: reclaimed };

    const current = (await this.repository.findByPeriod(report, period.start)) ?? existing;
    return { claimed: false, run: current, reason: conflictReason(report, period, current) };
  }
}

function conflictReason(report: string, period: ReportPeriod, run: ReportRun): string {
  const what = `the ${report} report for ${period.label}`;
  switch (run.status) {
    case 'sent':
      return `${what} was already sent at ${run.sent_at ?? 'an earlier time'}; add ?force=true to send it again`;
    case 'claimed':
      return `${what} is being sent right now (claimed at ${run.claimed_at})`;
    case 'failed':
      // Lost a race: another request re-claimed the failed run between our read and our update.
      return `${what} is being retried by another request`;
  }
}
