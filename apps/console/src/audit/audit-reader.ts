import { Injectable } from '@nestjs/common';

import { errorMessage } from '@vigil/platform';

import type { ConsoleSession } from '../session/console-session';
import { UpstreamClient, UpstreamError, type QueryValue } from '../upstream/upstream.client';
import type {
  ConsistencyProof,
  DetectionPage,
  EventDetail,
  EventPage,
  InclusionProof,
  LogCheckpoint,
  PublicKey,
  ReportRun,
  VerifyReport,
} from './audit-api';
import type { ProofState } from './event.page';
import { checkGrowth, checkInclusion } from './inclusion-check';
import type { GrowthResult } from './verify.page';
import { PRIVACY_REPORT } from './detections.page';

/** Reads of the audit (and reporting) APIs the audit pages make, as the signed-in person. */
@Injectable()
export class AuditReader {
  constructor(private readonly upstream: UpstreamClient) {}

  search(session: ConsoleSession, query: Record<string, QueryValue>, limit = 50): Promise<EventPage> {
    return this.upstream.json<EventPage>(session, 'audit', {
      path: '/audit/events',
      query: { ...query, limit },
    });
  }

  event(session: ConsoleSession, id: string): Promise<EventDetail> {
    return this.upstream.json<EventDetail>(session, 'audit', {
      path: `/audit/events/${encodeURIComponent(id)}`,
    });
  }

  verify(session: ConsoleSession, from: string | undefined, to: string | undefined): Promise<VerifyReport> {
    return this.upstream.json<VerifyReport>(session, 'audit', { path: '/audit/verify', query: { from, to } });
  }

  detections(
    session: ConsoleSession,
    rule: string | undefined,
    cursor: string | undefined,
  ): Promise<DetectionPage> {
    return this.upstream.json<DetectionPage>(session, 'audit', {
      path: '/audit/detections',
      query: { rule, cursor, limit: 50 },
    });
  }

  /** The archived runs of the monthly privacy report, newest first, or why they cannot be listed. */
  async privacyReports(session: ConsoleSession): Promise<ReportRun[] | string> {
    try {
      const answer = await this.upstream.json<{ runs: ReportRun[] }>(session, 'reporting', {
        path: '/reports',
        query: { limit: 200 },
      });
      return answer.runs.filter((run) => run.report === PRIVACY_REPORT).slice(0, 12);
    } catch (error) {
      return error instanceof UpstreamError ? `Reports unavailable: ${error.message}` : errorMessage(error);
    }
  }

  /**
   * The event's place in its Merkle log, checked here: the latest checkpoint, an inclusion proof in a tree
   * of that size and the public key are fetched in parallel; a proof for another size (the log grew
   * in between) is fetched again for the checkpoint's size.
   */
  async proofOf(session: ConsoleSession, detail: EventDetail): Promise<ProofState> {
    const log = `/audit/log/${encodeURIComponent(detail.category)}`;
    const proofAt = (treeSize?: number) =>
      this.upstream.json<InclusionProof>(session, 'audit', {
        path: `${log}/proof/inclusion`,
        query: { event_id: detail.event.id, tree_size: treeSize },
      });
    try {
      const [checkpoint, first, key] = await Promise.all([
        this.upstream.json<LogCheckpoint>(session, 'audit', { path: `${log}/checkpoint` }),
        proofAt().catch(() => null),
        this.upstream.json<PublicKey>(session, 'audit', { path: '/audit/checkpoints/public-key' }),
      ]);
      if (detail.seq > checkpoint.size) {
        return {
          kind: 'pending',
          message: `the ${detail.category} log’s latest checkpoint holds ${checkpoint.size} records; reload shortly`,
        };
      }
      const proof =
        first !== null && first.tree_size === checkpoint.size ? first : await proofAt(checkpoint.size);
      const verdict = checkInclusion({
        record: {
          category: detail.category,
          event: detail.stored_event ?? detail.event,
          id: detail.event.id,
          received_at: detail.received_at,
          seq: detail.seq,
        },
        proof,
        checkpoint,
        publicKeyPem: key.public_key_pem,
      });
      if (!verdict.ok) return { kind: 'failed', reason: verdict.reason };
      return {
        kind: 'verified',
        category: detail.category,
        leafIndex: proof.leaf_index,
        size: verdict.size,
        root: verdict.root,
        keyName: checkpoint.key_name,
        signedAt: checkpoint.created_at ?? null,
        checkedAt: new Date().toISOString(),
        developmentKey: key.development_key === true,
      };
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404)
        return { kind: 'pending', message: error.message };
      return {
        kind: 'unavailable',
        message: error instanceof UpstreamError ? error.message : errorMessage(error),
      };
    }
  }

  /**
   * Whether a log of `first` leaves grew append-only into the latest signed checkpoint: the consistency
   * proof is checked here against the signed root, and against the root the person holds when given.
   */
  async growth(
    session: ConsoleSession,
    category: string,
    first: number,
    heldRoot: string | undefined,
  ): Promise<GrowthResult> {
    const log = `/audit/log/${encodeURIComponent(category)}`;
    const [checkpoint, key] = await Promise.all([
      this.upstream.json<LogCheckpoint>(session, 'audit', { path: `${log}/checkpoint` }),
      this.upstream.json<PublicKey>(session, 'audit', { path: '/audit/checkpoints/public-key' }),
    ]);
    const proof = await this.upstream.json<ConsistencyProof>(session, 'audit', {
      path: `${log}/proof/consistency`,
      query: { first, second: checkpoint.size },
    });
    const firstRoot = heldRoot ?? proof.first_root;
    const verdict = checkGrowth({
      first,
      firstRoot: Buffer.from(firstRoot, 'hex'),
      proof: proof.proof.map((hash) => Buffer.from(hash, 'hex')),
      checkpoint,
      publicKeyPem: key.public_key_pem,
    });
    return {
      category,
      first,
      firstRoot,
      held: heldRoot !== undefined,
      signedAt: checkpoint.created_at ?? null,
      ...(verdict.ok
        ? { ok: true, second: verdict.size, secondRoot: verdict.root }
        : { ok: false, reason: verdict.reason }),
    };
  }
}
