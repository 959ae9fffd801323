import { Body, Controller, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';

import { ConsoleRoute, CurrentSession } from '../access/console-route';
import { csrfField, layout } from '../render/layout';
import { redirectAfterWrite, sendPage } from '../render/page-response';
import { mayUse, type ConsoleSession } from '../session/console-session';
import { UpstreamClient } from '../upstream/upstream.client';
import { AlertFeed } from './alert-feed';
import { FINGERPRINT, findAlert, noticeOf } from './alert-lookup';
import {
  ALERT_ACTIONS,
  alertDetailBody,
  alertListBody,
  alertListQueryOf,
  PAGE_SIZE,
  selectAlerts,
  SEVERITIES,
  type AlertAction,
  type AlertListQuery,
  type ListedAlert,
} from './alert-pages';
import { acknowledgements, equalityMatcher, type AlertJson, type HistoryJson } from './alerting-api';

const KEEP_ALIVE_MS = 15_000;
const isKnownSeverity = (severity: string | undefined) =>
  (SEVERITIES as readonly string[]).includes(severity ?? '');
/** Acknowledgements looked up for the list: the newest ones (older episodes are long acknowledged or gone). */
const ACK_LOOKUP = 1000;

/** The on-call pages: firing alerts by priority, an alert with its history, and acting on it. */
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly feed: AlertFeed,
  ) {}

  @Get()
  @ConsoleRoute({ service: 'alerting' })
  async list(
    @CurrentSession() session: ConsoleSession,
    @Query() raw: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const query = alertListQueryOf(raw);
    const history = this.upstream.json<{ events: HistoryJson[] }>(session, 'alerting', {
      path: '/alerts/history',
      query: { event: 'acknowledged', limit: ACK_LOOKUP },
    });
    const { rows, complete } = await this.firingByPriority(session, query, history);
    const body = alertListBody(rows, query, complete);
    sendPage(
      response,
      layout({
        title: 'Alerts',
        session,
        active: 'alerts',
        body,
        notice: noticeOf(raw),
        scripts: ['alerts.js'],
      }),
    );
  }

  /**
   * Server-sent events: each change of an alert (fired, acknowledged, resolved...) as `event: change`
   * with its JSON, read from alerting with the person's key; a comment every 15 s keeps proxies from
   * closing it; the poll stops with the last stream of that key.
   */

  /**
   * The rows up to the requested page, P1 first. Without a severity filter the alerts are read one severity
   * at a time (alerting narrows by label in Postgres) until the page is full and one more row shows there is
   * a next page: with 10,000 alerts firing, the first page reads the critical ones, not all of them. Alerts
   * without a known severity come last, from one unfiltered read, only when the known ones run out.
   */
  private async firingByPriority(
    session: ConsoleSession,
    query: AlertListQuery,
    history: Promise<{ events: HistoryJson[] }>,
  ): Promise<{ rows: ListedAlert[]; complete: boolean }> {
    const wanted = query.page * PAGE_SIZE + 1;
    const rows: ListedAlert[] = [];
    const steps: (string | null)[] = query.severity ? [query.severity] : [...SEVERITIES, null];
    for (const severity of steps) {
      const alerts = (await this.firing(session, query, severity)).filter(
        (alert) => severity !== null || query.severity !== '' || !isKnownSeverity(alert.labels['severity']),
      );
      const acks = acknowledgements((await history).events, alerts);
      rows.push(
        ...selectAlerts(
          alerts.map((alert) => ({ alert, ack: acks.get(alert.fingerprint) })),
          query,
        ),
      );
      if (rows.length >= wanted && severity !== steps[steps.length - 1]) return { rows, complete: false };
    }
    return { rows, complete: true };
  }

  private firing(
    session: ConsoleSession,
    query: AlertListQuery,
    severity: string | null,
  ): Promise<AlertJson[]> {
    const silencedOnly = query.state === 'silenced';
    return this.upstream.json<AlertJson[]>(session, 'alerting', {
      path: '/api/v2/alerts',
      query: {
        filter: [
          ...(severity ? [equalityMatcher('severity', severity)] : []),
          ...(query.service ? [equalityMatcher('service', query.service)] : []),
        ],
        active: !silencedOnly,
        silenced: silencedOnly || query.state === 'all',
        inhibited: query.state === 'all',
      },
    });
  }
  @Get('stream')
  @ConsoleRoute({ service: 'alerting' })
  stream(
    @CurrentSession() session: ConsoleSession,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(': connected\n\n');
    const unsubscribe = this.feed.subscribe(session, (entry) => {
      const change = {
        id: entry.id,
        at: entry.at,
        event: entry.event,
        actor: entry.actor,
        fingerprint: entry.fingerprint,
        alertname: entry.alertname,
        severity: entry.severity,
      };
      response.write(`event: change\nid: ${entry.id}\ndata: ${JSON.stringify(change)}\n\n`);
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    request.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  @Get(':fingerprint')
  @ConsoleRoute({ service: 'alerting' })
  async detail(
    @CurrentSession() session: ConsoleSession,
    @Param('fingerprint') fingerprint: string,
    @Query() raw: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const { alert, history } = await findAlert(this.upstream, session, fingerprint, 200);
    const title = alert?.labels['alertname'] ?? history[0]?.alertname ?? fingerprint;
    const body = alertDetailBody(
      { fingerprint, alert, history },
      {
        ack: mayUse(session, 'alerting', 'alerts:ack'),
        silence: mayUse(session, 'alerting', 'silences:write'),
      },
      csrfField(session),
    );
    sendPage(response, layout({ title, session, active: 'alerts', body, notice: noticeOf(raw) }));
  }

  /**
   * Acknowledge, resolve or mark false positive, as the person. The page shows the buttons only with
   * alerts:ack; a post without it is still forwarded, so alerting (which owns the rule) refuses it and
   * the person sees its 403.
   */
  @Post(':fingerprint/:action')
  @ConsoleRoute({ service: 'alerting' })
  async act(
    @CurrentSession() session: ConsoleSession,
    @Param('fingerprint') fingerprint: string,
    @Param('action') action: string,
    @Body() form: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const known = ALERT_ACTIONS.find((a) => a.action === (action as AlertAction));
    if (!FINGERPRINT.test(fingerprint) || known === undefined) {
      throw new NotFoundException(`no action ${action} on alert ${fingerprint}`);
    }
    const comment = typeof form['comment'] === 'string' ? form['comment'].trim() : '';
    await this.upstream.json(session, 'alerting', {
      method: 'POST',
      path: `/api/v2/alerts/${fingerprint}/${known.action}`,
      body: { who: session.principal, ...(comment ? { comment } : {}) },
    });
    redirectAfterWrite(response, `/alerts/${fingerprint}`, known.done);
  }
}
