// One RabbitMQ node of a test cluster: its folder, config file and environment, started as the
// `rabbitmq` user (as root) or as whoever runs the tests, and its command line tool (rabbitmqctl).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Proc, spawnCollecting } from '../process.ts';

/** Where Debian's package puts the scripts that run a node as the caller (not the root-only wrappers). */
export const RABBIT_BIN = '/usr/lib/rabbitmq/bin';

/** The user a node runs as: `rabbitmq` when the tests run as root (the Debian package's user). */
export interface RunAs {
  uid: number;
  gid: number;
}

export function runAsUser(): RunAs | null {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === undefined || gid === undefined) return null;
  if (uid !== 0) return { uid, gid };
  const id = (flag: string) => spawnSync('id', [flag, 'rabbitmq'], { encoding: 'utf8' });
  const u = id('-u');
  const g = id('-g');
  if (u.status !== 0 || g.status !== 0) return null;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Hands `dir` and everything under it to the node's user (its data, logs and pid file live there). */
export function chownTree(dir: string, who: RunAs): void {
  chownSync(dir, who.uid, who.gid);
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) chownTree(p, who);
    else chownSync(p, who.uid, who.gid);
  }
}

export interface NodeSpec {
  /** The Erlang node name, `loa-<suffix>-<n>@localhost`. */
  name: string;
  dir: string;
  amqpPort: number;
  distPort: number;
  mqttPort: number;
  /** The node a blank node joins at its first boot (RabbitMQ's config-based peer discovery). */
  seed?: string;
}

export interface ClusterShared {
  /** HOME of every node and every rabbitmqctl: holds the cluster's own Erlang cookie. */
  home: string;
  epmdPort: number;
  who: RunAs;
  /** The controller's HTTP auth base URL; absent: the internal backend with one user. */
  authUrl?: string;
  /** RabbitMQ's own cache in front of the callback (ms); absent: none, every check asks the callback. */
  authCacheMs?: number;
  user: { username: string; password: string };
}

/** The node's rabbitmq.conf: listeners on 127.0.0.1 only, no guest, MQTT with logins required. */
export function nodeConfig(spec: NodeSpec, shared: ClusterShared): string {
  const auth = shared.authUrl
    ? [
        // the controllers are internal users (`addController`); a name the internal backend does not
        // know goes on to the callback: every station. A station's connect asks about 30 checks (login,
        // vhost, its queue and the exchange for each of its 7 subscriptions, each topic), many of them the
        // same: with `authCacheMs`, RabbitMQ's cache answers the repeats, adding its lifetime to a
        // revocation's delay.
        'auth_backends.1 = internal',
        ...(shared.authCacheMs
          ? [
              'auth_backends.2 = cache',
              'auth_cache.cached_backend = http',
              `auth_cache.cache_ttl = ${shared.authCacheMs}`,
            ]
          : ['auth_backends.2 = http']),
        'auth_http.http_method = post',
        ...['user', 'vhost', 'resource', 'topic'].map(
          (check) => `auth_http.${check}_path = ${shared.authUrl?.replace(/\/$/, '')}/${check}`,
        ),
      ]
    : ['auth_backends.1 = internal'];
  return [
    `listeners.tcp.default = 127.0.0.1:${spec.amqpPort}`,
    `mqtt.listeners.tcp.default = 127.0.0.1:${spec.mqttPort}`,
    'mqtt.allow_anonymous = false',
    ...auth,
    // a blank node joins the seed node at first boot, retrying while the seed is still booting
    ...(spec.seed
      ? [
          'cluster_formation.peer_discovery_backend = classic_config',
          `cluster_formation.classic_config.nodes.1 = ${spec.seed}`,
          'cluster_formation.discovery_retry_limit = 180',
          'cluster_formation.discovery_retry_interval = 500',
        ]
      : []),
    // the internal backend's one user, made at the first boot of a blank node (and taken from the
    // cluster by a node that joins it); no guest
    `default_user = ${shared.user.username}`,
    `default_pass = ${shared.user.password}`,
    'default_permissions.configure = .*',
    'default_permissions.read = .*',
    'default_permissions.write = .*',
    'loopback_users = none',
    // several nodes share a small machine with the tests
    'vm_memory_high_watermark.relative = 0.2',
    'disk_free_limit.absolute = 50MB',
    'log.console = false',
    'log.file.level = warning',
    '',
  ].join('\n');
}

export function nodeEnv(spec: NodeSpec, shared: ClusterShared): NodeJS.ProcessEnv {
  return {
    PATH: `${RABBIT_BIN}:/usr/bin:/bin:/usr/sbin:/sbin`,
    LANG: 'C.UTF-8',
    HOME: shared.home,
    RABBITMQ_NODENAME: spec.name,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(spec.amqpPort),
    RABBITMQ_DIST_PORT: String(spec.distPort),
    RABBITMQ_CONF_ENV_FILE: path.join(spec.dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: path.join(spec.dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(spec.dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(spec.dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: path.join(spec.dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(spec.dir, 'log'),
    RABBITMQ_LOGS: path.join(spec.dir, 'log', 'node.log'),
    RABBITMQ_PID_FILE: path.join(spec.dir, 'node.pid'),
    ERL_EPMD_PORT: String(shared.epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    // no spinning schedulers: three nodes and the tests share two cores
    RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD: 'none',
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
}

/** Writes the node's files (owned by its user): config, plugins, an empty env file, data and log dirs. */
export function prepareNode(spec: NodeSpec, shared: ClusterShared): void {
  mkdirSync(path.join(spec.dir, 'mnesia'), { recursive: true });
  mkdirSync(path.join(spec.dir, 'log'), { recursive: true });
  writeFileSync(path.join(spec.dir, 'rabbitmq.conf'), nodeConfig(spec, shared));
  writeFileSync(path.join(spec.dir, 'rabbitmq-env.conf'), '');
  const plugins = shared.authUrl
    ? `rabbitmq_mqtt,rabbitmq_auth_backend_http${shared.authCacheMs ? ',rabbitmq_auth_backend_cache' : ''}`
    : 'rabbitmq_mqtt';
  writeFileSync(path.join(spec.dir, 'enabled_plugins'), `[${plugins}].\n`);
  chownTree(spec.dir, shared.who);
}

/** Starts the node's Erlang VM in the foreground (its process is a child of this one). */
export function spawnNode(spec: NodeSpec, shared: ClusterShared): Proc {
  return spawnCollecting(path.join(RABBIT_BIN, 'rabbitmq-server'), [], {
    env: nodeEnv(spec, shared),
    cwd: spec.dir,
    uid: shared.who.uid,
    gid: shared.who.gid,
  });
}

/** The node's Erlang VM's OS pid, from the pid file it writes at boot; null before that. */
export function nodePid(spec: NodeSpec): number | null {
  try {
    const pid = Number(readFileSync(path.join(spec.dir, 'node.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The tail of the node's log, for failure messages. */
export function nodeLog(spec: NodeSpec): string {
  try {
    return readFileSync(path.join(spec.dir, 'log', 'node.log'), 'utf8').slice(-6000);
  } catch {
    return '(no log)';
  }
}

/** Runs rabbitmqctl against the node; rejects with its output on failure. */
export function rabbitmqctl(spec: NodeSpec, shared: ClusterShared, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(RABBIT_BIN, 'rabbitmqctl'), ['-n', spec.name, ...args], {
      env: nodeEnv(spec, shared),
      cwd: spec.dir,
      uid: shared.who.uid,
      gid: shared.who.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`rabbitmqctl ${args.join(' ')}: ${out.trim()}`)),
    );
  });
}
