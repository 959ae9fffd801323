import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { STREAMS, type StreamDefinition } from '@vigil/contracts';

import { SERVICE_CONFIG } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { NATS_CONNECTION } from './nats.tokens';
import { errorMessage } from '../errors/error-message';

const RETENTION = {
  limits: RetentionPolicy.Limits,
  interest: RetentionPolicy.Interest,
  workqueue: RetentionPolicy.Workqueue,
} as const;

/** Creates or updates every stream of libs/contracts at boot; safe to run from many replicas at once. */
@Injectable()
export class JetStreamSetup implements OnModuleInit {
  private readonly logger = new Logger(JetStreamSetup.name);

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    for (const stream of STREAMS) await this.ensure(jsm, stream);
  }

  private async ensure(jsm: JetStreamManager, definition: StreamDefinition): Promise<void> {
    const config: Partial<StreamConfig> & { name: string } = {
      name: definition.name,
      subjects: [...definition.subjects],
      description: definition.description,
      storage: definition.storage === 'memory' ? StorageType.Memory : StorageType.File,
      retention: RETENTION[definition.retention],
      discard: DiscardPolicy.Old,
      num_replicas: this.config.NATS_STREAM_REPLICAS,
      ...(definition.duplicate_window_ns ? { duplicate_window: definition.duplicate_window_ns } : {}),
      ...(definition.max_age_ns ? { max_age: definition.max_age_ns } : {}),
    };
    try {
      await jsm.streams.info(definition.name);
      await jsm.streams.update(definition.name, config);
      this.logger.log({ stream: definition.name }, 'stream up to date');
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await jsm.streams.add(config);
        this.logger.log({ stream: definition.name }, 'stream created');
      } catch (addError) {
        // Another replica created it between our info and add.
        if (!String(addError).includes('already in use')) throw addError;
      }
    }
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test(errorMessage(error));
}
