import { createHash, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { verifyConsistency } from '../merkle/rfc6962';
import { openNote } from '../model/signed-note';
import { keyIdOf } from '../model/checkpoint-signer';
import { EXPORT_FORMAT, EXPORT_VERSION, exportNoteText } from './export-format';
import {
  missingBefore,
  portableLog,
  type BadLine,
  type CheckedLog,
  type PortableLog,
  type RangeResult,
} from './export-lines';
import { checkRange } from './export-range';

/** A checkpoint the auditor holds from before (its signature checked with the same key). */
export interface OlderCheckpoint {
  origin: string;
  size: number;
  root: Buffer;
}

export interface ExportReport {
  ok: boolean;
  events: number;
  counts: Record<string, number>;
  pending: number | null;
  key_id: string | null;
  logs: { category: string; origin: string; size: number; root_hash: string }[];
  consistency: { origin: string; from_size: number; to_size: number }[];
  /** The first bad line (1-based line of the file), or a defect of the file as a whole. */
  bad: BadLine | null;
  node_hashes: number;
  threads: number;
}

export interface VerifyExportOptions {
  older?: readonly OlderCheckpoint[];
  /** Worker threads for the event lines; 1 checks in-process. Default: CPUs (up to 4) for large files. */
  threads?: number;
}

class FileDefect extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly eventId: string | null = null,
  ) {
    super(message);
  }
}

interface HeaderLog {
  category?: unknown;
  origin?: unknown;
  size?: unknown;
  root_hash?: unknown;
  checkpoint?: unknown;
  consistency?: unknown;
}

interface Header {
  type?: unknown;
  format?: unknown;
  version?: unknown;
  key_id?: unknown;
  export_key_name?: unknown;
  logs?: unknown;
}

interface Trailer {
  type?: unknown;
  count?: unknown;
  counts?: unknown;
  pending?: unknown;
  digest?: unknown;
  signature?: unknown;
}

/** Files smaller than this are checked in-process: a thread costs more than it saves. */
const THREADED_FROM_BYTES = 32 << 20;
const WORKER_SCRIPT = path.join(__dirname, 'export-verify.worker.js');

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** origin, size and root of a C2SP checkpoint text (already opened with the key), or null. */
export function checkpointFields(text: string): OlderCheckpoint | null {
  const [origin, size, root] = text.split('\n');
  if (!origin || !/^\d{1,15}$/.test(size ?? '') || !/^[A-Za-z0-9+/]{43}=$/.test(root ?? '')) return null;
  return { origin, size: Number(size), root: Buffer.from(root, 'base64') };
}

/** The header's logs, each checkpoint's signature checked with `publicKey` and its fields matched. */
function checkHeader(
  text: string,
  publicKey: KeyObject,
): { header: Header; logs: CheckedLog[]; origins: string[] } {
  const header = parseJson(text) as Header | undefined;
  if (!header || header.type !== 'header' || header.format !== EXPORT_FORMAT) {
    throw new FileDefect(1, `not a ${EXPORT_FORMAT} file: line 1 is not its header`);
  }
  if (header.version !== EXPORT_VERSION) {
    throw new FileDefect(1, `format version ${String(header.version)} is not ${EXPORT_VERSION}`);
  }
  const keyId = keyIdOf(publicKey);
  if (header.key_id !== keyId) {
    throw new FileDefect(
      1,
      `the export names signing key ${String(header.key_id)}, the public key given is ${keyId}`,
    );
  }
  if (!Array.isArray(header.logs)) throw new FileDefect(1, 'the header lists no logs');
  const logs: CheckedLog[] = [];
  const origins: string[] = [];
  (header.logs as HeaderLog[]).forEach((log, rank) => {
    const origin = typeof log.origin === 'string' ? log.origin : '';
    const text = typeof log.checkpoint === 'string' ? openNote(log.checkpoint, origin, publicKey) : null;
    if (!text)
      throw new FileDefect(
        1,
        `the checkpoint of log ${JSON.stringify(log.origin)} is not signed by the given key`,
      );
    const fields = checkpointFields(text);
    if (
      !fields ||
      fields.origin !== origin ||
      fields.size !== log.size ||
      fields.root.toString('base64') !== log.root_hash
    ) {
      throw new FileDefect(
        1,
        `the header's size or root of ${origin} is not what its signed checkpoint says`,
      );
    }
    if (typeof log.category !== 'string' || logs.some((l) => l.category === log.category)) {
      throw new FileDefect(1, `log ${origin} has a missing or repeated category`);
    }
    logs.push({ category: log.category, rank, size: fields.size, root: fields.root });
    origins.push(origin);
  });
  return { header, logs, origins };
}

