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
    // nats.js v3 ignores `user:pass@` in a server URL: pass them as options, connect to the bare URL.
    const url = new URL(config.NATS_URL);
    const credentials = url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : {};
    url.username = '';
    url.password = '';
    const server = url.toString().replace(/\/$/, '');
    const nc = await connect({
      servers: server,
      ...credentials,
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
    logger.log({ server }, 'nats connected');
    return nc;
  },
};
