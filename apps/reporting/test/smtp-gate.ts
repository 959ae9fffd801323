import net from 'node:net';

/**
 * A TCP gate in front of the real SMTP sink: passes connections through, or refuses them the way a
 * busy mail server does (`421` greeting, then close). Lets one running service see SMTP fail and
 * recover without a mock of its mailer.
 */
export interface SmtpGate {
  url: string;
  /** Connections refused so far. */
  readonly refused: number;
  /** Refuse the next `n` connections (Infinity: until `open()`). */
  refuse(n: number): void;
  open(): void;
  stop(): Promise<void>;
}

export async function startSmtpGate(upstreamPort: number): Promise<SmtpGate> {
  let toRefuse = 0;
  let refused = 0;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (toRefuse > 0) {
      toRefuse--;
      refused++;
      client.end('421 4.3.2 gate.test Service not available, closing transmission channel\r\n');
      return;
    }
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get refused() {
      return refused;
    },
    refuse(n) {
      toRefuse = n;
    },
    open() {
      toRefuse = 0;
    },
    stop() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
