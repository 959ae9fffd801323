import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { ConfigError, errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AlertingConfig } from '../config/alerting-config';
import type { RoutingConfig } from './routing-config';
import { defaultRoutingConfig, loadRoutingConfigFile, RoutingConfigError } from './routing-config.loader';

/**
 * Holds the routing configuration in force. It is loaded when the module is built (a bad file stops
 * boot with a ConfigError naming ALERTING_CONFIG_FILE and the path inside it) and replaced whole on
 * SIGHUP or `POST /-/reload`; a bad file on reload is reported and the old config stays.
 */
@Injectable()
export class RoutingConfigService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoutingConfigService.name);
  private config: RoutingConfig;
  private readonly onHangup = () => {
    try {
      this.reload();
    } catch {
      // reload() logged it; the old configuration stays in force.
    }
  };

  constructor(@Inject(SERVICE_CONFIG) private readonly settings: AlertingConfig) {
    try {
      this.config = this.load();
    } catch (error) {
      if (error instanceof RoutingConfigError) throw new ConfigError('ALERTING_CONFIG_FILE', error.message);
      throw error;
    }
  }

  get current(): RoutingConfig {
    return this.config;
  }

  onApplicationBootstrap(): void {
    process.on('SIGHUP', this.onHangup);
  }

  onModuleDestroy(): void {
    process.off('SIGHUP', this.onHangup);
  }

  /** Re-reads the file; throws RoutingConfigError (and keeps the old config) when it is invalid. */
  reload(): RoutingConfig {
    try {
      this.config = this.load();
    } catch (error) {
      this.logger.error(
        { error: errorMessage(error) },
        'config reload failed; keeping the previous configuration',
      );
      throw error;
    }
    this.logger.log(
      { file: this.settings.ALERTING_CONFIG_FILE ?? null, receivers: this.config.receivers.size },
      'config reloaded',
    );
    return this.config;
  }

  private load(): RoutingConfig {
    const resolveTimeoutMs = this.settings.ALERT_RESOLVE_TIMEOUT_S * 1000;
    if (this.settings.ALERTING_CONFIG_FILE) {
      return loadRoutingConfigFile(this.settings.ALERTING_CONFIG_FILE, resolveTimeoutMs);
    }
    return defaultRoutingConfig(this.settings.ALERT_WEBHOOK_URL ?? '', resolveTimeoutMs);
  }
}
