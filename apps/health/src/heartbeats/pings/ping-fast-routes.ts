import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable } from '@nestjs/common';

import type { RouteAccess, StreamFastRoute } from '@vigil/platform';

import { PingIntake, PUBLIC_REASON } from './ping-intake';

const METHODS = ['GET', 'POST', 'HEAD'];
const ACCESS: RouteAccess = { kind: 'public', reason: PUBLIC_REASON };
const PING_PATH = /^\/ping\/([^/]+)(?:\/([^/]+))?\/?$/;
const PUSH_PATH = /^\/api\/push\/([^/]+)\/?$/;

/**
 * Pings served ahead of Express and Nest (the platform's fast routes: same correlation ids, headers,
 * access line and metrics): a burst of cron jobs at the top of the hour costs the ping's own work, not the
 * framework's request path, which is most of a ping's CPU.
 */
@Injectable()
export class PingFastRoute implements StreamFastRoute {
  readonly methods = METHODS;
  readonly pattern = PING_PATH;
  readonly label = '/ping/:token';
  readonly access = ACCESS;

  constructor(private readonly intake: PingIntake) {}

  serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [, token, action] = PING_PATH.exec(pathOf(req)) ?? [];
    return this.intake.ping(decoded(token), action === undefined ? undefined : decoded(action), req, res);
  }
}

@Injectable()
export class KumaPushFastRoute implements StreamFastRoute {
  readonly methods = METHODS;
  readonly pattern = PUSH_PATH;
  readonly label = '/api/push/:token';
  readonly access = ACCESS;

  constructor(private readonly intake: PingIntake) {}

  serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [, token] = PUSH_PATH.exec(pathOf(req)) ?? [];
    return this.intake.push(decoded(token), req, res);
  }
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** As Express decodes path parameters; a malformed escape stays as sent (it matches no token). */
function decoded(segment: string | undefined): string {
  if (segment === undefined) return '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
