import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Where ports are picked when the kernel's ephemeral range cannot be read (Linux' default starts at 32768). */
const FALLBACK_EPHEMERAL_LOW = 32768;
const LOWEST = 10000;
const ATTEMPTS = 50;

/** Ports handed out by this process: two servers started together never get the same one. */
const given = new Set<number>();

/**
 * A TCP port free on this machine, below the kernel's ephemeral range. Asking the kernel for one
 * (listen on port 0) returns a port from that range, which every outgoing connection also draws from:
 * between the check and the server's own listen, a connection to Postgres or NATS could take it
 * (EADDRINUSE, seen in the end-to-end test). Below the range only another server can, and a random
 * pick that was just listened on makes that unlikely.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST + 1));
    if (given.has(port)) continue;
    given.add(port); // before the check: a concurrent call must not pick it meanwhile
    if (await canListen(port)) return port;
    given.delete(port);
  }
  throw new Error(`freePort: no free port between ${LOWEST} and ${high} after ${ATTEMPTS} attempts`);
}

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > LOWEST + 1000 ? value : FALLBACK_EPHEMERAL_LOW;
  } catch {
    return FALLBACK_EPHEMERAL_LOW;
  }
}

/** Whether a server can listen on `port` on every address (services listen on 0.0.0.0). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
