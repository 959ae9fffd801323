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
import { sentryEventRedactionPolicy, type ScrubOptions } from '../scrub';

/** How one project's events are scrubbed: its redactor and the scrub options it implies. */
export interface ProjectScrubbing {
  redactor: Redactor;
  options: ScrubOptions;
}

/**
 * One redactor per project: the service's policy (REDACTION_POLICY, REDACTION_HASH_KEY), with the
 * project's `redaction_policy` on top (its strategies and lists win), extended with the Sentry event
 * key phrases (sentryEventRedactionPolicy). With a hash key configured, user ids are stored as keyed
 * HMACs, so affected users are counted without the ids. Built at boot, so a bad project policy stops
 * the service with one line naming the project.
 */
@Injectable()
export class ProjectRedactors {
  private readonly byProject = new Map<string, ProjectScrubbing>();

  constructor(
    @Inject(SERVICE_CONFIG) config: PlatformConfig,
    @Inject(ERRORS_PROJECTS) projects: readonly ErrorsProject[],
  ) {
    const service = redactionPolicyOf(config) ?? {};
    const options: ScrubOptions =
      service.hashKey === undefined ? {} : { userIdHashKey: Buffer.from(service.hashKey) };
    const shared = createRedactor(sentryEventRedactionPolicy(service));
    for (const project of projects) {
      const redactor = project.redaction_policy
        ? createRedactor(sentryEventRedactionPolicy(projectPolicy(service, project)))
        : shared;
      this.byProject.set(project.id, { redactor, options });
    }
  }

  /** The project's scrubbing; undefined for a project not configured. */
  of(projectId: string): ProjectScrubbing | undefined {
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
