import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { currentContext, errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { ErrorsConfig } from '../config/errors-config';
import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';
import { EnvelopeError, envelopeHeaderOf, parseEnvelope, type EnvelopeItem } from './envelope';
import { accepted, type IntakeAnswer, rateLimited, refusal } from './intake-answer';
import { ERRORS_INTAKE_ITEMS, type ItemOutcome, KNOWN_ITEM_TYPES } from './intake-metrics';
import { IntakeStream } from './intake-stream';
import { type ItemContext, type ItemLimits, type PreparedItem, prepareCheckIn, prepareEvent } from './items';
import { ProjectQuotas, type QuotaCategory, type QuotaRefusal } from './project-quotas';
import { BodyBudget, BodyError, type BodyLimits, readRequestBody } from './request-body';
import { isDsnKey, keyFromDsn, keyFromRequest } from './sentry-auth';

export type IntakeEndpoint = 'store' | 'envelope';

/** An intake request as the controller hands it over: nothing of Express in it. */
export interface IntakeRequest {
  endpoint: IntakeEndpoint;
  projectId: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  body: Readable;
  clientIp?: string;
}

/** An item once its fate is known: what the metrics count and what the answer reports. */
interface Settled {
  type: string;
  outcome: ItemOutcome;
  eventId?: string;
  refusal?: QuotaRefusal;
}

type Planned =
  | { item: EnvelopeItem; prepared: PreparedItem }
  | { item: EnvelopeItem; prepared: { kind: 'counted'; category?: QuotaCategory } };

/**
 * Decides what happens to a Sentry store or envelope request: who sent it (DSN key), how big it may be,
 * which items are published (events to ERRORS, check-ins to health.v1.checkins), which are only counted,
 * which go to ERRORS_DLQ with their reason, and which the project's quota refuses. Answers only after
 * JetStream acknowledged every publish (README "Intake").
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);
  private readonly projectsById: ReadonlyMap<string, ErrorsProject>;
  private readonly projectsByKey: ReadonlyMap<string, ErrorsProject>;
  private readonly quotas = new ProjectQuotas();
  /** What all bodies being read hold together (ERRORS_MAX_BUFFERED_BYTES). */
  private readonly budget: BodyBudget;

  constructor(
    @Inject(ERRORS_PROJECTS) projects: readonly ErrorsProject[],
    @Inject(SERVICE_CONFIG) private readonly config: ErrorsConfig,
    private readonly stream: IntakeStream,
    @InjectMetric(ERRORS_INTAKE_ITEMS) private readonly items: Counter<'project' | 'type' | 'outcome'>,
  ) {
    this.projectsById = new Map(projects.map((p) => [p.id, p]));
    this.projectsByKey = new Map(projects.flatMap((p) => p.keys.map((k) => [k, p] as const)));
    this.budget = new BodyBudget(config.ERRORS_MAX_BUFFERED_BYTES);
  }

  async handle(request: IntakeRequest): Promise<IntakeAnswer> {
    const key = keyFromRequest(singleHeader(request.headers['x-sentry-auth']), request.query);
    // Without a key in the request, only an envelope may still name one (its header's dsn).
    if (key === null && request.endpoint === 'store') return { ...this.unknownKey(), close: true };
    let project: ErrorsProject | IntakeAnswer | null = null;
    if (key !== null) {
      project = this.authorize(key, request.projectId);
      if (!isProject(project)) return { ...project, close: true };
    }
    let body: Buffer;
    try {
      body = await readRequestBody(
        request.body,
        request.headers,
        this.bodyLimits(request.endpoint),
        this.budget,
      );
    } catch (error) {
      return this.unreadable(error);
    }
    try {
      return await this.handleBody(request, project, body);
    } finally {
      this.budget.give(body.length);
    }
  }

  /** The body is read: authenticate by the envelope's dsn if needed, then store or envelope. */
  private async handleBody(
    request: IntakeRequest,
    given: ErrorsProject | null,
    body: Buffer,
  ): Promise<IntakeAnswer> {
    let project = given;
    if (project === null) {
      const dsnKey = keyFromDsn(envelopeHeaderOf(body)?.dsn);
      if (dsnKey === null) return this.unknownKey();
      const owner = this.authorize(dsnKey, request.projectId);
      if (!isProject(owner)) return owner;
      project = owner;
    }
    const context: ItemContext = {
      projectId: project.id,
      receivedAt: new Date().toISOString(),
      ...(request.clientIp === undefined ? {} : { clientIp: request.clientIp }),
    };
    return request.endpoint === 'store'
      ? this.store(project, body, context, request)
      : this.envelope(project, body, context, request);
  }

  /** The project a key may send to; a refusal (401 unknown key, 403 another project's key) otherwise. */
  private authorize(key: string, projectId: string): ErrorsProject | IntakeAnswer {
    const owner = isDsnKey(key) ? this.projectsByKey.get(key) : undefined;
    if (owner === undefined) return this.unknownKey();
    if (owner.id !== projectId) {
      return refusal(403, 'forbidden', `this DSN key belongs to another project than ${projectId}`);
    }
    return owner;
  }

  private unknownKey(): IntakeAnswer {
    return refusal(
      401,
      'unauthorized',
      'unknown or missing DSN key (X-Sentry-Auth sentry_key, ?sentry_key= or the envelope dsn)',
    );
  }

  private bodyLimits(endpoint: IntakeEndpoint): BodyLimits {
    const compressed = this.config.ERRORS_MAX_COMPRESSED_BYTES;
    // A store body is one event: the event limit is its decompressed limit.
    const decompressed =
      endpoint === 'store'
        ? Math.min(this.config.ERRORS_MAX_DECOMPRESSED_BYTES, this.config.ERRORS_MAX_EVENT_BYTES)
        : this.config.ERRORS_MAX_DECOMPRESSED_BYTES;
    return { compressed, decompressed };
  }

  private itemLimits(): ItemLimits {
    return {
      maxEventBytes: this.config.ERRORS_MAX_EVENT_BYTES,
      maxMessageBytes: this.stream.maxEventMessageBytes(),
    };
  }

  private unreadable(error: unknown): IntakeAnswer {
    if (!(error instanceof BodyError)) throw error;
    switch (error.problem) {
      case 'too_large':
        return {
          ...refusal(413, 'payload_too_large', error.message, { limit_bytes: error.limitBytes }),
          close: true,
        };
      case 'unsupported_encoding':
        return { ...refusal(415, 'unsupported_media_type', error.message), close: true };
      case 'corrupt':
        return refusal(400, 'bad_request', error.message);
      case 'aborted':
        return { ...refusal(400, 'bad_request', error.message), close: true };
      case 'busy':
        return refusal(503, 'unavailable', error.message, undefined, { 'Retry-After': '1' });
    }
  }

  /** `/store/`: the body is one event. */
  private async store(
    project: ErrorsProject,
    body: Buffer,
    context: ItemContext,
    request: IntakeRequest,
  ): Promise<IntakeAnswer> {
    const item: EnvelopeItem = { index: 0, type: 'event', header: { type: 'event' }, payload: body };
    const [settled] = await this.settle(
      project,
      [{ item, prepared: prepareEvent(body, context, this.itemLimits()) }],
      request,
    );
    switch (settled.outcome) {
      case 'accepted':
      case 'duplicate':
        return accepted(settled.eventId);
      case 'rate_limited':
        return rateLimited(project.slug, settled.refusal ? [settled.refusal] : []);
      case 'too_large':
        return refusal(
          413,
          'payload_too_large',
          `the event is larger than ${this.config.ERRORS_MAX_EVENT_BYTES} bytes`,
          {
            limit_bytes: this.config.ERRORS_MAX_EVENT_BYTES,
          },
        );
      case 'invalid':
        return refusal(400, 'bad_request', 'the body is not a valid Sentry event (kept in ERRORS_DLQ)');
      case 'failed':
      case 'forwarded':
      case 'counted':
        return this.unavailable();
    }
  }

  /** `/envelope/`: frames the items, refuses the whole envelope only when it cannot be framed or is too large. */
  private async envelope(
    project: ErrorsProject,
    body: Buffer,
    context: ItemContext,
    request: IntakeRequest,
  ): Promise<IntakeAnswer> {
    let items: EnvelopeItem[];
    let header: Record<string, unknown>;
    try {
      ({ header, items } = parseEnvelope(body, { maxItems: this.config.ERRORS_MAX_ENVELOPE_ITEMS }));
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      return this.malformed(project, body, error, request);
    }
    const itemContext: ItemContext = { ...context, envelopeEventId: header.event_id };
    const planned = items.map((item) => this.plan(item, itemContext));
    const oversized = planned.find((p) => p.prepared.kind === 'too_large');
    if (oversized) {
      // The whole envelope is refused (as Relay does): every item in it counts as too large.
      for (const p of planned) this.count(project, p.item.type, 'too_large');
      const limit = oversized.prepared.kind === 'too_large' ? oversized.prepared.limitBytes : 0;
      return refusal(
        413,
        'payload_too_large',
        `item ${oversized.item.index} (${oversized.item.type}) is larger than ${limit} bytes`,
        {
          item: oversized.item.index,
          type: oversized.item.type,
          limit_bytes: limit,
        },
      );
    }
    const settled = await this.settle(project, planned, request);
    if (settled.some((s) => s.outcome === 'failed')) return this.unavailable();
    const refusals = settled.flatMap((s) => (s.refusal ? [s.refusal] : []));
    const delivered = settled.some((s) => ['accepted', 'duplicate', 'forwarded'].includes(s.outcome));
    if (refusals.length > 0 && !delivered) return rateLimited(project.slug, refusals);
    const eventId = settled.find((s) => s.eventId !== undefined)?.eventId;
    return accepted(eventId, refusals);
  }

  private plan(item: EnvelopeItem, context: ItemContext): Planned {
    switch (item.type) {
      case 'event':
        return { item, prepared: prepareEvent(item.payload, context, this.itemLimits()) };
      case 'check_in':
        return { item, prepared: prepareCheckIn(item.payload, context) };
      case 'transaction':
        return { item, prepared: { kind: 'counted', category: 'transaction' } };
      default:
        return { item, prepared: { kind: 'counted' } };
    }
  }

  /** Applies quotas, then publishes every item that needs it, at once; counts every outcome. */
  private async settle(
    project: ErrorsProject,
    planned: readonly Planned[],
    request: IntakeRequest,
  ): Promise<Settled[]> {
    const settled = await Promise.all(planned.map((p) => this.settleOne(project, p, request)));
    for (const s of settled) this.count(project, s.type, s.outcome);
    return settled;
  }

  private async settleOne(
    project: ErrorsProject,
    { item, prepared }: Planned,
    request: IntakeRequest,
  ): Promise<Settled> {
    const type = item.type;
    // Events count against the quota whether valid or not: a flood of junk is a flood too.
    const category: QuotaCategory | undefined =
      item.type === 'event' ? 'error' : prepared.kind === 'counted' ? prepared.category : undefined;
    if (category !== undefined) {
      const refused = this.quotas.take(project, category);
      if (refused) return { type, outcome: 'rate_limited', refusal: refused };
    }
    try {
      switch (prepared.kind) {
        case 'event': {
          const { duplicate } = await this.stream.publishEvent(
            project.id,
            prepared.eventId,
            prepared.message,
          );
          return { type, outcome: duplicate ? 'duplicate' : 'accepted', eventId: prepared.eventId };
        }
        case 'check_in':
          await this.stream.publishCheckIn(prepared.checkIn);
          return { type, outcome: 'forwarded' };
        case 'invalid':
          await this.stream.deadLetter({
            reason: prepared.reason,
            detail: prepared.detail,
            data: item.payload,
            origin: originOf(request),
            reference: `${referenceOf()}:item:${item.index}`,
          });
          this.logger.warn(
            {
              project: project.slug,
              item: item.index,
              type,
              reason: prepared.reason,
              detail: prepared.detail,
            },
            'intake item sent to ERRORS_DLQ',
          );
          return { type, outcome: 'invalid' };
        case 'too_large':
          return { type, outcome: 'too_large' };
        case 'counted':
          return { type, outcome: 'counted' };
      }
    } catch (error) {
      if (category !== undefined) this.quotas.refund(project, category);
      this.logger.error(
        { project: project.slug, item: item.index, type, error: errorMessage(error) },
        'intake publish not acknowledged',
      );
      return { type, outcome: 'failed' };
    }
  }

  /** An envelope that cannot be framed: kept whole in ERRORS_DLQ with the reason, answered 400. */
  private async malformed(
    project: ErrorsProject,
    body: Buffer,
    error: EnvelopeError,
    request: IntakeRequest,
  ): Promise<IntakeAnswer> {
    if (error.problem === 'too_many_items') {
      this.count(project, 'envelope', 'too_large');
      return refusal(413, 'payload_too_large', error.message, {
        limit_items: this.config.ERRORS_MAX_ENVELOPE_ITEMS,
      });
    }
    const refused = this.quotas.take(project, 'error');
    if (refused) {
      this.count(project, 'envelope', 'rate_limited');
      return rateLimited(project.slug, [refused]);
    }
    try {
      await this.stream.deadLetter({
        reason: 'envelope_malformed',
        detail: `${error.problem}: ${error.message}`,
        data: body,
        origin: originOf(request),
        reference: referenceOf(),
      });
    } catch (failure) {
      this.count(project, 'envelope', 'failed');
      this.logger.error(
        { project: project.slug, error: errorMessage(failure) },
        'malformed envelope not stored in ERRORS_DLQ',
      );
      return this.unavailable();
    }
    this.count(project, 'envelope', 'invalid');
    this.logger.warn(
      { project: project.slug, problem: error.problem, detail: error.message },
      'malformed envelope sent to ERRORS_DLQ',
    );
    return refusal(400, 'bad_request', `malformed envelope: ${error.message} (kept in ERRORS_DLQ)`, {
      problem: error.problem,
    });
  }

  private unavailable(): IntakeAnswer {
    return refusal(503, 'unavailable', 'the event could not be stored now; retry later', undefined, {
      'Retry-After': '5',
    });
  }

  private count(project: ErrorsProject, type: string, outcome: ItemOutcome): void {
    this.items.inc({ project: project.slug, type: KNOWN_ITEM_TYPES.has(type) ? type : 'unknown', outcome });
  }
}

function isProject(value: ErrorsProject | IntakeAnswer): value is ErrorsProject {
  return 'keys' in value;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function originOf(request: IntakeRequest): string {
  return `POST /api/${request.projectId}/${request.endpoint}/`;
}

/** `http:<request id>`: finds the request's log lines. */
function referenceOf(): string {
  return `http:${currentContext()?.requestId ?? 'unknown'}`;
}