/** The consistency proofs the auditor's older checkpoints need, each checked against the signed roots. */
function checkConsistency(
  header: Header,
  logs: readonly CheckedLog[],
  origins: readonly string[],
  older: readonly OlderCheckpoint[],
): ExportReport['consistency'] {
  const checked: ExportReport['consistency'] = [];
  for (const old of older) {
    const at = origins.indexOf(old.origin);
    if (at < 0)
      throw new FileDefect(
        1,
        `the export holds no checkpoint of ${old.origin} to compare the older one with`,
      );
    const log = logs[at];
    const proofs = ((header.logs as HeaderLog[])[at].consistency ?? []) as {
      from_size?: unknown;
      from_root?: unknown;
      proof?: unknown;
    }[];
    const entry = Array.isArray(proofs) ? proofs.find((p) => p.from_size === old.size) : undefined;
    if (old.size > log.size) {
      throw new FileDefect(
        1,
        `${old.origin} shrank: the older checkpoint has ${old.size} leaves, the export's ${log.size}`,
      );
    }
    if (!entry && old.size !== log.size) {
      throw new FileDefect(
        1,
        `the export carries no consistency proof of ${old.origin} from size ${old.size}: export again with consistency_from=${log.category}:${old.size}`,
      );
    }
    const proof = Array.isArray(entry?.proof) ? (entry.proof as unknown[]) : [];
    const hashes = proof.map((p) => Buffer.from(typeof p === 'string' ? p : '', 'base64'));
    if (!verifyConsistency(old.size, log.size, hashes, old.root, log.root)) {
      throw new FileDefect(
        1,
        `${old.origin} was not only appended to: no valid consistency proof from the older checkpoint (size ${old.size}) to the export's (size ${log.size})`,
      );
    }
    checked.push({ origin: old.origin, from_size: old.size, to_size: log.size });
  }
  return checked;
}

/** The first line (without its newline) and the offset after it. */
export async function firstLine(file: string): Promise<{ text: string; end: number }> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    for (let at = 0; ;) {
      const block = Buffer.alloc(1 << 16);
      const { bytesRead } = await handle.read(block, 0, block.length, at);
      const nl = block.subarray(0, bytesRead).indexOf(10);
      if (nl >= 0 || bytesRead === 0) {
        chunks.push(block.subarray(0, nl >= 0 ? nl : bytesRead));
        const text = Buffer.concat(chunks).toString('utf8');
        return { text, end: nl >= 0 ? at + nl + 1 : at + bytesRead };
      }
      chunks.push(block.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** The last complete line when it is a trailer: its text and where it starts; else null. */
async function trailerLine(
  file: string,
  size: number,
  from: number,
): Promise<{ text: string; start: number } | null> {
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size - from, 1 << 20);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    if (tail[length - 1] !== 10) return null;
    const start = tail.lastIndexOf(10, length - 2) + 1;
    const text = tail.toString('utf8', start, length - 1);
    return (parseJson(text) as Trailer | undefined)?.type === 'trailer'
      ? { text, start: size - length + start }
      : null;
  } finally {
    await handle.close();
  }
}

