import net from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768–60999 by default): a port the OS hands out for `listen(0)` is
 * released before the server we start binds it, seconds later (PostgreSQL binds only after initdb), and in between
 * the OS may hand the same port to anyone else asking for an ephemeral one — a Temporal dev server started beside
 * it picking its internal ports, or an outgoing connection. A port picked here is one the OS never hands out by
 * itself, so only another explicit pick could take it.
 */
const LOW = 20_000;
const HIGH = 32_767;

/** A TCP port that is free on 127.0.0.1 right now (for servers a tool starts for itself). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * N distinct ports free on 127.0.0.1 right now: all are held open together before any is released, so two servers
 * started side by side are never handed the same one.
 */
export async function freePorts(n: number): Promise<number[]> {
  const held: net.Server[] = [];
  const ports: number[] = [];
  try {
    for (let tries = 0; ports.length < n; tries++) {
      if (tries > 1_000) throw new Error(`no ${n} free ports found between ${LOW} and ${HIGH}`);
      const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
      if (ports.includes(port)) continue;
      const server = await listen(port);
      if (!server) continue; // taken: another
      held.push(server);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** Listens on the port, or answers null when it is taken. */
function listen(port: number): Promise<net.Server | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(null) : reject(err),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
