export type AlertStatus = 'firing' | 'resolved';

export type LabelSet = Record<string, string>;

/** An alert as a producer reported it (HTTP or NATS), before it is merged with what we know. */
export interface IncomingAlert {
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt?: Date;
  endsAt?: Date;
  generatorURL?: string;
}

/** What we know about one alert now: a row of the `alerts` table. */
export interface AlertState {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  generatorURL: string | null;
  startsAt: Date;
  endsAt: Date;
  status: AlertStatus;
}

/** Where an alert came from (the service itself for VigilWatchdogMissing); a metric label and a log field. */
export type AlertSource = 'api' | 'nats' | 'system';
