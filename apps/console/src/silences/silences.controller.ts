import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';

import { ConsoleRoute, CurrentSession } from '../access/console-route';
import { FINGERPRINT, findAlert, noticeOf } from '../alerts/alert-lookup';
import { matcherText, type AlertJson, type SilenceJson } from '../alerts/alerting-api';
import { csrfField, layout } from '../render/layout';
import { redirectAfterWrite, sendPage } from '../render/page-response';
import { mayUse, type ConsoleSession } from '../session/console-session';
import { UpstreamClient, UpstreamError } from '../upstream/upstream.client';
import {
  endOf,
  matcherLinesOf,
  parseMatchers,
  SilenceFormError,
  silenceFormOf,
  type SilenceForm,
} from './silence-form';
import { silenceFormBody, silenceListBody } from './silence-pages';

const SILENCE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Silences: the list with expire buttons, and a new silence pre-filled from an alert with a preview. */
@Controller('silences')
export class SilencesController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @ConsoleRoute({ service: 'alerting' })
  async list(
    @CurrentSession() session: ConsoleSession,
    @Query() raw: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const silences = await this.upstream.json<SilenceJson[]>(session, 'alerting', {
      path: '/api/v2/silences',
    });
    const body = silenceListBody(silences, mayUse(session, 'alerting', 'silences:write'), csrfField(session));
    sendPage(
      response,
      layout({ title: 'Silences', session, active: 'silences', body, notice: noticeOf(raw) }),
    );
  }

  /** `?from=<fingerprint>` pre-fills the matchers with that alert's labels; `preview=1` lists what they catch. */
  @Get('new')
  @ConsoleRoute({ service: 'alerting' })
  async form(
    @CurrentSession() session: ConsoleSession,
    @Query() raw: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const from = typeof raw['from'] === 'string' && FINGERPRINT.test(raw['from']) ? raw['from'] : '';
    const labels = from && typeof raw['matchers'] !== 'string' ? await this.labelsOf(session, from) : {};
    const form = silenceFormOf(raw, {
      matchers: matcherLinesOf(labels),
      createdBy: session.principal,
      comment: from ? `silenced from alert ${labels['alertname'] ?? from}` : '',
    });
    const wantsPreview = raw['preview'] === '1' || from !== '';
    await this.render(response, session, form, from, wantsPreview);
  }

  @Post()
  @ConsoleRoute({ service: 'alerting' })
  async create(
    @CurrentSession() session: ConsoleSession,
    @Body() raw: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const form = silenceFormOf(raw, { createdBy: session.principal });
    const from = typeof raw['from'] === 'string' && FINGERPRINT.test(raw['from']) ? raw['from'] : '';
    try {
      const now = new Date();
      const { silenceID } = await this.upstream.json<{ silenceID: string }>(session, 'alerting', {
        method: 'POST',
        path: '/api/v2/silences',
        body: {
          matchers: parseMatchers(form.matchers),
          startsAt: now.toISOString(),
          endsAt: endOf(form, now).toISOString(),
          createdBy: form.createdBy,
          comment: form.comment,
        },
      });
      redirectAfterWrite(response, '/silences', `Silence ${silenceID} created`);
    } catch (error) {
      // A mistake in the form (or alerting's 400) shows the form again with what was typed.
      const rejected = error instanceof UpstreamError && error.status === 400;
      if (!(error instanceof SilenceFormError) && !rejected) throw error;
      await this.render(response, session, form, from, false, error.message, 400);
    }
  }

  @Post(':id/expire')
  @ConsoleRoute({ service: 'alerting' })
  async expire(
    @CurrentSession() session: ConsoleSession,
    @Param('id') id: string,
    @Res() response: Response,
  ): Promise<void> {
    if (!SILENCE_ID.test(id)) throw new NotFoundException(`no silence ${id}`);
    await this.upstream.json(session, 'alerting', { method: 'DELETE', path: `/api/v2/silence/${id}` });
    redirectAfterWrite(response, '/silences', `Silence ${id} expired`);
  }

  private async render(
    response: Response,
    session: ConsoleSession,
    form: SilenceForm,
    from: string,
    wantsPreview: boolean,
    error?: string,
    status = 200,
  ): Promise<void> {
    let preview: AlertJson[] | undefined;
    let problem = error;
    if (wantsPreview) {
      try {
        preview = await this.upstream.json<AlertJson[]>(session, 'alerting', {
          path: '/api/v2/alerts',
          query: { filter: parseMatchers(form.matchers).map(matcherText), silenced: false, inhibited: false },
        });
      } catch (failure) {
        if (!(failure instanceof SilenceFormError) && !(failure instanceof UpstreamError)) throw failure;
        problem = `preview: ${failure.message}`;
        status = 400;
      }
    }
    const body = silenceFormBody(form, preview, from, csrfField(session));
    sendPage(
      response,
      layout({ title: 'New silence', session, active: 'silences', body, error: problem }),
      status,
    );
  }

  /** The labels of a firing alert, to pre-fill the matchers. */
  private async labelsOf(session: ConsoleSession, fingerprint: string): Promise<Record<string, string>> {
    const { alert } = await findAlert(this.upstream, session, fingerprint, 1);
    if (alert === undefined) throw new NotFoundException(`alert ${fingerprint} is not firing`);
    return alert.labels;
  }
}
