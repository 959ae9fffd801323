import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import {
  checkpointFields,
  firstLine,
  verifyExportFile,
  type ExportReport,
  type OlderCheckpoint,
} from '../export/export-verifier';
import { openNote } from '../model/signed-note';
import { parsePublicKey } from '../model/checkpoint-signer';
import type { CliIo } from './verify-command';

// No @vigil/platform here: an auditor's verifier starts in milliseconds, without the service's framework.
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const VERIFY_EXPORT_USAGE =
  'usage: vigil-audit verify-export <export.ndjson> --public-key <PEM, base64 SPKI, or a file holding either or GET /audit/checkpoints/public-key> [--consistency-from <older export, checkpoint JSON or signed note file>]... [--threads <n>] [--json]';

/** The key as text, or read from a file (PEM, base64 SPKI, or the JSON of GET /audit/checkpoints/public-key). */
export function publicKeyArgument(value: string): KeyObject {
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed) as { public_key_pem?: unknown };
    if (typeof json.public_key_pem !== 'string')
      throw new Error('the key file holds JSON without public_key_pem');
    return parsePublicKey(json.public_key_pem);
  }
  return parsePublicKey(trimmed);
}

/**
 * The older checkpoints in a file: an earlier export (its header's checkpoints), the JSON of GET
 * /audit/log/:category/checkpoint, or a signed note; each signature is checked with the key.
 */
export async function olderCheckpoints(file: string, publicKey: KeyObject): Promise<OlderCheckpoint[]> {
  // Only the first line of an export is read: an older export may be gigabytes.
  const first = (await firstLine(file)).text.trim();
  const notes: { origin: string; note: string }[] = [];
  if (first.startsWith('{')) {
    const json = JSON.parse(first) as {
      logs?: { origin: string; checkpoint: string }[];
      origin?: string;
      note?: string;
    };
    if (Array.isArray(json.logs))
      notes.push(...json.logs.map((l) => ({ origin: l.origin, note: l.checkpoint })));
    else if (typeof json.origin === 'string' && typeof json.note === 'string') {
      notes.push({ origin: json.origin, note: json.note });
    }
  } else {
    notes.push({ origin: first, note: readFileSync(file, 'utf8') });
  }
  if (notes.length === 0) throw new Error(`${file} holds no checkpoint`);
  return notes.map(({ origin, note }) => {
    const opened = openNote(note, origin, publicKey);
    const fields = opened ? checkpointFields(opened) : null;
    if (!fields) throw new Error(`the checkpoint of ${origin} in ${file} is not signed by the given key`);
    return fields;
  });
}

export function describeExport(file: string, report: ExportReport): string {
  if (!report.ok) {
    const bad = report.bad;
    return `EXPORT REJECTED: ${file} line ${bad?.line ?? '?'}${bad?.event_id ? ` (event ${bad.event_id})` : ''}: ${bad?.problem ?? 'unknown'}`;
  }
  const logs = report.logs.map((l) => `${l.origin} size ${l.size} root ${l.root_hash}`).join('; ');
  const counts = Object.entries(report.counts)
    .map(([category, n]) => `${category} ${n}`)
    .join(', ');
  const lines = [
    `export verified: ${report.events} events${counts ? ` (${counts})` : ''}, each included in its log's checkpoint signed by key ${report.key_id}: ${logs || 'no logs'}`,
  ];
  for (const c of report.consistency)
    lines.push(
      `append-only: ${c.origin} grew from ${c.from_size} to ${c.to_size} leaves (consistency proof verified)`,
    );
  if (report.pending)
    lines.push(
      `note: ${report.pending} matching event(s) were stored after these checkpoints and are not in the export`,
    );
  return lines.join('\n');
}

/** `verify-export`: exit 0 verified, 1 a bad record or file (first one named), 2 usage or I/O error. */
export async function runVerifyExport(argv: readonly string[], io: CliIo): Promise<number> {
  let file: string;
  let publicKey: KeyObject;
  let older: OlderCheckpoint[];
  let threads: number | undefined;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'public-key': { type: 'string' },
        'consistency-from': { type: 'string', multiple: true },
        threads: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new Error('name one export file');
    if (!values['public-key']) throw new Error('--public-key is required');
    [file] = positionals;
    if (!existsSync(file)) throw new Error(`no file ${file}`);
    publicKey = publicKeyArgument(values['public-key']);
    older = [];
    for (const f of values['consistency-from'] ?? []) older.push(...(await olderCheckpoints(f, publicKey)));
    threads = values.threads === undefined ? undefined : Number(values.threads);
    if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64)) {
      throw new Error('--threads must be an integer from 1 to 64');
    }
    json = values.json ?? false;
  } catch (error) {
    io.err(`${errorMessage(error)}\n${VERIFY_EXPORT_USAGE}`);
    return 2;
  }
  try {
    const started = performance.now();
    const report = await verifyExportFile(file, publicKey, { older, threads });
    const seconds = (performance.now() - started) / 1000;
    // CPU of every thread of this process: on a shared machine the wall time says more about the others.
    const { user, system } = process.cpuUsage();
    const cpu_seconds = (user + system) / 1e6;
    io.out(
      json ? JSON.stringify({ ...report, seconds, cpu_seconds }, null, 2) : describeExport(file, report),
    );
    return report.ok ? 0 : 1;
  } catch (error) {
    io.err(`verify-export failed: ${errorMessage(error)}`);
    return 2;
  }
}
