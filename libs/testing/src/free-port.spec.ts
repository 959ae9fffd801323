import { readFileSync } from 'node:fs';
import net from 'node:net';

import { freePort } from './free-port';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });

describe('freePort', () => {
  it('gives distinct ports a server can listen on, below the kernel’s ephemeral range', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10000);
      expect(port).toBeLessThan(Number(low));
    }
    const servers = await Promise.all(ports.map(listen));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });
});
