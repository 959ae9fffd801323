import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, Get, NotFoundException } from '@nestjs/common';

import { execFile } from 'node:child_process';
import path from 'node:path';

import {
  repoRoot,
  startNatsServer,
  startWebhookSink,
  type RecordedRequest,
  type WebhookSink,
} from '@vigil/testing';

import {
  DurablePullConsumer,
  ErrorReporting,
  Public,
  type ServiceDefinition,
  type platformConfigSchema,
} from '../src';
import { startTestService, testService } from './test-service';

const PLANTED_EMAIL = 'jane.doe@example.com';
const PLANTED_TOKEN = 'tok3n-s3cr3t-v4lue';
const KEY = '0123456789abcdef0123456789abcdef';

@Controller('boom')
class BoomController {
  @Get()
  @Public('test route')
  boom(): never {
    throw new Error(`profile of ${PLANTED_EMAIL} failed with token=${PLANTED_TOKEN}`);
  }

  @Get('missing')
  @Public('test route')
  missing(): never {
    throw new NotFoundException(`no profile for ${PLANTED_EMAIL}`);
  }
}

const definition = testService('audit', { controllers: [BoomController] });

/** The items of a Sentry envelope (newline-framed: header, then item header and payload pairs). */
function envelopeItems(request: RecordedRequest): { type: string; payload: Record<string, unknown> }[] {
  const [, ...lines] = request.rawBody.split('\n').filter((line) => line.length > 0);
  const items: { type: string; payload: Record<string, unknown> }[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i]) as { type: string };
    items.push({ type: header.type, payload: JSON.parse(lines[i + 1]) as Record<string, unknown> });
  }
  return items;
}

function eventsIn(sink: WebhookSink): Record<string, unknown>[] {
  return sink.requests
    .flatMap(envelopeItems)
    .filter((item) => item.type === 'event')
    .map((item) => item.payload);
}

/**
 * Starts the service with `env`, raises a 404 then a 500, and stops it, then closes reporting as the
 * SIGTERM drain does (which sends what is queued).
 */
async function raiseBoth(
  service: ServiceDefinition<typeof platformConfigSchema>,
  env: Record<string, string>,
): Promise<void> {
  const handle = await startTestService(service, env);
  try {
    expect((await fetch(`${handle.base}/boom/missing`)).status).toBe(404);
    expect((await fetch(`${handle.base}/boom`)).status).toBe(500);
  } finally {
    await handle.stop();
    await ErrorReporting.active()?.close();
  }
}

