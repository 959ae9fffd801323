import net from 'node:net';

import { freePort } from './free-port';
import { GiveUp, waitFor } from './wait-for';

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('waitFor', () => {
  it('polls until the function returns a truthy value and returns it', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `done after ${calls}` : ''), { intervalMs: 5 });
    expect(value).toBe('done after 3');
  });

  it('keeps polling while the function throws', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        if (++calls < 3) throw new Error('not yet');
        return Promise.resolve(calls);
      },
      { intervalMs: 5 },
    );
    expect(value).toBe(3);
  });

  it('names the description and the last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 100, intervalMs: 10, description: 'the moon' },
      ),
    ).rejects.toThrow(/waiting for the moon.*connection refused/);
  });

  it('stops at once on GiveUp', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new GiveUp('process exited');
        },
        { timeoutMs: 5_000, description: 'a service' },
      ),
    ).rejects.toThrow('Gave up waiting for a service: process exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
