import { Logger, type Provider } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { NATS_CONNECTION } from './nats.tokens';

/**
 * Connects once at boot and then reconnects forever: a NATS outage makes readiness 503 (the
 * dependency check fails) but never kills the process, and recovery needs no restart.
 */
export const natsConnectionProvider: Provider = {
  provide: NATS_CONNECTION,
  inject: [SERVICE_CONFIG, SERVICE_IDENTITY],
  useFactory: async (config: PlatformConfig, identity: ServiceIdentity): Promise<NatsConnection> => {
    const logger = new Logger('NatsConnection');
    const nc = await connect({
      servers: config.NATS_URL,
      name: `vigil-${identity.name}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 5000,
    });
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') {
          logger.log({ nats_status: status.type, server: config.NATS_URL }, `nats ${status.type}`);
        }
      }
    })();
    logger.log({ server: config.NATS_URL }, 'nats connected');
    return nc;
  },
};
