import type { MonthlyPartition, RetentionWork } from '../storage/retention.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What retention does now: a monthly partition whose whole month is older than every project's
 * retention is dropped; otherwise, each project whose retention has passed part of a partition has its
 * older rows deleted from it (a project with a short retention does not wait for the longest one).
 * Issues are never deleted.
 */
export function retentionPlan(
  partitions: readonly MonthlyPartition[],
  projects: readonly { id: string; retention_days: number }[],
  now: Date,
): RetentionWork {
  if (projects.length === 0) return { drop: [], trim: [] };
  const cutoffs = projects.map((p) => ({
    project_id: p.id,
    cutoff: new Date(now.getTime() - p.retention_days * DAY_MS),
  }));
  const everyone = Math.min(...cutoffs.map((c) => c.cutoff.getTime()));
  const drop = partitions.filter((p) => p.to.getTime() <= everyone);
  const kept = partitions.filter((p) => p.to.getTime() > everyone);
  const trim = cutoffs
    .map(({ project_id, cutoff }) => ({
      project_id,
      cutoff,
      partitions: kept.filter((p) => p.from.getTime() < cutoff.getTime()),
    }))
    .filter((t) => t.partitions.length > 0);
  return { drop, trim };
}