/** Splits [start, end) at line starts into at most `parts` ranges. */
async function lineAlignedRanges(
  file: string,
  start: number,
  end: number,
  parts: number,
): Promise<[number, number][]> {
  const cuts = [start];
  const handle = await open(file, 'r');
  try {
    for (let i = 1; i < parts; i++) {
      const guess = Math.max(cuts[cuts.length - 1], Math.floor(start + ((end - start) * i) / parts));
      const probe = Buffer.alloc(1 << 20);
      const { bytesRead } = await handle.read(probe, 0, probe.length, guess);
      const nl = probe.subarray(0, bytesRead).indexOf(10);
      if (nl >= 0 && guess + nl + 1 < end) cuts.push(guess + nl + 1);
    }
  } finally {
    await handle.close();
  }
  cuts.push(end);
  return cuts.slice(1).map((cut, i) => [cuts[i], cut]);
}

function inWorker(file: string, range: [number, number], logs: PortableLog[]): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { file, start: range[0], end: range[1], logs },
      // Every line allocates short-lived objects: a larger young generation spends ~20% less CPU in GC.
      resourceLimits: { maxYoungGenerationSizeMb: 192 },
    });
    worker.once('message', (message: { result?: RangeResult; error?: string }) => {
      if (message.result) resolve({ ...message.result, leafHashes: Buffer.from(message.result.leafHashes) });
      else reject(new Error(message.error ?? 'worker failed'));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/**
 * Joins the ranges' results in file order: each range's first line must follow the previous range's
 * last (order, prev_leaf_index); the first bad line of the file wins.
 */
function joinRanges(results: readonly RangeResult[]): {
  bad: BadLine | null;
  lines: number;
  counts: Record<string, number>;
  leafHashes: Buffer[];
  nodeHashes: number;
} {
  let lineBase = 1; // the header
  let last: RangeResult['last'] = null;
  const lastOfLog = new Map<string, number>();
  const counts: Record<string, number> = {};
  const leafHashes: Buffer[] = [];
  let nodeHashes = 0;
  for (const result of results) {
    const candidates: BadLine[] = result.bad ? [{ ...result.bad, line: result.bad.line + lineBase }] : [];
    const first = result.first;
    if (
      first &&
      last &&
      (last.rank > first.rank || (last.rank === first.rank && last.leaf_index >= first.leaf_index))
    ) {
      candidates.push({
        line: first.line + lineBase,
        event_id: null,
        problem: `out of order: leaf ${first.leaf_index} of ${first.category} follows leaf ${last.leaf_index} of ${last.category} (records reordered or repeated)`,
      });
    }
    for (const position of Object.values(result.firstOfLog)) {
      const previous = lastOfLog.get(position.category) ?? null;
      if (position.prev_leaf_index !== previous) {
        candidates.push({
          line: position.line + lineBase,
          event_id: null,
          problem: missingBefore(position.category, previous, position.prev_leaf_index),
        });
      }
    }
    nodeHashes += result.nodeHashes;
    if (candidates.length > 0) {
      const bad = candidates.reduce((a, b) => (b.line < a.line ? b : a));
      return { bad, lines: lineBase - 1 + result.lines, counts, leafHashes, nodeHashes };
    }
    lineBase += result.lines;
    leafHashes.push(result.leafHashes);
    for (const [category, n] of Object.entries(result.counts)) counts[category] = (counts[category] ?? 0) + n;
    for (const [category, index] of Object.entries(result.lastOfLog)) lastOfLog.set(category, index);
    last = result.last ?? last;
  }
  return { bad: null, lines: lineBase - 1, counts, leafHashes, nodeHashes };
}

/** The signed trailer must count what the file holds and sign the digest of its header and leaves. */
function checkTrailer(
  text: string,
  line: number,
  header: Header,
  headerText: string,
  joined: ReturnType<typeof joinRanges>,
  publicKey: KeyObject,
): number {
  const trailer = parseJson(text) as Trailer | undefined;
  if (!trailer || trailer.type !== 'trailer') throw new FileDefect(line, 'the last line is not the trailer');
  if (trailer.count !== joined.lines) {
    throw new FileDefect(
      line,
      `the trailer counts ${String(trailer.count)} events, the file holds ${joined.lines}: records were deleted or added`,
    );
  }
  const counts = (trailer.counts ?? {}) as Record<string, unknown>;
  const logs = new Set([...Object.keys(counts), ...Object.keys(joined.counts)]);
  for (const category of logs) {
    if ((counts[category] ?? 0) !== (joined.counts[category] ?? 0)) {
      throw new FileDefect(
        line,
        `the trailer counts ${JSON.stringify(counts[category] ?? 0)} events of ${category}, the file holds ${joined.counts[category] ?? 0}`,
      );
    }
  }
  const digest = createHash('sha256').update(headerText, 'utf8');
  for (const hashes of joined.leafHashes) digest.update(hashes);
  const computed = digest.digest();
  const keyName = typeof header.export_key_name === 'string' ? header.export_key_name : '';
  const signed =
    typeof trailer.signature === 'string' ? openNote(trailer.signature, keyName, publicKey) : null;
  const pending = typeof trailer.pending === 'number' ? trailer.pending : -1;
  if (!signed || signed !== exportNoteText(keyName, computed, joined.lines, pending)) {
    throw new FileDefect(
      line,
      'the trailer signature does not cover this header and these records (edited, deleted or reordered lines)',
    );
  }
  return pending;
}

/**
 * Verifies an export with only the public key: the checkpoints' signatures, every line's record, leaf hash
 * and inclusion proof, the order and completeness of the lines, the signed trailer, and consistency
 * proofs from `older` checkpoints. Stops at the first bad line and names it.
 */
export async function verifyExportFile(
  file: string,
  publicKey: KeyObject,
  options: VerifyExportOptions = {},
): Promise<ExportReport> {
  const report: ExportReport = {
    ok: false,
    events: 0,
    counts: {},
    pending: null,
    key_id: null,
    logs: [],
    consistency: [],
    bad: null,
    node_hashes: 0,
    threads: 1,
  };
  try {
    const { size } = await stat(file);
    const head = await firstLine(file);
    const { header, logs, origins } = checkHeader(head.text, publicKey);
    report.key_id = String(header.key_id);
    report.logs = logs.map((log, i) => ({
      category: log.category,
      origin: origins[i],
      size: log.size,
      root_hash: log.root.toString('base64'),
    }));
    report.consistency = checkConsistency(header, logs, origins, options.older ?? []);
    const trailer = await trailerLine(file, size, head.end);
    const end = trailer ? trailer.start : size;
    const large = end - head.end >= THREADED_FROM_BYTES;
    report.threads = options.threads ?? (large ? Math.min(4, availableParallelism()) : 1);
    // Large files always go to worker threads (even one), for their larger young generation.
    const workers = (large || report.threads > 1) && existsSync(WORKER_SCRIPT);
    if (!workers) report.threads = 1;
    const portable = logs.map(portableLog);
    const ranges = await lineAlignedRanges(file, head.end, end, report.threads);
    const results = await Promise.all(
      ranges.map((range) =>
        workers ? inWorker(file, range, portable) : checkRange(file, range[0], range[1], portable),
      ),
    );
    const joined = joinRanges(results);
    report.events = joined.lines;
    report.counts = joined.counts;
    report.node_hashes = joined.nodeHashes;
    if (joined.bad) {
      report.bad = joined.bad;
      return report;
    }
    if (!trailer) throw new FileDefect(joined.lines + 2, 'the file has no trailer: it was cut short');
    report.pending = checkTrailer(trailer.text, joined.lines + 2, header, head.text, joined, publicKey);
    report.ok = true;
  } catch (error) {
    if (!(error instanceof FileDefect)) throw error;
    report.bad = { line: error.line, event_id: error.eventId, problem: error.message };
  }
  return report;
}
