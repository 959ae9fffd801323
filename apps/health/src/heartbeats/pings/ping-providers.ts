import { CheckInConsumer } from './check-in.consumer';
import { HeartbeatTokenIndex } from './heartbeat-token-index';
import { KumaPushFastRoute, PingFastRoute } from './ping-fast-routes';
import { PingIntake } from './ping-intake';
import { PingMetrics, pingMetricProviders } from './ping-metrics';
import { PingWriter } from './ping-writer';

/** Everything the ping intake needs besides its controller (PingController), for HealthModule. */
export const pingProviders = [
  PingIntake,
  PingFastRoute,
  KumaPushFastRoute,
  HeartbeatTokenIndex,
  PingWriter,
  PingMetrics,
  CheckInConsumer,
  ...pingMetricProviders,
];

/** Served ahead of Express (PlatformModule.forRoot({ fastRoutes })). */
export const PING_FAST_ROUTES = [PingFastRoute, KumaPushFastRoute];
