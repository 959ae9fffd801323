import { CheckInConsumer } from './check-in.consumer';
import { HeartbeatTokenIndex } from './heartbeat-token-index';
import { PingMetrics, pingMetricProviders } from './ping-metrics';
import { PingWriter } from './ping-writer';

/** Everything the ping intake needs besides its controller (PingController), for HealthModule. */
export const pingProviders = [
  HeartbeatTokenIndex,
  PingWriter,
  PingMetrics,
  CheckInConsumer,
  ...pingMetricProviders,
];
