import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { z } from 'zod';

import { isoDateTime, STORABLE_LIMITS, storableString } from '@vigil/contracts';
import { AnyApiKey, RequireScope } from '@vigil/platform';

import { silenceStateAt, type Silence } from '../silences/silence';
import {
  InvalidSilenceError,
  SilenceNotFoundError,
  SilenceService,
  type SilenceCommand,
} from '../silences/silence.service';
import { filterParam, type QueryParams } from './query-params';

const timestamp = isoDateTime('must be an RFC 3339 timestamp');

/**
 * Limits of a silence's fields (Alertmanager has none): far above what amtool and people write, and
 * small enough that matching, redacting and storing one stays cheap on every request that reads it.
 */
export const SILENCE_LIMITS = {
  matchers: 64,
  matcherNameChars: 256,
  matcherValueChars: 2048,
  createdByChars: 256,
  commentChars: 16 * 1024,
} as const;

/** Alertmanager's postableSilence. */
const postableSilenceSchema = z.object({
  id: storableString(STORABLE_LIMITS.indexedTextChars).optional(),
  matchers: z
    .array(
      z.object({
        name: storableString(SILENCE_LIMITS.matcherNameChars),
        value: storableString(SILENCE_LIMITS.matcherValueChars),
        isRegex: z.boolean(),
        isEqual: z.boolean().default(true),
      }),
    )
    .max(SILENCE_LIMITS.matchers),
  startsAt: timestamp,
  endsAt: timestamp,
  createdBy: storableString(SILENCE_LIMITS.createdByChars),
  comment: storableString(SILENCE_LIMITS.commentChars),
});

/** Alertmanager's gettableSilence. */
export interface GettableSilence {
  id: string;
  status: { state: 'pending' | 'active' | 'expired' };
  updatedAt: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/**
 * Alertmanager API v2 silences, as amtool `silence add|query|expire` uses them: reads with any valid
 * key, creating and expiring with scope silences:write.
 */
@Controller('api/v2')
@AnyApiKey()
export class SilencesController {
  constructor(private readonly silences: SilenceService) {}

  @Get('silences')
  async list(@Query() query: QueryParams): Promise<GettableSilence[]> {
    const now = new Date();
    return (await this.silences.list(filterParam(query), now)).map((s) => toGettable(s, now));
  }

  @Post('silences')
  @HttpCode(200)
  @RequireScope('silences:write')
  async post(@Body() body: unknown): Promise<{ silenceID: string }> {
    const parsed = postableSilenceSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadRequestException({
        message: `invalid silence: ${issue.path.join('.') || '(body)'}: ${issue.message}`,
        details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const command: SilenceCommand = {
      id: parsed.data.id || undefined,
      matchers: parsed.data.matchers.map((m) => ({
        name: m.name,
        value: m.value,
        type: m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=',
      })),
      startsAt: new Date(parsed.data.startsAt),
      endsAt: new Date(parsed.data.endsAt),
      createdBy: parsed.data.createdBy,
      comment: parsed.data.comment,
    };
    try {
      return { silenceID: (await this.silences.upsert(command)).id };
    } catch (error) {
      throw translate(error);
    }
  }

  @Get('silence/:id')
  async get(@Param('id') id: string): Promise<GettableSilence> {
    try {
      return toGettable(await this.silences.get(id), new Date());
    } catch (error) {
      throw translate(error);
    }
  }

  @Delete('silence/:id')
  @HttpCode(200)
  @RequireScope('silences:write')
  async expire(@Param('id') id: string): Promise<void> {
    try {
      await this.silences.expire(id);
    } catch (error) {
      throw translate(error);
    }
  }
}

function translate(error: unknown): unknown {
  if (error instanceof InvalidSilenceError) {
    return new BadRequestException({ message: `invalid silence: ${error.message}` });
  }
  if (error instanceof SilenceNotFoundError) return new NotFoundException(error.message);
  return error;
}

function toGettable(silence: Silence, now: Date): GettableSilence {
  return {
    id: silence.id,
    status: { state: silenceStateAt(silence, now) },
    updatedAt: silence.updatedAt.toISOString(),
    matchers: silence.matchers.map((m) => ({
      name: m.name,
      value: m.value,
      isRegex: m.type === '=~' || m.type === '!~',
      isEqual: m.type === '=' || m.type === '=~',
    })),
    startsAt: silence.startsAt.toISOString(),
    endsAt: silence.endsAt.toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
  };
}
