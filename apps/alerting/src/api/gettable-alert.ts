import type { StoredAlert } from '../alerts/alert.repository';
import { DEFAULT_RECEIVER } from '../delivery/webhook.receiver';

/** One alert of `GET /api/v2/alerts`, in Alertmanager's gettableAlert shape. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

/** Nothing is silenced or inhibited yet, so every current alert is active and goes to the default receiver. */
export function toGettableAlert(alert: StoredAlert): GettableAlert {
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt.toISOString(),
    endsAt: alert.endsAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    fingerprint: alert.fingerprint,
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    receivers: [{ name: DEFAULT_RECEIVER }],
  };
}
