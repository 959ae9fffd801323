import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { ALERT_FIRED_SUBJECT } from '@vigil/contracts';
import { NatsMessaging, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AuditIngestService } from '../ingest/audit-ingest.service';
import type { AppendedEvent } from '../storage/audit-event.repository';
import { DetectionRepository } from './detection.repository';
import { loadDetectorRules, type DetectorRule } from '../config/detector-rules';
import { alertOf, detect, detectAccessRate, type Detection } from './detectors';

export const AUDIT_DETECTIONS = 'audit_detections_total';

/**
 * Runs the detector rules over every batch of newly stored events (after commit), stores each
 * detection once and publishes it as an AlertEvent on alerts.v1.fired (Nats-Msg-Id per rule and event).
 */
@Injectable()
export class DetectionService implements OnModuleInit {
  private readonly logger = new Logger(DetectionService.name);
  readonly rules: readonly DetectorRule[];

  constructor(
    @Inject(SERVICE_CONFIG) config: AuditConfig,
    private readonly ingest: AuditIngestService,
    private readonly repository: DetectionRepository,
    private readonly messaging: NatsMessaging,
    @InjectMetric(AUDIT_DETECTIONS) private readonly detections: Counter<string>,
  ) {
    this.rules = loadDetectorRules(config.AUDIT_RULES_FILE);
  }

  onModuleInit(): void {
    this.ingest.onStored(async (events) => {
      await this.inspect(events);
    });
  }

  /** Resource types whose admin accesses are counted for the weekly review. */
  sensitiveResourceTypes(): string[] {
    return [...new Set(this.rules.flatMap((r) => (r.kind === 'access_rate' ? r.resource_types : [])))];
  }

  async inspect(appended: readonly AppendedEvent[]): Promise<Detection[]> {
    const events = appended.map((a) => a.event);
    const found: Detection[] = [];
    for (const rule of this.rules) {
      if (rule.kind === 'access_rate') {
        found.push(
          ...(await detectAccessRate(rule, events, (actor, types, since, at) =>
            this.repository.countAdminAccesses(actor, types, since, at),
          )),
        );
        continue;
      }
      for (const event of events) {
        const detection = detect(rule, event);
        if (detection) found.push(detection);
      }
    }
    for (const detection of found) await this.fire(detection);
    return found;
  }

  private async fire(detection: Detection): Promise<void> {
    if (!(await this.repository.insert(detection))) return;
    this.detections.inc({ rule: detection.rule, severity: detection.severity });
    await this.messaging.publish(
      ALERT_FIRED_SUBJECT,
      alertOf(detection),
      `detect-${detection.rule}-${detection.event.id}`,
    );
    this.logger.warn(
      { rule: detection.rule, severity: detection.severity, event_id: detection.event.id },
      'detector fired',
    );
  }
}
