import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { connect } from '@nats-io/transport-node';

import { startNatsServer } from './nats-server';

jest.setTimeout(30_000);

describe('startNatsServer', () => {
  it('starts a real nats-server with JetStream that survives stop/restart on the same port', async () => {
    const nats = await startNatsServer();
    try {
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      expect(nats.pid).toBeGreaterThan(0);

      const jsz = (await (await fetch(`${nats.monitorUrl}/jsz`)).json()) as {
        config?: { store_dir?: string };
      };
      expect(jsz.config?.store_dir).toContain(nats.storeDir);

      const nc = await connect({ servers: nats.url });
      const sub = nc.subscribe('vigil.test');
      const received = (async () => {
        for await (const msg of sub) return msg.string();
        return undefined;
      })();
      nc.publish('vigil.test', 'hello');
      await expect(received).resolves.toBe('hello');
      await nc.close();

      const firstPid = nats.pid;
      await nats.stop();
      expect(nats.pid).toBeUndefined();
      await expect(connect({ servers: nats.url, reconnect: false, timeout: 500 })).rejects.toThrow();

      await nats.restart();
      expect(nats.pid).not.toBe(firstPid);
      const again = await connect({ servers: nats.url });
      const reply = again.subscribe('vigil.echo', {
        callback: (_err, msg) => {
          msg.respond(`echo:${msg.string()}`);
        },
      });
      const answer = await again.request('vigil.echo', 'ping', { timeout: 2_000 });
      expect(answer.string()).toBe('echo:ping');
      reply.unsubscribe();
      await again.close();
    } finally {
      await nats.stop();
    }
    expect(fs.existsSync(nats.storeDir)).toBe(true);
  });

  it('fails with a clear message when the binary is missing', async () => {
    const saved = process.env.NATS_SERVER_BIN;
    process.env.NATS_SERVER_BIN = '/nonexistent/nats-server';
    try {
      await expect(startNatsServer()).rejects.toThrow('nats-server not found on PATH');
    } finally {
      if (saved === undefined) delete process.env.NATS_SERVER_BIN;
      else process.env.NATS_SERVER_BIN = saved;
    }
  });

  it('runs a config file that reads its passwords from the given environment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-nats-conf-'));
    const configFile = path.join(dir, 'nats.conf');
    fs.writeFileSync(configFile, 'authorization { user: vigil, password: $TEST_NATS_PASSWORD }\n');
    const nats = await startNatsServer({ configFile, env: { TEST_NATS_PASSWORD: 's3cret' } });
    try {
      await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(
        /Authorization Violation/,
      );
      const nc = await connect({ servers: nats.url, user: 'vigil', pass: 's3cret', reconnect: false });
      await nc.close();
    } finally {
      await nats.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
