import { type DynamicModule, Module } from '@nestjs/common';

import { PlatformModule } from '@vigil/platform';

import { AccessProbe } from './auth/access-probe';
import { AuditController } from './audit/audit.controller';
import { AuditReader } from './audit/audit-reader';
// on-call: alerts and silences
import { AlertFeed } from './alerts/alert-feed';
import { AlertsController } from './alerts/alerts.controller';
import { SilencesController } from './silences/silences.controller';
import { LoginController } from './auth/login.controller';
import { LoginPage, OIDC_CLIENT } from './auth/login-page';
import { OidcClient, oidcClientSettings } from './auth/oidc-client';
import { OidcLoginController } from './auth/oidc-login.controller';
import { PendingLoginRepository } from './auth/pending-login.repository';
import type { ConsoleConfig } from './config/console-config';
import { HomeController } from './home/home.controller';
import { CONSOLE_MIGRATIONS } from './migrations';
import { AssetsController } from './render/assets.controller';
import { SessionCookie } from './session/session-cookie';
import { SessionGuard } from './access/console-route';
import { SessionRepository } from './session/session.repository';
import { SessionService } from './session/session.service';
import { UpstreamClient } from './upstream/upstream.client';
import { TargetsController } from './targets/targets.controller';
import { ErrorsController } from './errors/errors.controller';
import { ReportsController } from './reports/reports.controller';

@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    const oidc = oidcClientSettings(config);
    return {
      module: ConsoleModule,
      imports: [
        PlatformModule.forRoot({
          service: 'console',
          config,
          database: { entities: [], migrations: CONSOLE_MIGRATIONS },
        }),
      ],
      controllers: [
        AssetsController,
        LoginController,
        OidcLoginController,
        HomeController,
        // on-call: alerts and silences
        AlertsController,
        SilencesController,
        TargetsController,
        ErrorsController,
        ReportsController,
        // audit (auditor, privacy officer)
        AuditController,
      ],
      providers: [
        { provide: SessionCookie, useValue: new SessionCookie(config.CONSOLE_PUBLIC_URL) },
        SessionRepository,
        SessionService,
        SessionGuard,
        UpstreamClient,
        AccessProbe,
        // audit (auditor, privacy officer)
        AuditReader,
        LoginPage,
        PendingLoginRepository,
        { provide: OIDC_CLIENT, useValue: oidc === null ? null : new OidcClient(oidc) },
        AlertFeed,
      ],
    };
  }
}
