// A RabbitMQ cluster with its MQTT plugin for tests and benchmarks: N nodes on this machine (own node
// names, ports, folders and Erlang port mapper, so clusters of tests running side by side never meet),
// the others joining the first at their first boot (config-based peer discovery: what `rabbitmqctl
// join_cluster` does, without restarting them); nodes killed (SIGKILL) and started again under clients.
// docs/cluster.md says what it shows and how to run one by hand (scripts/rabbit-cluster.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Proc, spawnCollecting } from './process.ts';
import {
  type ClusterShared,
  chownTree,
  type NodeSpec,
  nodeLog,
  nodePid,
  prepareNode,
  RABBIT_BIN,
  rabbitmqctl,
  runAsUser,
  spawnNode,
} from './rabbit/node.ts';
import { type HeldPort, holdPort } from './rabbit/ports.ts';
import { connackCode } from './rabbit/probe.ts';
import { waitFor } from './wait.ts';

export interface RabbitNode {
  /** The Erlang node name, e.g. `loa-3f9a1c-2@localhost`. */
  name: string;
  mqttPort: number;
  mqttUrl: string;
  amqpPort: number;
}

export interface RabbitCluster {
  nodes: RabbitNode[];
  /** The internal backend's user (when no authUrl was given): `loa`, all permissions on `/`. */
  user: { username: string; password: string };
  /** SIGKILL of node i's Erlang VM: no goodbye to its clients or its peers. */
  kill(i: number): Promise<void>;
  /** Starts node i again (after kill): it rejoins the cluster; resolves once it accepts an MQTT login. */
  start(i: number): Promise<void>;
  /**
   * Every node stopped (SIGTERM, the last one node 1), then node 1 started, then the others together;
   * resolves once every node accepts an MQTT login.
   */
  restartAll(): Promise<void>;
  /**
   * A province's controller as one of RabbitMQ's internal users, reading and writing only its province's
   * topics. Checked by the node itself: RabbitMQ 3.10's MQTT plugin caches only the last 12 topic checks of
   * a connection, so a controller publishing 1,000 desired states through the HTTP callback asks it 1,000
   * times (test/bench/cluster.bench.ts). The stations stay with the callback.
   */
  addController(province: string, password: string): Promise<void>;
  /** The last lines of node i's log (warnings and errors), for a failing test's message. */
  log(i: number): string;
  /** Node i's log file (warnings and errors), whole, until stop() removes it. */
  logFile(i: number): string;
  /** Node i's Erlang VM's OS pid while it runs (for its CPU time), else null. */
  pid(i: number): number | null;
  /** Kills every node and the port mapper and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

export interface RabbitClusterOptions {
  /** How many nodes (default 3). */
  nodes?: number;
  /** The controller's HTTP auth base URL (`…/broker-auth/<token>`); absent: internal users, with `loa`. */
  authUrl?: string;
  /** RabbitMQ's own cache in front of the callback, in ms (rabbitmq_auth_backend_cache); absent: none. */
  authCacheMs?: number;
  /** Where the cluster's folder is made (default the system's temp dir); removed by stop(). */
  dir?: string;
}

/** How long a node may take to boot (or rejoin): minutes on a two-core machine shared with other suites. */
const BOOT_MS = 180_000;

/** Whether this machine can run a cluster: Debian's rabbitmq-server and a user to run it as. */
export function rabbitAvailable(): boolean {
  return existsSync(path.join(RABBIT_BIN, 'rabbitmq-server')) && runAsUser() !== null;
}

/** The command that installs what the cluster tests need, for a skip's reason. */
export const RABBIT_INSTALL = 'sudo apt-get install -y --no-install-recommends rabbitmq-server';

// Every node still running when this process exits is killed, even when a test runner is cut short.
const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});

