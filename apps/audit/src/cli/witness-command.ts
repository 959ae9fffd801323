import { createPublicKey, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';

import { errorMessage } from '@vigil/platform';

import type { AuditCliConfig } from '../config/cli-config';
import { parsePrivateKey, parsePublicKey } from '../model/checkpoint-signer';
import {
  cosignatureLine,
  parseCheckpointText,
  parseVerifierKey,
  verifierKeyText,
  type CheckpointText,
} from '../model/cosignature';
import { COSIGNATURE_TYPE, ED25519_TYPE, openNote } from '../model/signed-note';
import { verifyConsistency } from '../merkle/rfc6962';
import type { CliIo } from './verify-command';

export const WITNESS_USAGE = [
  'usage: vigil-audit witness --log <url> --category <category> --log-key <vkey|PEM|@file>',
  '         --key-file <witness Ed25519 private key> --name <witness key name> --state <file>',
  '       vigil-audit witness --print-vkey --key-file <file> --name <witness key name>',
  '  (env: AUDIT_API_KEY, a key with scopes audit:read and audit:publish)',
].join('\n');

/** Exit codes: cosigned; refused (fork, shrink, bad signature or proof); usage or I/O error. */
export const WITNESS_EXIT = { cosigned: 0, refused: 1, error: 2 } as const;

/** What the witness remembers of a log: the largest checkpoint it cosigned, with its cosignature. */
export interface WitnessState {
  origin: string;
  size: number;
  root_hash: string;
  note: string;
}

export type HttpFetch = (url: string, init?: RequestInit) => Promise<Response>;

interface WitnessArgs {
  log: string;
  category: string;
  logKey: { name: string | null; publicKey: KeyObject };
  witness: { name: string; privateKey: KeyObject; publicKey: KeyObject };
  state: string;
}

class UsageError extends Error {}

/** Text of an option given inline or, as `@path`, read from a file. */
async function inlineOrFile(value: string): Promise<string> {
  return value.startsWith('@') ? fs.readFile(value.slice(1), 'utf8') : value;
}

/** The log's key: a note verifier key (its name is the log's origin) or a PEM / base64 SPKI Ed25519 key. */
function logKeyOf(text: string): WitnessArgs['logKey'] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('-----BEGIN') && /^[^\s+]+\+[0-9a-fA-F]{8}\+/.test(trimmed)) {
    const key = parseVerifierKey(trimmed);
    if (key.type !== ED25519_TYPE) throw new UsageError('--log-key must be a log key (type 0x01)');
    return { name: key.name, publicKey: key.publicKey };
  }
  return { name: null, publicKey: parsePublicKey(trimmed) };
}

async function witnessKey(keyFile: string | undefined, name: string | undefined) {
  if (!keyFile || !name) throw new UsageError('--key-file and --name are required');
  const privateKey = parsePrivateKey(await fs.readFile(keyFile, 'utf8'));
  return { name, privateKey, publicKey: createPublicKey(privateKey) };
}

const hex = (b: Buffer) => b.toString('hex');

/** Writes the state atomically (a crash leaves the old one or the new one, never half a file). */
async function saveState(file: string, state: WitnessState): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

