import { Controller, Get, HttpCode, Inject, InternalServerErrorException, Post } from '@nestjs/common';

import {
  AnyApiKey,
  errorMessage,
  RequireScope,
  SERVICE_IDENTITY,
  type ServiceIdentity,
} from '@vigil/platform';

import { RoutingConfigService } from '../routing/routing-config.service';

/**
 * Alertmanager API v2 `/status` and `/receivers`, and `POST /-/reload`: a single-node "cluster",
 * the version, the config file in force (secrets masked), and `uptime` as the start time
 * (Alertmanager's meaning). Reads need any valid key; reload needs scope config:reload.
 */
@Controller()
@AnyApiKey()
export class StatusController {
  private readonly startedAt = new Date().toISOString();

  constructor(
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly routing: RoutingConfigService,
  ) {}

  @Get('api/v2/status')
  status() {
    return {
      cluster: { status: 'ready', peers: [] },
      versionInfo: {
        version: this.identity.version,
        revision: this.identity.gitSha,
        branch: '',
        buildUser: '',
        buildDate: '',
        goVersion: `node ${process.version}`,
      },
      config: { original: this.routing.current.original },
      uptime: this.startedAt,
    };
  }

  @Get('api/v2/receivers')
  receivers(): { name: string }[] {
    return [...this.routing.current.receivers.keys()].map((name) => ({ name }));
  }

  /** Re-reads the config file; a bad file answers 500 with the reason and the old config stays. */
  @Post('-/reload')
  @HttpCode(200)
  @RequireScope('config:reload')
  reload(): void {
    try {
      this.routing.reload();
    } catch (error) {
      throw new InternalServerErrorException({
        error: 'reload_failed',
        message: `failed to reload config: ${errorMessage(error)}`,
      });
    }
  }
}
