/** The parts of reporting's `GET /reports` and `GET /reports/definitions` the archive shows. */
export interface ReportRun {
  id: string;
  report: string;
  period_start: string;
  period_end: string;
  /** claimed, sent or failed */
  status: string;
  claimed_at: string;
  sent_at: string | null;
  error: string | null;
  attempts: number;
  subject: string | null;
}

export interface RunsAnswer {
  runs: ReportRun[];
  count: number;
}

export interface ReportDefinition {
  id: string;
  name: string;
  /** day, week or month */
  period: string;
  time_zone: string;
  enabled: boolean;
}

export interface DefinitionsAnswer {
  definitions: ReportDefinition[];
}

/** What `POST /reports/:definition/run` answers once the report was sent. */
export interface RunOutcome {
  report_run_id: string;
  report: string;
  period: { from: string; to: string; label: string };
  status: string;
}

/** alerting's `GET /alerts/summary` (AlertingSummaryReply v1): the team lead's figures. */
export interface AlertingSummary {
  from: string;
  to: string;
  total_alerts: number;
  by_severity: Record<string, number>;
  delivered: number;
  failed: number;
  episodes?: number;
  acknowledged?: number;
  mtta_s?: number | null;
  mttr_s?: number | null;
  false_positives?: number;
  false_positive_rate?: number | null;
  top_noisy?: { alertname: string; count: number }[];
  top_alerts?: { alertname: string; severity: string; count: number; status: string }[];
}
