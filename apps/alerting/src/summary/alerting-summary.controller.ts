import { BadRequestException, Controller, Get, Query } from '@nestjs/common';

import { summaryRequestV1Schema, type AlertingSummaryReplyV1 } from '@vigil/contracts';
import { AnyApiKey } from '@vigil/platform';

import { AlertingSummaryResponder } from './alerting-summary.responder';

const DAY_MS = 86_400_000;

/**
 * `alerting.v1.summary` over HTTP for people's tools (the console's team-lead panel): the same reply for
 * `?from=&to=` (ISO; default the last 7 days) and `?severities=medium,low`. A read: any valid key, as the
 * Alertmanager read API.
 */
@Controller('alerts')
@AnyApiKey()
export class AlertingSummaryController {
  constructor(private readonly summary: AlertingSummaryResponder) {}

  @Get('summary')
  async get(
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('severities') severities?: string,
  ): Promise<AlertingSummaryReplyV1> {
    const now = new Date();
    const parsed = summaryRequestV1Schema.safeParse({
      from: from ?? new Date(now.getTime() - 7 * DAY_MS).toISOString(),
      to: to ?? now.toISOString(),
      ...(severities === undefined ? {} : { severities: severities.split(',').map((s) => s.trim()) }),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadRequestException({
        message: `invalid query: ${issue.path.join('.') || 'query'}: ${issue.message}`,
        details: { from: from ?? null, to: to ?? null, severities: severities ?? null },
      });
    }
    return this.summary.summarise(parsed.data);
  }
}
