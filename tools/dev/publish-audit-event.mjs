#!/usr/bin/env node
// Publishes one AuditEvent v1 with a plain NATS client, as any service (Python, Go, Node) would.
// Usage: node tools/dev/publish-audit-event.mjs [event.json] [--nats nats://127.0.0.1:4222]
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const args = process.argv.slice(2);
const natsFlag = args.indexOf('--nats');
const servers = natsFlag >= 0 ? args[natsFlag + 1] : 'nats://127.0.0.1:4222';
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--nats');

const event = file
  ? JSON.parse(fs.readFileSync(file, 'utf8'))
  : {
      id: randomUUID(),
      occurred_at: new Date().toISOString(),
      source: 'shop',
      actor: { type: 'admin', id: 'admin-7', ip: '203.0.113.9' },
      action: 'admin.profile.viewed',
      resource: { type: 'user', id: '1001' },
      outcome: 'success',
      metadata: { view: 'wallet_settings', customer_email: 'rahim@example.com' },
    };

const nc = await connect({ servers });
try {
  const subject = `audit.v1.events.${event.source}`;
  const ack = await jetstream(nc).publish(subject, JSON.stringify(event), { msgID: event.id });
  console.log(
    `published ${event.id} to ${subject} (stream ${ack.stream}, seq ${ack.seq}${ack.duplicate ? ', duplicate' : ''})`,
  );
} finally {
  await nc.close();
}
