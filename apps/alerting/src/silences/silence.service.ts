import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { redact } from '@vigil/redaction';

import type { Transaction } from '../model/alert.repository';

import {
  compileMatcher,
  MatcherSyntaxError,
  type CompiledMatcher,
  type LabelMatcher,
} from '../matchers/label-matcher';
import { SilenceMatcherCache, silenceStateAt, type Silence, type SilenceMatcher } from './silence';
import { SilenceRepository } from './silence.repository';

export interface SilenceCommand {
  id?: string;
  matchers: LabelMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

/** A silence that cannot be stored, with the reason (a 400 for the API). */
export class InvalidSilenceError extends Error {}
/** No silence has this id (a 404 for the API). */
export class SilenceNotFoundError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** State order of `GET /silences`, as Alertmanager sorts them. */
const STATE_ORDER = { active: 0, pending: 1, expired: 2 } as const;

/**
 * Creates, updates, expires and lists silences with Alertmanager's rules: at least one matcher that
 * does not match the empty string, endsAt after startsAt and not in the past, a creator and a comment.
 * Updating a silence that already expired creates a new one, as Alertmanager does.
 */
@Injectable()
export class SilenceService {
  private readonly logger = new Logger(SilenceService.name);
  private lastRead: { matcher: SilenceMatcher; signature: string } | null = null;
  private readonly compiled = new SilenceMatcherCache();
  /** Silences already logged as uncompilable, so each is logged once, not on every read. */
  private readonly reportedUncompilable = new Set<string>();

  constructor(private readonly silences: SilenceRepository) {}

  async upsert(command: SilenceCommand, now = new Date()): Promise<Silence> {
    validate(command, now);
    this.lastRead = null;
    const fields = redact({
      matchers: command.matchers,
      startsAt: command.startsAt < now ? now : command.startsAt,
      endsAt: command.endsAt,
      createdBy: command.createdBy,
      comment: command.comment,
    });
    if (command.id !== undefined) {
      const existing = UUID.test(command.id) ? await this.silences.find(command.id) : null;
      if (!existing) throw new SilenceNotFoundError(`silence ${command.id} not found`);
      if (silenceStateAt(existing, now) !== 'expired') {
        const startsAt = silenceStateAt(existing, now) === 'active' ? existing.startsAt : fields.startsAt;
        const updated = await this.silences.update({ ...fields, startsAt, id: existing.id });
        if (updated) {
          this.logger.log({ silence_id: updated.id, created_by: updated.createdBy }, 'silence updated');
          return updated;
        }
      }
    }
    const created = await this.silences.insert({ ...fields, id: randomUUID() });
    this.logger.log(
      { silence_id: created.id, created_by: created.createdBy, ends_at: created.endsAt.toISOString() },
      'silence created',
    );
    return created;
  }

  async get(id: string): Promise<Silence> {
    const silence = UUID.test(id) ? await this.silences.find(id) : null;
    if (!silence) throw new SilenceNotFoundError(`silence ${id} not found`);
    return silence;
  }

  /** Ends a silence now; a pending one never starts. Expiring an expired silence changes nothing. */
  async expire(id: string, now = new Date()): Promise<void> {
    const silence = await this.get(id);
    const state = silenceStateAt(silence, now);
    if (state === 'expired') return;
    this.lastRead = null;
    await this.silences.update({
      ...silence,
      startsAt: state === 'pending' ? now : silence.startsAt,
      endsAt: now,
    });
    this.logger.log({ silence_id: id }, 'silence expired');
  }

  /**
   * Every silence, filtered like Alertmanager's `filter=`: each filter matcher must accept the value
   * the silence's own matchers give that label name. Active first, then pending, then expired.
   */
  async list(filter: readonly CompiledMatcher[], now = new Date()): Promise<Silence[]> {
    const all = await this.silences.all();
    return all
      .filter((silence) => {
        const values = Object.fromEntries(silence.matchers.map((m) => [m.name, m.value]));
        return filter.every((f) => f.test(values[f.name] ?? ''));
      })
      .sort((a, b) => {
        const sa = silenceStateAt(a, now);
        const sb = silenceStateAt(b, now);
        if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
        if (sa === 'pending') return a.startsAt.getTime() - b.startsAt.getTime();
        if (sa === 'expired') return b.endsAt.getTime() - a.endsAt.getTime();
        return a.endsAt.getTime() - b.endsAt.getTime();
      });
  }

  /** The silences in force now, ready to match alerts (read in `tx` when given). */
  async matcherAt(now = new Date(), tx?: Transaction): Promise<SilenceMatcher> {
    const { silences, signature } = await this.silences.active(now, tx);
    const matcher = this.compiled.matcherFor(silences);
    this.reportUncompilable(matcher);
    this.lastRead = { matcher, signature };
    return matcher;
  }

  private reportUncompilable(matcher: SilenceMatcher): void {
    for (const id of matcher.uncompilable) {
      if (this.reportedUncompilable.has(id)) continue;
      this.reportedUncompilable.add(id);
      this.logger.warn(
        { silence_id: id },
        'silence mutes nothing: a matcher is not valid RE2; expire or recreate it',
      );
    }
  }

  /**
   * The silences in force as last read here, with their signature (SILENCES_IN_FORCE_SIGNATURE): a
   * writer that decides with them checks, in its transaction, that they are still the ones in force.
   * Null before the first read and after a change made here.
   */
  lastInForce(): { matcher: SilenceMatcher; signature: string } | null {
    return this.lastRead;
  }
}

function validate(command: SilenceCommand, now: Date): void {
  if (command.matchers.length === 0) throw new InvalidSilenceError('at least one matcher is required');
  let compiled: CompiledMatcher[];
  try {
    compiled = command.matchers.map(compileMatcher);
  } catch (error) {
    if (error instanceof MatcherSyntaxError) throw new InvalidSilenceError(error.message);
    throw error;
  }
  if (compiled.every((m) => m.test(''))) {
    throw new InvalidSilenceError('at least one matcher must not match the empty string');
  }
  if (command.endsAt <= command.startsAt) throw new InvalidSilenceError('endsAt must be after startsAt');
  if (command.endsAt <= now) throw new InvalidSilenceError('endsAt must not be in the past');
  if (!command.createdBy.trim()) throw new InvalidSilenceError('createdBy is required');
  if (!command.comment.trim()) throw new InvalidSilenceError('comment is required');
}
