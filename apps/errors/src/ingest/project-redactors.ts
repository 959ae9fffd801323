import { Inject, Injectable } from '@nestjs/common';

import { ConfigError, redactionPolicyOf, SERVICE_CONFIG, type PlatformConfig } from '@vigil/platform';
import {
  createRedactor,
  parseRedactionPolicy,
  RedactionPolicyError,
  type RedactionPolicy,
  type Redactor,
} from '@vigil/redaction';

import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';

/**
 * One redactor per project: the service's policy (REDACTION_POLICY, REDACTION_HASH_KEY), with the
 * project's `redaction_policy` on top (its strategies and lists win). Built at boot, so a bad project
 * policy stops the service with one line naming the project.
 */
@Injectable()
export class ProjectRedactors {
  private readonly byProject = new Map<string, Redactor>();

  constructor(
    @Inject(SERVICE_CONFIG) config: PlatformConfig,
    @Inject(ERRORS_PROJECTS) projects: readonly ErrorsProject[],
  ) {
    const service = redactionPolicyOf(config) ?? {};
    const shared = createRedactor(service);
    for (const project of projects) {
      this.byProject.set(
        project.id,
        project.redaction_policy ? createRedactor(projectPolicy(service, project)) : shared,
      );
    }
  }

  /** The project's redactor; undefined for a project not configured. */
  of(projectId: string): Redactor | undefined {
    return this.byProject.get(projectId);
  }
}

function projectPolicy(service: RedactionPolicy, project: ErrorsProject): RedactionPolicy {
  try {
    const own = parseRedactionPolicy(
      { text: JSON.stringify(project.redaction_policy), source: `project ${project.slug}` },
      service.hashKey,
    );
    return {
      ...service,
      ...own,
      strategies: { ...service.strategies, ...own.strategies },
      rules: [...(own.rules ?? []), ...(service.rules ?? [])],
    };
  } catch (error) {
    if (!(error instanceof RedactionPolicyError)) throw error;
    throw new ConfigError('ERRORS_PROJECTS', `project ${project.slug}: redaction_policy: ${error.message}`);
  }
}
