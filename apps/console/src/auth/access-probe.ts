import { Injectable } from '@nestjs/common';

import type { WhoAmI } from '@vigil/platform';

import { UPSTREAMS, type UpstreamName } from '../config/console-config';
import type { ServiceAccess } from '../session/console-session';
import { UpstreamClient } from '../upstream/upstream.client';

export interface ProbedAccess {
  /** The name the services know the credential by (the first service that accepted it). */
  principal: string | null;
  access: ServiceAccess;
  /** Services that could not be asked (down, timed out): shown on the account page. */
  unreachable: UpstreamName[];
}

/**
 * Asks every service who a key or token is (`GET /api/whoami`). A 401 or 403 means that service does not
 * accept it; the console then hides that service's pages (the service would refuse them anyway).
 */
@Injectable()
export class AccessProbe {
  constructor(private readonly upstream: UpstreamClient) {}

  async probe(credential: string): Promise<ProbedAccess> {
    const answers = await Promise.all(UPSTREAMS.map((service) => this.ask(credential, service)));
    const access: ServiceAccess = {};
    const unreachable: UpstreamName[] = [];
    let principal: string | null = null;
    answers.forEach((answer, index) => {
      const service = UPSTREAMS[index];
      if (answer === 'unreachable') {
        unreachable.push(service);
        access[service] = null;
      } else if (answer === null) {
        access[service] = null;
      } else {
        access[service] = answer.scopes;
        principal ??= answer.principal;
      }
    });
    return { principal, access, unreachable };
  }

  private async ask(credential: string, service: UpstreamName): Promise<WhoAmI | null | 'unreachable'> {
    try {
      const response = await this.upstream.fetch({ credential }, service, { path: '/api/whoami' }, 5000);
      if (response.status === 401 || response.status === 403) return null;
      if (!response.ok) return 'unreachable';
      return (await response.json()) as WhoAmI;
    } catch {
      return 'unreachable';
    }
  }
}
