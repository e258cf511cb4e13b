import net from 'node:net';

/** A TCP port that is free on 127.0.0.1 right now (for servers a tool starts for itself). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * N distinct ports free on 127.0.0.1 right now: all are held open together before any is released, so two servers
 * started side by side are never handed the same one (asking one at a time may give back a port just released).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
