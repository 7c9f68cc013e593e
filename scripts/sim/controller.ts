// A controller core for the simulator and the fleet benchmarks: database, desired-state sync, the MQTT
// link, the broker, and on request the HTTP API - as controller/main.ts wires them, minus audio. The broker
// is the embedded aedes in this process (as `npm run controller` runs it), the same aedes in a process of
// its own (scripts/sim/broker.ts, reached like an external broker), or an external one (Mosquitto).
import { type ChildProcess, fork } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { resolveFfmpeg } from '../../audio/index.ts';
import { createFailureLimiter } from '../../common/backoff.ts';
import { systemClock } from '../../common/clock.ts';
import { type Logger, silentLogger } from '../../common/log.ts';
import { createBrokerAuth, mountBrokerAuth } from '../../controller/broker-auth/index.ts';
import { loadConfig } from '../../controller/config.ts';
import { type Db, openDb } from '../../controller/db.ts';
import type { MessageBus } from '../../controller/deps.ts';
import { createApp } from '../../controller/http/app.ts';
import { type EmbeddedBroker, startBroker } from '../../controller/mqtt/broker.ts';
import { createDesiredSync } from '../../controller/mqtt/desired.ts';
import { type ControllerLink, connectControllerLink, linkOver } from '../../controller/mqtt/link.ts';
import { spokenRoots } from '../../controller/mqtt/roots.ts';
import { ensureAdmin } from '../../controller/users/auth.ts';
import { rootProtocol } from '../../schedules/protocol.ts';
import { type BrokerReady, UNTHROTTLED } from './messages.ts';

export type SimBroker =
  /** aedes in this process, as controller/main.ts starts it. */
  | { kind: 'embedded' }
  /** aedes in a child process (scripts/sim/broker.ts) on the same database. */
  | { kind: 'process' }
  | { kind: 'external'; url: string; username: string; password: string };

export interface SimControllerOptions {
  dataDir: string;
  /** Default: embedded. */
  broker?: SimBroker;
  /** The embedded or child broker's port (0: any free port). */
  port?: number;
  log?: Logger;
  /** Also serve the HTTP API on 127.0.0.1 (`port`, default any free port), with this admin password. */
  http?: { adminPassword: string; port?: number };
  /** Set: the controller of this province (`PROVINCE_ID`), speaking v2 only (`MQTT_PROTOCOLS=v2`): on a
   * cluster shared by provinces, v1's topics would be everyone's. */
  province?: string;
  /** Also answer RabbitMQ's auth callback at /broker-auth/<token>/… (needs `http` and an external broker). */
  brokerAuth?: { token: string; cacheMs?: number };
}

export interface SimController {
  db: Db;
  url: string;
  desired: ReturnType<typeof createDesiredSync>;
  broker: EmbeddedBroker | null;
  link: ControllerLink;
  /** The controller's own MQTT login on the broker (for an observer that reads what the controller reads). */
  login: { username: string; password: string };
  /** The HTTP API's base URL, when asked for. */
  api: string | null;
  /** Process id of the broker when it runs in a child process. */
  brokerPid(): number | undefined;
  /**
   * Restarts the embedded or child broker, down `downMs`: the embedded one has every connection dropped,
   * is closed and started again on the same port; the child process is killed (SIGKILL, as a crash or a
   * restart of its service drops every socket at once) and started again. Answers a note if the embedded
   * broker's close did not return.
   */
  restartBroker(downMs?: number): Promise<string | null>;
  close(): Promise<void>;
}

interface ChildBroker {
  child: ChildProcess;
  port: number;
  controllerPassword: string;
}

