import { Controller, Get, Inject, Req } from '@nestjs/common';

import { SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import type { GuardedRequest } from './api-key.guard';
import { AnyApiKey } from './route-access';

export interface WhoAmI {
  service: string;
  /** A key's name, or `oidc:<sub>`. */
  principal: string;
  scopes: readonly string[];
}

/**
 * `GET /api/whoami`: who this service takes the bearer for and what it may do here. The console asks every
 * service at login, so it shows a person only the pages and buttons their own key or token allows (the
 * services still enforce the scopes on every call).
 */
@Controller('api')
export class WhoAmIController {
  constructor(@Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity) {}

  @Get('whoami')
  @AnyApiKey()
  whoami(@Req() request: GuardedRequest): WhoAmI {
    const principal = request.vigilPrincipal;
    return {
      service: this.identity.name,
      principal: principal?.name ?? 'anonymous',
      scopes: principal?.scopes ?? [],
    };
  }
}