describe('error reporting to SENTRY_DSN (@sentry/node against a local receiver)', () => {
  let sink: WebhookSink;
  let dsn: string;

  beforeAll(async () => {
    sink = await startWebhookSink();
    dsn = `http://${KEY}@127.0.0.1:${sink.port}/1`;
  });

  afterAll(async () => {
    await sink?.stop();
  });

  beforeEach(() => {
    sink.requests.length = 0;
  });

  it('sends nothing without SENTRY_DSN', async () => {
    await raiseBoth(definition, {});
    // The next test proves the same requests reach this receiver within a service's lifetime.
    expect(sink.requests).toEqual([]);
  });

  it('sends nothing from a service that opts out (reportOwnErrors: false), even with SENTRY_DSN', async () => {
    await raiseBoth({ ...definition, reportOwnErrors: false }, { SENTRY_DSN: dsn });
    expect(sink.requests).toEqual([]);
  });

  it('reports an unhandled 500, scrubbed, and not a 4xx', async () => {
    await raiseBoth(definition, { SENTRY_DSN: dsn, SERVICE_VERSION: '1.2.3', GIT_SHA: 'abc1234' });
    // Closing reporting flushed the queue: everything the service sent is here.
    const events = eventsIn(sink);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(sink.requests[0].path).toMatch(
      /^\/api\/1\/envelope\/\?.*sentry_key=0123456789abcdef0123456789abcdef/,
    );
    expect(event).toMatchObject({
      level: 'error',
      server_name: 'audit',
      release: '1.2.3+abc1234',
      environment: 'development',
      tags: { service: 'audit', origin: 'http', status: '500' },
    });
    const exception = (event.exception as { values: { type: string; value: string }[] }).values[0];
    expect(exception.type).toBe('Error');
    expect(exception.value).toBe('profile of [REDACTED:email] failed with token=[REDACTED]');
    expect(event.event_id).toMatch(/^[0-9a-f]{32}$/);
    for (const request of sink.requests) {
      expect(request.rawBody).not.toContain(PLANTED_EMAIL);
      expect(request.rawBody).not.toContain(PLANTED_TOKEN);
    }
  });

  it('reports a failing durable consumer batch, scrubbed, tagged with its stream', async () => {
    const nats = await startNatsServer();
    const nc = await connect({ servers: nats.url });
    const reporting = ErrorReporting.start({ dsn, service: 'audit', release: '1', environment: 'test' });
    let consumer: DurablePullConsumer | undefined;
    try {
      await (await jetstreamManager(nc)).streams.add({ name: 'REPORT_TEST', subjects: ['report.test'] });
      consumer = new DurablePullConsumer(nc, jetstream(nc), {
        stream: 'REPORT_TEST',
        durable: 'failing',
        config: { filter_subject: 'report.test' },
        delivery: { maxDeliver: 1, backoffMs: [50] },
        batch: 10,
        expiresMs: 1000,
        handle: () => Promise.reject(new Error(`cannot store the event of ${PLANTED_EMAIL}`)),
      });
      await consumer.start();
      await jetstream(nc).publish('report.test', 'x');
      await sink.waitForRequest((request) => envelopeItems(request).some((item) => item.type === 'event'));
    } finally {
      await consumer?.stop();
      await reporting?.close();
      await nc.close();
      await nats.stop();
    }
    const [event] = eventsIn(sink);
    expect(event).toMatchObject({
      server_name: 'audit',
      tags: { service: 'audit', origin: 'consumer', stream: 'REPORT_TEST', durable: 'failing' },
    });
    const exception = (event.exception as { values: { value: string }[] }).values[0];
    expect(exception.value).toBe('cannot store the event of [REDACTED:email]');
    expect(sink.requests.map((request) => request.rawBody).join('\n')).not.toContain(PLANTED_EMAIL);
  });

  /** Runs `crash` in a process whose reporting has the process hooks (as bootstrapService installs them). */
  function crashingProcess(crash: string): Promise<{ code: number | null }> {
    const reporting = path.join(repoRoot(), 'libs/platform/dist/errors/error-reporting.js');
    const script = `const { ErrorReporting } = require(${JSON.stringify(reporting)});
ErrorReporting.start({ dsn: ${JSON.stringify(dsn)}, service: 'alerting', release: '1', environment: 'test', processHooks: true });
setTimeout(() => { ${crash} }, 10);`;
    return new Promise((resolve) => {
      const child = execFile(process.execPath, ['-e', script], { timeout: 20_000 }, () => undefined);
      child.on('exit', (code) => resolve({ code }));
    });
  }

  it.each([
    ['an uncaught exception', `throw new Error('crashed for ${PLANTED_EMAIL}')`],
    ['an unhandled rejection', `Promise.reject(new Error('crashed for ${PLANTED_EMAIL}'))`],
  ])('reports %s of the process, scrubbed, then exits 1 as Node does', async (_kind, crash) => {
    const { code } = await crashingProcess(crash);
    expect(code).toBe(1);
    // The process flushed before it exited: its event is already here.
    const [event] = eventsIn(sink);
    expect(event).toMatchObject({ level: expect.stringMatching(/^(error|fatal)$/), server_name: 'alerting' });
    const exception = (event.exception as { values: { value: string }[] }).values[0];
    expect(exception.value).toBe('crashed for [REDACTED:email]');
    expect(sink.requests.map((request) => request.rawBody).join('\n')).not.toContain(PLANTED_EMAIL);
  });
});