async function startChildBroker(dbFile: string, port: number): Promise<ChildBroker> {
  const child = fork(path.join(import.meta.dirname, 'broker.ts'), [dbFile, String(port)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<BrokerReady>((resolve, reject) => {
    child.once('message', (m: BrokerReady) => resolve(m));
    child.once('exit', (code) => reject(new Error(`broker process exited (${code})`)));
  });
  return { child, port: ready.port, controllerPassword: ready.controllerPassword };
}

async function killChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGKILL');
  await exited;
}

export async function startSimController(o: SimControllerOptions): Promise<SimController> {
  const log = o.log ?? silentLogger;
  const kind = o.broker ?? { kind: 'embedded' };
  const dbFile = path.join(o.dataDir, 'controller.db');
  const db = openDb(dbFile);
  const brokerOpts = { host: '127.0.0.1', port: o.port ?? 0, ...UNTHROTTLED };
  let broker = kind.kind === 'embedded' ? await startBroker(db, brokerOpts, log) : null;
  let child = kind.kind === 'process' ? await startChildBroker(dbFile, o.port ?? 0) : null;
  const port = broker?.port ?? child?.port;
  const url = kind.kind === 'external' ? kind.url : `mqtt://127.0.0.1:${port}`;
  const password = () =>
    kind.kind === 'external'
      ? kind.password
      : (broker?.controllerPassword ?? child?.controllerPassword ?? '');
  const username = kind.kind === 'external' ? kind.username : 'controller';
  let link: ControllerLink | null = null;
  const desired = createDesiredSync({
    db,
    clock: systemClock,
    log,
    publish: (id, state) => link?.publishDesired(id, state),
  });
  const roots = spokenRoots(o.province ?? null, o.province ? ['v2'] : ['v1']);
  const linkDeps = {
    db,
    clock: systemClock,
    log,
    roots,
    onConnect: () => desired.publishAll(),
    resendDesired: (ids: string[]) => desired.republish(ids),
  };
  // As controller/main.ts: straight into the embedded broker, over MQTT to any other.
  const connect = () =>
    broker
      ? linkOver(linkDeps, broker.inProcess)
      : connectControllerLink({ ...linkDeps, url, username, password: password() });
  // The API publishes bulletins through whichever link is current.
  const bus: MessageBus = {
    publish: (topic, payload, opts) => link?.publish(topic, payload, opts),
    roots,
  };

  let server: Server | null = null;
  let api: string | null = null;
  if (o.http) {
    const config = loadConfig({
      DATA_DIR: o.dataDir,
      ADMIN_PASSWORD: o.http.adminPassword,
      API_RATE_PER_SEC: '1000000000',
      ...(kind.kind === 'external' ? { MQTT_URL: url } : {}),
      ...(o.province ? { PROVINCE_ID: o.province, MQTT_PROTOCOLS: 'v2' } : {}),
    });
    await ensureAdmin(db, o.http.adminPassword, new Date());
    const app = createApp(
      {
        config,
        db,
        clock: systemClock,
        ffmpeg: resolveFfmpeg(process.env),
        desired,
        log,
        stationLinks: broker ?? undefined,
        bus,
      },
      { mqttConnected: () => link?.connected ?? false },
    );
    if (o.brokerAuth) {
      const rules = {
        province: o.province ?? null,
        protocols: roots.map(rootProtocol).map((r) => r.version),
        controllerUsername: username,
      };
      const auth = createBrokerAuth({
        db,
        clock: systemClock,
        log,
        rules,
        controllerPassword: password(),
        cacheMs: o.brokerAuth.cacheMs ?? 5000,
      });
      const failures = createFailureLimiter(systemClock, {
        freeFailures: 1e9,
        baseLockMs: 0,
        maxLockMs: 0,
        windowMs: 1,
      });
      mountBrokerAuth(app, { token: o.brokerAuth.token, auth, failures, log });
    }
    const s = serve({ fetch: app.fetch, port: o.http.port ?? 0, hostname: '127.0.0.1' }) as Server;
    await new Promise<void>((resolve) => s.once('listening', () => resolve()));
    server = s;
    api = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  // After the HTTP API: a cluster asks this controller's auth callback about its own login too.
  link = connect();
  const self: SimController = {
    db,
    url,
    desired,
    broker,
    link,
    login: { username, password: password() },
    api,
    brokerPid: () => child?.child.pid,
    restartBroker: async (downMs = 1000) => {
      let note: string | null = null;
      if (broker) {
        const port = broker.port;
        // The link first, as controller/main.ts stops; then the broker's bounded close, which drops every
        // station at once as a restart of the controller process does.
        await link?.close();
        await broker.close();
        await new Promise((r) => setTimeout(r, downMs));
        broker = await startBroker(db, { ...brokerOpts, port }, log);
      } else if (child) {
        await killChild(child.child);
        await new Promise((r) => setTimeout(r, downMs));
        child = await startChildBroker(dbFile, child.port);
      } else throw new Error('the broker is external');
      // The broker makes a new controller password at every start: log in again with it. The old link may
      // never finish closing (mqtt.js waits for its in-flight QoS 1 messages, which the new broker will not
      // take with the old password): it is left behind after 5 s.
      const old = link;
      const ended = await Promise.race([
        (old?.close() ?? Promise.resolve()).then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!ended)
        note = `${note ? `${note}; ` : ''}the controller's old MQTT link had not closed after 5 s; left behind`;
      link = connect();
      self.broker = broker;
      self.link = link;
      self.login = { username, password: password() };
      return note;
    },
    close: async () => {
      if (server) {
        const s = server;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      // Bounded: neither an mqtt.js end with messages in flight nor aedes' close with many clients must
      // keep a benchmark from its next row.
      const bounded = (p: Promise<unknown>) => Promise.race([p, new Promise((r) => setTimeout(r, 10_000))]);
      await bounded(link?.close() ?? Promise.resolve());
      await bounded(broker?.close() ?? Promise.resolve());
      if (child) await killChild(child.child);
      db.close();
    },
  };
  return self;
}

/** Stations the controller sees online since `since` and whose health reports their current version. */
export function controllerView(db: Db, since: string): { online: number; inSync: number } {
  return db
    .prepare(
      `SELECT COALESCE(SUM(online = 1 AND presence_at >= @since), 0) AS online,
              COALESCE(SUM(online = 1 AND presence_at >= @since AND json_extract(health_json, '$.at') >= @since
                  AND json_extract(health_json, '$.desiredVersion') = desired_version), 0) AS inSync
       FROM stations`,
    )
    .get({ since }) as { online: number; inSync: number };
}