async function loadState(file: string): Promise<WitnessState | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as WitnessState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`state file ${file}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Why a witness refuses the new checkpoint after `state`, or null when it is consistent. */
type Verdict = { reason: 'fork' | 'shrink' | 'inconsistent_proof'; message: string } | null;

/**
 * A witness of the audit service's Merkle logs (C2SP tlog-witness semantics over the service's own
 * API): fetches the latest checkpoint, checks the log's signature, checks it is an append-only
 * extension of the last checkpoint this witness cosigned (a consistency proof), and cosigns it
 * (C2SP tlog-cosignature/v1) or refuses it. The state file is advanced before the cosignature is
 * posted: what the witness signed is what it vouches for, posted or not.
 */
export async function runWitness(
  argv: readonly string[],
  config: AuditCliConfig,
  io: CliIo,
  http: HttpFetch = fetch,
  now: () => number = () => Math.floor(Date.now() / 1000),
): Promise<number> {
  let args: WitnessArgs;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        log: { type: 'string' },
        category: { type: 'string' },
        'log-key': { type: 'string' },
        'key-file': { type: 'string' },
        name: { type: 'string' },
        state: { type: 'string' },
        'print-vkey': { type: 'boolean' },
      },
    });
    const witness = await witnessKey(values['key-file'], values.name);
    if (values['print-vkey']) {
      io.out(verifierKeyText(witness.name, witness.publicKey, COSIGNATURE_TYPE));
      return WITNESS_EXIT.cosigned;
    }
    if (!values.log || !values.category || !values['log-key'] || !values.state) {
      throw new UsageError('--log, --category, --log-key and --state are required');
    }
    args = {
      log: values.log.replace(/\/+$/, ''),
      category: values.category,
      logKey: logKeyOf(await inlineOrFile(values['log-key'])),
      witness,
      state: values.state,
    };
  } catch (error) {
    io.err(`${errorMessage(error)}\n${WITNESS_USAGE}`);
    return WITNESS_EXIT.error;
  }
  try {
    return await witnessOnce(args, new LogClient(args, config, http), io, now);
  } catch (error) {
    io.err(`witness failed: ${errorMessage(error)}`);
    return WITNESS_EXIT.error;
  }
}

async function witnessOnce(
  args: WitnessArgs,
  client: LogClient,
  io: CliIo,
  now: () => number,
): Promise<number> {
  const { note } = await client.get<{ note: string }>('checkpoint');
  const checkpoint = parseCheckpointText(note.split('\n\n')[0] + '\n');
  const origin = args.logKey.name ?? checkpoint?.origin;
  const text = checkpoint && origin ? openNote(note, origin, args.logKey.publicKey) : null;
  if (!checkpoint || !text || checkpoint.origin !== origin) {
    io.err(
      `REFUSED: the checkpoint of ${args.category} is not signed by the log key (origin ${origin ?? '?'})`,
    );
    return WITNESS_EXIT.refused;
  }
  const state = await loadState(args.state);
  if (state && state.origin !== checkpoint.origin) {
    throw new Error(`state file ${args.state} belongs to ${state.origin}, not ${checkpoint.origin}`);
  }
  const verdict = state ? await judge(state, checkpoint, client) : null;
  if (verdict) {
    io.err(`REFUSED ${checkpoint.origin}: ${verdict.message}`);
    await client
      .post('refusals', {
        witness: args.witness.name,
        reason: verdict.reason,
        detail: verdict.message,
        previous: state?.note,
        latest: note,
      })
      .then(
        () => io.err('refusal reported to the log (AuditIntegrityBroken)'),
        (error: unknown) => io.err(`refusal not reported: ${errorMessage(error)}`),
      );
    return WITNESS_EXIT.refused;
  }
  const cosigned = `${note}${cosignatureLine(text, args.witness, now())}\n`;
  await saveState(args.state, {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root_hash: hex(checkpoint.root),
    note: cosigned,
  });
  const answer = await client.post<{ final: boolean; cosignatures: unknown[] }>('cosignatures', {
    note: cosigned,
  });
  io.out(
    `cosigned ${checkpoint.origin} size ${checkpoint.size} root ${hex(checkpoint.root)} (${answer.cosignatures.length} cosignature(s), final: ${answer.final})`,
  );
  return WITNESS_EXIT.cosigned;
}

/** Compares the new checkpoint with the one last cosigned; a larger tree must prove it extends it. */
async function judge(state: WitnessState, next: CheckpointText, client: LogClient): Promise<Verdict> {
  const was = `size ${state.size} with root ${state.root_hash}`;
  const now = `size ${next.size} with root ${hex(next.root)}`;
  if (next.size < state.size) {
    return { reason: 'shrink', message: `the log shrank: it shows ${now}, this witness cosigned ${was}` };
  }
  if (next.size === state.size) {
    return hex(next.root) === state.root_hash
      ? null
      : { reason: 'fork', message: `fork: the log shows ${now}, this witness cosigned ${was}` };
  }
  const { proof } = await client.get<{ proof: string[] }>(
    `proof/consistency?first=${state.size}&second=${next.size}`,
  );
  const consistent = verifyConsistency(
    state.size,
    next.size,
    proof.map((p) => Buffer.from(p, 'hex')),
    Buffer.from(state.root_hash, 'hex'),
    next.root,
  );
  return consistent
    ? null
    : {
        reason: 'inconsistent_proof',
        message: `fork: ${now} is not an extension of ${was} (the consistency proof fails)`,
      };
}

/** The audit service's log API for one category, with the witness's API key. */
class LogClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    args: WitnessArgs,
    config: AuditCliConfig,
    private readonly http: HttpFetch,
  ) {
    this.base = `${args.log}/audit/log/${encodeURIComponent(args.category)}`;
    this.headers = config.AUDIT_API_KEY ? { authorization: `Bearer ${config.AUDIT_API_KEY}` } : {};
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>(path, { headers: this.headers });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async call<T>(path: string, init: RequestInit): Promise<T> {
    const res = await this.http(`${this.base}/${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}
