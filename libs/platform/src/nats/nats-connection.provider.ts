import { Logger, type Provider } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { natsConnectOptions } from './nats-connect-options';
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
    // Credentials from NATS_URL as options (nats.js v3 ignores them in a URL), inbox prefix `_INBOX_<user>`.
    const { servers: server, ...options } = natsConnectOptions(config.NATS_URL);
    const nc = await connect({
      servers: server,
      ...options,
      name: `vigil-${identity.name}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 5000,
    });
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') {
          logger.log({ nats_status: status.type, server }, `nats ${status.type}`);
        }
      }
    })();
    logger.log({ server, inbox_prefix: options.inboxPrefix }, 'nats connected');
    return nc;
  },
};
