import { Controller, Get, Inject } from '@nestjs/common';

import { SERVICE_IDENTITY, type ServiceIdentity } from '@vigil/platform';

/**
 * Alertmanager API v2 `/status`, enough for amtool and Prometheus' discovery checks: a single-node
 * "cluster", the version, no config file yet, and `uptime` as the start time (Alertmanager's meaning).
 */
@Controller('api/v2/status')
export class StatusController {
  private readonly startedAt = new Date().toISOString();

  constructor(@Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity) {}

  @Get()
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
      config: { original: '' },
      uptime: this.startedAt,
    };
  }
}
