import { hash } from 'node:crypto';

/**
 * The auditor export (GET /audit/export?format=ndjson): one NDJSON file, read by `vigil-audit
 * verify-export` with only the public key. Line 1 is the header (the checkpoint of every log the events
 * belong to), then one line per event in log order (category as the header lists them, then leaf index
 * ascending), then the trailer. Hashes are standard base64 (padded), as C2SP checkpoints write them.
 */
export const EXPORT_FORMAT = 'vigil-audit-export';
export const EXPORT_VERSION = 1;

/** One log's checkpoint: a C2SP signed note over `origin`, `size`, `root_hash`. */
export interface ExportLog {
  category: string;
  origin: string;
  size: number;
  root_hash: string;
  checkpoint: string;
  /** Consistency proofs from older sizes of this log to `size` (asked for with `consistency_from`). */
  consistency: { from_size: number; from_root: string; proof: string[] }[];
}

export interface ExportHeader {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exported_at: string;
  filters: Record<string, unknown>;
  /** First 16 hex digits of SHA-256 of the checkpoint key's SPKI DER (GET /audit/checkpoints/public-key). */
  key_id: string;
  /** Key name of the trailer's signed note. */
  export_key_name: string;
  logs: ExportLog[];
}

export interface ExportEventLine {
  type: 'event';
  category: string;
  leaf_index: number;
  /** Leaf index of the previous exported event of the same log, null for its first. */
  prev_leaf_index: number | null;
  id: string;
  leaf_hash: string;
  /** RFC 6962 PATH of the leaf in the tree of the header's `size` for this log, leaf side first. */
  proof: string[];
  /** The record exactly as hashed into the leaf (canonical JSON text). */
  record: string;
  /**
   * The event as readers see it: personal fields sealed in `record` opened, `[ERASED]` where the subject was
   * erased. Not covered by the proof (the sealed form is): a convenience for reading, checked by nothing.
   */
  opened_event?: unknown;
}

export interface ExportTrailer {
  type: 'trailer';
  count: number;
  counts: Record<string, number>;
  /** Matching events stored but not in the exported checkpoints (appended to their log after it). */
  pending: number;
  message: string;
  /** base64 SHA-256 of the header line's bytes followed by every event's 32-byte leaf hash, in order. */
  digest: string;
  /** C2SP signed note over exportNoteText(...), signed with the checkpoint key as `export_key_name`. */
  signature: string;
}

/** SHA-256(0x00 ‖ UTF-8 of the record text): the record's RFC 6962 leaf hash (U+0000 encodes as 0x00). */
export function recordLeafHash(record: string): Buffer {
  return hash('sha256', `\u0000${record}`, 'buffer');
}

/**
 * The trailer's signed text. Its second line is not a tree size, so it can never be taken for a
 * checkpoint of a log named like the key.
 */
export function exportNoteText(keyName: string, digest: Buffer, count: number, pending: number): string {
  return `${keyName}\nsha256 ${digest.toString('base64')}\nevents ${count}\npending ${pending}\n`;
}
