import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { z } from 'zod';

import { isoDateTimeSchema } from '@vigil/contracts';
import { AnyApiKey, RequireScope } from '@vigil/platform';

import type { Episode, HistoryEntry } from '../episodes/episode.repository';
import {
  AlertNotFiringError,
  AlertNotFoundError,
  IncidentService,
  type IncidentAction,
} from './incident.service';

const actionBodySchema = z.object({
  who: z.string().trim().min(1, 'who is required').max(200),
  comment: z.string().max(2000).optional(),
});

const historyQuerySchema = z.object({
  fingerprint: z.string().optional(),
  alertname: z.string().optional(),
  severity: z.string().optional(),
  event: z
    .enum(['fired', 'resolved', 'acknowledged', 'resolved_manually', 'false_positive', 'escalated'])
    .optional(),
  actor: z.string().optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * Vigil's additions to the Alertmanager API: acknowledge, resolve, false positive (scope alerts:ack),
 * and history (any valid key).
 */
@Controller()
@AnyApiKey()
export class IncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Post('api/v2/alerts/:fingerprint/ack')
  @HttpCode(200)
  @RequireScope('alerts:ack')
  acknowledge(@Param('fingerprint') fingerprint: string, @Body() body: unknown) {
    return this.act(fingerprint, 'acknowledge', body);
  }

  @Post('api/v2/alerts/:fingerprint/resolve')
  @HttpCode(200)
  @RequireScope('alerts:ack')
  resolve(@Param('fingerprint') fingerprint: string, @Body() body: unknown) {
    return this.act(fingerprint, 'resolve', body);
  }

  @Post('api/v2/alerts/:fingerprint/false-positive')
  @HttpCode(200)
  @RequireScope('alerts:ack')
  falsePositive(@Param('fingerprint') fingerprint: string, @Body() body: unknown) {
    return this.act(fingerprint, 'false_positive', body);
  }

  /** Every state change, newest first, filtered by fingerprint, alertname, severity, event, actor, time. */
  @Get('alerts/history')
  async history(@Query() query: unknown): Promise<{ events: ReturnType<typeof toHistoryJson>[] }> {
    const parsed = historyQuerySchema.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadRequestException({ message: `invalid query: ${issue.path.join('.')}: ${issue.message}` });
    }
    const q = parsed.data;
    const entries = await this.incidents.history({
      ...q,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
    return { events: entries.map(toHistoryJson) };
  }

  private async act(fingerprint: string, action: IncidentAction, body: unknown) {
    const parsed = actionBodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new BadRequestException({ message: `invalid body: ${parsed.error.issues[0].message}` });
    }
    try {
      const episode = await this.incidents.apply({
        fingerprint,
        action,
        who: parsed.data.who,
        comment: parsed.data.comment ?? null,
      });
      return toEpisodeJson(episode);
    } catch (error) {
      if (error instanceof AlertNotFoundError) throw new NotFoundException(error.message);
      if (error instanceof AlertNotFiringError) throw new ConflictException(error.message);
      throw error;
    }
  }
}

function toEpisodeJson(episode: Episode) {
  return {
    fingerprint: episode.fingerprint,
    alertname: episode.alertname,
    severity: episode.severity,
    startsAt: episode.startsAt.toISOString(),
    acknowledgedAt: episode.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: episode.acknowledgedBy,
    resolvedAt: episode.resolvedAt?.toISOString() ?? null,
    resolvedBy: episode.resolvedBy,
    falsePositive: episode.falsePositive,
    escalation: {
      policy: episode.escalationPolicy,
      step: episode.escalationStep,
      nextAt: episode.nextEscalationAt?.toISOString() ?? null,
    },
  };
}

function toHistoryJson(entry: HistoryEntry) {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    event: entry.event,
    actor: entry.actor,
    fingerprint: entry.fingerprint,
    alertname: entry.alertname,
    severity: entry.severity,
    episodeStartsAt: entry.episodeStartsAt.toISOString(),
    comment: entry.comment,
    details: entry.details,
  };
}
