import { DynamicModule, Module } from '@nestjs/common';

import { PlatformModule } from '@vigil/platform';

import type { ErrorsConfig } from './config/errors-config';
import { ERRORS_PROJECTS, type ErrorsProject } from './config/projects-config';
import { INTAKE_BODY_PATHS, IntakeController } from './intake/intake.controller';
import { intakeMetricProviders } from './intake/intake-metrics';
import { IntakeStream } from './intake/intake-stream';
import { IntakeService } from './intake/intake.service';
import { ERRORS_MIGRATIONS, ISSUE_TRACKING_CONTROLLERS, ISSUE_TRACKING_PROVIDERS } from './issue-tracking';

@Module({})
export class ErrorsModule {
  /** `projects` come from the validated ERRORS_PROJECTS_FILE or ERRORS_PROJECTS (see service.ts). */
  static forRoot(config: ErrorsConfig, projects: readonly ErrorsProject[]): DynamicModule {
    return {
      module: ErrorsModule,
      imports: [
        PlatformModule.forRoot({
          service: 'errors',
          config,
          database: { entities: [], migrations: ERRORS_MIGRATIONS },
          // The intake reads (and decompresses) its bodies itself, with its own limits.
          streamedBodies: INTAKE_BODY_PATHS,
        }),
      ],
      controllers: [IntakeController, ...ISSUE_TRACKING_CONTROLLERS],
      providers: [
        { provide: ERRORS_PROJECTS, useValue: projects },
        IntakeStream,
        IntakeService,
        ...intakeMetricProviders,
        ...ISSUE_TRACKING_PROVIDERS,
      ],
    };
  }
}
