import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';

import { SERVICE_CONFIG } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { DependencyMonitor } from '../health/dependency-monitor';
import { DatabasePoolMetrics, DatabaseQueryMetrics } from './database-metrics';

export interface DatabaseOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity list type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own migration list type
  migrations: MixedList<Function | string>;
  /**
   * Connections of DATABASE_POOL_MAX the service opens in a pool of its own (given DATABASE_POOL_MAX);
   * TypeORM's pool gets the rest, so a replica never opens more than DATABASE_POOL_MAX in all.
   */
  ownPoolSize?: (poolMax: number) => number;
}

/** TypeORM's share of DATABASE_POOL_MAX: what the service's own pool leaves, at least one. */
export function typeormPoolSize(poolMax: number, options: Pick<DatabaseOptions, 'ownPoolSize'>): number {
  return Math.max(1, poolMax - (options.ownPoolSize?.(poolMax) ?? 0));
}

@Injectable()
class DatabaseHealth implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly monitor: DependencyMonitor,
  ) {}

  onModuleInit(): void {
    this.monitor.register({
      name: 'postgres',
      run: async () => void (await this.dataSource.query('SELECT 1')),
    });
  }
}

/**
 * TypeORM on DATABASE_URL; migrations run at boot (never `synchronize`), before the service reports started.
 * Exports query counts and durations and the pool's use (database-metrics.ts).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: PlatformConfig) => ({
            type: 'postgres' as const,
            url: config.DATABASE_URL,
            entities: options.entities,
            migrations: options.migrations,
            // Counts and times every query: db_queries_total, db_query_duration_seconds.
            subscribers: [DatabaseQueryMetrics],
            migrationsRun: true,
            migrationsTransactionMode: 'each' as const,
            synchronize: false,
            retryAttempts: 20,
            retryDelay: 1500,
            extra: {
              max: typeormPoolSize(config.DATABASE_POOL_MAX, options),
              connectionTimeoutMillis: 5000,
              application_name: 'vigil',
            },
          }),
        }),
      ],
      providers: [DatabaseHealth, DatabasePoolMetrics],
    };
  }
}
