// Ports for a test cluster's nodes, held until the node that takes them boots. A node boots seconds after
// its ports are chosen (node 1 first, then the others), and a port the kernel handed out as free (port 0)
// can meanwhile become the local end of any test's outgoing connection or another port-0 listener: CI met
// eaddrinuse at node 3's MQTT listener. So the ports come from below the kernel's ephemeral range, which
// it never hands out by itself, and each is held by a listener of ours until just before its node starts.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/** A port held free for a node: `release` just before the node binds it (again a no-op). */
export interface HeldPort {
  port: number;
  release(): Promise<void>;
}

const LOWEST = 20_000;

/** The first port of the kernel's ephemeral range (Linux: 32768 unless changed). */
function ephemeralStart(): number {
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return first > LOWEST + 1000 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

const listenOn = (port: number) =>
  new Promise<Server | null>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

/** A free port below the ephemeral range (and clear of rabbitmqctl's own, 35672-35682), held until released. */
export async function holdPort(): Promise<HeldPort> {
  const end = Math.min(ephemeralStart(), 35_660);
  for (;;) {
    const port = randomInt(LOWEST, end);
    const server = await listenOn(port);
    if (!server) continue;
    let open = true;
    return {
      port,
      release: () =>
        open
          ? new Promise<void>((resolve) => {
              open = false;
              server.close(() => resolve());
            })
          : Promise.resolve(),
    };
  }
}
