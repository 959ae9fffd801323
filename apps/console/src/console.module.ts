import { type DynamicModule, Module } from '@nestjs/common';

import { PlatformModule } from '@vigil/platform';

import { AccessProbe } from './auth/access-probe';
// on-call: alerts and silences
import { AlertFeed } from './alerts/alert-feed';
import { AlertsController } from './alerts/alerts.controller';
import { SilencesController } from './silences/silences.controller';
import { LoginController } from './auth/login.controller';
import type { ConsoleConfig } from './config/console-config';
import { HomeController } from './home/home.controller';
import { CONSOLE_MIGRATIONS } from './migrations';
import { AssetsController } from './render/assets.controller';
import { SessionCookie } from './session/session-cookie';
import { SessionGuard } from './access/console-route';
import { SessionRepository } from './session/session.repository';
import { SessionService } from './session/session.service';
import { UpstreamClient } from './upstream/upstream.client';

@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
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
        HomeController,
        ...[AlertsController, SilencesController],
      ],
      providers: [
        { provide: SessionCookie, useValue: new SessionCookie(config.CONSOLE_PUBLIC_URL) },
        SessionRepository,
        SessionService,
        SessionGuard,
        UpstreamClient,
        AccessProbe,
        AlertFeed,
      ],
    };
  }
}
