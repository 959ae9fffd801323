/** Shapes of the audit service's answers the pages read (apps/audit README: Query, Integrity, Merkle log). */

export interface AuditEvent {
  id: string;
  occurred_at: string;
  source: string;
  tenant_id?: string;
  actor: { type: string; id: string; ip?: string };
  action: string;
  resource: { type: string; id: string };
  outcome: string;
  changes?: Record<string, { before?: unknown; after?: unknown }>;
  metadata?: Record<string, unknown>;
  request_id?: string;
  trace_id?: string;
}

export interface ListedEvent {
  event: AuditEvent;
  received_at: string;
  category: string;
  seq: number;
}

export interface EventPage {
  events: ListedEvent[];
  count: number;
  next_cursor: string | null;
}

export interface EventDetail extends ListedEvent {
  prev_hash: string;
  hash: string;
  /** The event as hashed, when readers see it otherwise (sealed personal fields). */
  stored_event?: AuditEvent;
}

export interface LogCheckpoint {
  category: string;
  origin: string;
  size: number;
  root_hash: string;
  key_name: string;
  note: string;
  /** When the checkpoint was stored; absent or null when the service signs the head on request. */
  created_at?: string | null;
}

export interface InclusionProof {
  category: string;
  event_id: string;
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  root_hash: string;
  proof: string[];
}

export interface PublicKey {
  algorithm: string;
  key_id: string;
  public_key_pem: string;
  development_key?: boolean;
}

export interface BadRecord {
  category: string;
  seq: number;
  id: string | null;
  defect: string;
  detail: string;
}

export interface ChainReport {
  category: string;
  anchor_seq: number;
  records_checked: number;
  records_in_range: number;
  checkpoints_checked: number;
  last_seq: number;
  unsigned_records: number;
}

export interface VerifyReport {
  ok: boolean;
  from: string | null;
  to: string | null;
  chains: ChainReport[];
  first_bad: BadRecord | null;
}

export interface Detection {
  rule: string;
  severity: string;
  event_id: string;
  actor_id: string;
  occurred_at: string;
  detected_at: string;
  tenant_id: string | null;
  summary: string;
}

export interface DetectionPage {
  detections: Detection[];
  count: number;
  next_cursor: string | null;
}

export interface ReportRun {
  id: string;
  report: string;
  period_start: string;
  period_end: string;
  status: string;
  sent_at: string | null;
}

export const AUDIT_LOGS = ['security', 'privacy', 'routine'] as const;

export interface ConsistencyProof {
  category: string;
  first: number;
  second: number;
  first_root: string;
  second_root: string;
  proof: string[];
}