export async function startRabbitCluster(opts: RabbitClusterOptions = {}): Promise<RabbitCluster> {
  const who = runAsUser();
  if (!who) throw new Error(`no user to run RabbitMQ as; install it: ${RABBIT_INSTALL}`);
  const count = opts.nodes ?? 3;
  const root = mkdtempSync(path.join(opts.dir ?? tmpdir(), 'loa-rabbit-'));
  const suffix = randomBytes(3).toString('hex');
  const home = path.join(root, 'home');
  mkdirSync(home);
  writeFileSync(path.join(home, '.erlang.cookie'), randomBytes(16).toString('hex').toUpperCase(), {
    mode: 0o400,
  });
  chownTree(root, who);
  const epmdHeld = await holdPort();
  const shared: ClusterShared = {
    home,
    epmdPort: epmdHeld.port,
    who,
    ...(opts.authUrl ? { authUrl: opts.authUrl } : {}),
    ...(opts.authCacheMs ? { authCacheMs: opts.authCacheMs } : {}),
    user: { username: 'loa', password: randomBytes(8).toString('hex') },
  };
  const specs: NodeSpec[] = [];
  /** Each node's ports, held until its first boot (rabbit/ports.ts). */
  const held: HeldPort[][] = [];
  for (let i = 0; i < count; i++) {
    const ports = [await holdPort(), await holdPort(), await holdPort()];
    held.push(ports);
    const [amqpPort, distPort, mqttPort] = ports.map((h) => h.port) as [number, number, number];
    specs.push({
      name: `loa-${suffix}-${i + 1}@localhost`,
      dir: path.join(root, `node-${i + 1}`),
      amqpPort,
      distPort,
      mqttPort,
      ...(i > 0 ? { seed: `loa-${suffix}-1@localhost` } : {}),
    });
  }
  for (const s of specs) prepareNode(s, shared);

  // The cluster's own port mapper, in the foreground, so that it is ours to stop.
  await epmdHeld.release();
  const epmd = spawnCollecting('epmd', ['-address', '127.0.0.1', '-port', String(shared.epmdPort)], {
    uid: who.uid,
    gid: who.gid,
  });
  const procs: (Proc | null)[] = specs.map(() => null);
  const killNow = (i: number) => {
    const pid = nodePid(specs[i] as NodeSpec);
    if (pid !== null)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    procs[i]?.child.kill('SIGKILL');
  };
  const killAll = () => {
    for (let i = 0; i < specs.length; i++) killNow(i);
    epmd.child.kill('SIGKILL');
  };
  live.add(killAll);

  const describe = (i: number) =>
    `node ${specs[i]?.name}:\n${procs[i]?.output().slice(-2000) ?? ''}\n${nodeLog(specs[i] as NodeSpec)}`;
  const boot = async (i: number) => {
    const spec = specs[i] as NodeSpec;
    rmSync(path.join(spec.dir, 'node.pid'), { force: true });
    await Promise.all((held[i] ?? []).map((h) => h.release()));
    const proc = spawnNode(spec, shared);
    procs[i] = proc;
    let exited = false;
    void proc.exited().then(() => {
      exited = true;
    });
    await waitFor(
      async () => {
        if (exited) throw new Error('exited');
        return (await connackCode(spec.mqttPort, null, 1000)) !== null;
      },
      BOOT_MS,
      `RabbitMQ ${spec.name}'s MQTT port`,
      250,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}${exited ? ' (the node exited)' : ''}\n${describe(i)}`);
    });
  };
  /**
   * Node 1, then the others together, which join it (or, after a whole-cluster restart, sync from it). Not
   * all at once: a node joining while node 1 still makes its tables may read them half-made and stop (CI
   * met `schema_integrity_check_failed`, table_attributes_mismatch on rabbit_user, at node 3).
   */
  const bootInOrder = async () => {
    await boot(0);
    await Promise.all(specs.slice(1).map((_, i) => boot(i + 1)));
  };
  /** Until node i accepts a login: its client-id registry (a Raft cluster of the running nodes) answers. */
  const ready = (i: number) =>
    waitFor(
      async () => (await connackCode((specs[i] as NodeSpec).mqttPort, shared.user, 2000)) === 0,
      BOOT_MS,
      `RabbitMQ ${specs[i]?.name} to accept a login`,
      250,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n${describe(i)}`);
    });
  /** Whether the first node's cluster file lists every node (the others joined it at their first boot). */
  const formed = () => {
    try {
      const first = specs[0] as NodeSpec;
      const file = path.join(first.dir, 'mnesia', first.name, 'cluster_nodes.config');
      const text = readFileSync(file, 'utf8');
      return specs.every((s) => text.includes(`'${s.name}'`));
    } catch {
      return false;
    }
  };
  const kill = async (i: number) => {
    killNow(i);
    await procs[i]?.exited();
    procs[i] = null;
  };
  const stop = async () => {
    killAll();
    await Promise.all([
      ...procs.map((p) => p?.exited()),
      epmd.exited(),
      ...held.flat().map((h) => h.release()),
    ]);
    live.delete(killAll);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await bootInOrder();
    await waitFor(formed, BOOT_MS, 'the nodes to form one cluster', 250);
    await Promise.all(specs.map((_, i) => ready(i)));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    nodes: specs.map((s) => ({
      name: s.name,
      mqttPort: s.mqttPort,
      mqttUrl: `mqtt://127.0.0.1:${s.mqttPort}`,
      amqpPort: s.amqpPort,
    })),
    user: shared.user,
    log: (i) => nodeLog(specs[i] as NodeSpec),
    logFile: (i) => path.join((specs[i] as NodeSpec).dir, 'log', 'node.log'),
    pid: (i) => (procs[i] ? nodePid(specs[i] as NodeSpec) : null),
    addController: async (province, password) => {
      const ctl = (args: string[]) => rabbitmqctl(specs[0] as NodeSpec, shared, args);
      const username = `controller@${province}`;
      // a routing key is the topic with '/' as '.'; a province id has no '.', so the prefix is exact
      const topics = `^loa\\.v2\\.${province}\\.`;
      await ctl(['add_user', username, password]);
      await ctl(['set_permissions', '-p', '/', username, '^mqtt-subscription-', '.*', '.*']);
      await ctl(['set_topic_permissions', '-p', '/', username, 'amq.topic', topics, topics]);
    },
    kill,
    start: async (i) => {
      if (procs[i]) return;
      await boot(i);
      await ready(i);
    },
    restartAll: async () => {
      // RabbitMQ's rule for a whole-cluster restart: the last node to stop starts first (it waits for
      // nobody); the others then sync from it. All at once, each waits for the others' tables (~2 min).
      for (let i = specs.length - 1; i >= 0; i--) {
        const pid = nodePid(specs[i] as NodeSpec);
        if (pid !== null)
          try {
            process.kill(pid, 'SIGTERM');
          } catch {}
        await procs[i]?.exited();
        procs[i] = null;
      }
      // node 1 alone listens but cannot take a login (its registry has no majority) until the others are up
      await bootInOrder();
      await Promise.all(specs.map((_, i) => ready(i)));
    },
    stop,
  };
}
