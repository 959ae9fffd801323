/** What one upstream summary gave: its data, or why the report goes out without it. */
export type SourceResult<T> = { available: true; data: T } | { available: false; reason: string };

export interface ReportSources<Audit, Alerting, Health> {
  audit: SourceResult<Audit>;
  alerting: SourceResult<Alerting>;
  health: SourceResult<Health>;
}
