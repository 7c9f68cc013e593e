// The embedded aedes broker: stations log in with their id (v1) or `<id>@<province>` (v2) and secret, read
// and write only their own topics on their own root and the bulletins of their areas; the controller's own
// client logs in with a per-run secret and speaks every root.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { createSecureContext } from 'node:tls';
import { Aedes, type Client } from 'aedes';
import { type Clock, systemClock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import {
  parseStationTopic,
  protocolTopics,
  rootProtocol,
  TOPIC_ROOT,
  topicRoot,
} from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';
import type { StationLinks } from '../deps.ts';
import { verifyStationSecret } from '../stations/credentials.ts';
import { stationPlace } from '../stations/store.ts';
import { newSecret } from '../users/secrets.ts';
import { MAX_PACKET_BYTES } from './broker-files.ts';
import { CONNECT_LIMITS, createWireGuard, MAX_CONNECT_BYTES } from './guard.ts';
import type { LinkTransport } from './link.ts';
import { embeddedTransport } from './local-link.ts';
import { IndexedPersistence } from './retained.ts';

export interface EmbeddedBroker extends StationLinks {
  port: number;
  /** Credentials of the controller's own client on this broker. */
  controllerPassword: string;
  /** Stations logged in now (the controller's own client not counted). */
  connectedStations(): number;
  /** The controller's link straight into this broker (linkOver), without an MQTT client. */
  inProcess: LinkTransport;
  close(): Promise<void>;
}

export interface BrokerOptions {
  host: string;
  port: number;
  maxPayloadBytes?: number;
  /** Also listen for mqtts on this port with this certificate. */
  tls?: { port: number; cert: Buffer; key: Buffer };
  /** Connection attempts allowed per address: a burst, then this many per second (CONNECT_LIMITS). */
  connectBurst?: number;
  connectsPerSec?: number;
  /** Connections from one address not logged in yet, at most (default: the burst). */
  maxPendingPerAddress?: number;
  /** A connection that has not logged in by then is closed (default 10 s). */
  connectTimeoutMs?: number;
  /** close() waits at most this long for aedes to finish, after dropping every client (default 5 s). */
  closeTimeoutMs?: number;
  clock?: Clock;
  /** The roots spoken (roots.ts, spokenRoots): who may log in (v1 ids, v2 ids of this province); default v1. */
  roots?: readonly string[];
}

const CONTROLLER_USER = 'controller';
const STATION_CLIENT_PREFIX = 'station-';
/** Largest remaining length of a PUBLISH that could pass a payload limit: topic (up to 64 KB), its length, a packet id. */
const PUBLISH_OVERHEAD = 65_535 + 2 + 2;

/** Whether `p` settled within `ms`. */
const bounded = (p: Promise<unknown>, ms: number) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/**
 * A station holds exactly its own client id (`station-` and its username); every id outside the stations'
 * prefix is the controller's. An MQTT broker closes the older of two connections with one id, so an id held
 * by someone else is a way to disconnect them.
 */
const mayHoldClientId = (login: Login, clientId: string) =>
  login.stationId === null
    ? !clientId.startsWith(STATION_CLIENT_PREFIX)
    : clientId === `${STATION_CLIENT_PREFIX}${login.user}`;

const STATION_READS = new Set(['desired', 'as-run/ack']);
// 'position': a mobile station's whereabouts (controller/mobile/), its own topic like the others.
const STATION_WRITES = new Set([
  'presence',
  'health',
  'as-run',
  'alert-status',
  'overrides',
  'position',
  'hello',
]);

/** Who a client is: the controller (stationId null, every root) or a station on its root. */
interface Login {
  user: string;
  stationId: string | null;
  root: string | null;
}

/**
 * The login a username names, or why it is refused: `controller` (or `controller@<province>`), a v1
 * station's bare id, or a v2 station's `<id>@<province>` of this broker's province.
 */
function loginOf(user: string, roots: readonly string[]): Login | string {
  const v2 = roots.map(rootProtocol).find((p) => p.version === 'v2');
  const province = v2?.version === 'v2' ? v2.province : null;
  if (user === CONTROLLER_USER || (province && user === `${CONTROLLER_USER}@${province}`))
    return { user, stationId: null, root: null };
  const at = user.indexOf('@');
  if (at < 0)
    return roots.includes(TOPIC_ROOT)
      ? { user, stationId: user, root: TOPIC_ROOT }
      : 'protocol v1 is not spoken here';
  if (user.slice(at + 1) !== province) return `a station of another province (${user.slice(at + 1)})`;
  return { user, stationId: user.slice(0, at), root: topicRoot(province) };
}

/** A station's own alert filters on its root (each area of its chain and itself); none for an unknown station. */
function stationAlertFilters(db: Db, login: Login): string[] {
  const st = login.stationId && login.root ? stationPlace(db, login.stationId) : undefined;
  return st && login.root ? protocolTopics(login.root).alertFilters(st) : [];
}

/** Whether a station may subscribe to `topic`: its own reads and roll call, its bulletin filters. */
function mayRead(db: Db, login: Login, topic: string): boolean {
  if (login.stationId === null) return true;
  const t = parseStationTopic(topic);
  if (t) return t.root === login.root && t.stationId === login.stationId && STATION_READS.has(t.kind);
  if (!login.root) return false;
  if (topic === protocolTopics(login.root).rollCall) return true;
  return topic.startsWith(`${login.root}/alerts/`) && stationAlertFilters(db, login).includes(topic);
}

/** Whether a client may publish on `topic`: the controller anything, a station its own writes on its root. */
function mayWrite(login: Login | undefined, topic: string): boolean {
  if (!login) return false;
  if (login.stationId === null) return true;
  const t = parseStationTopic(topic);
  return !!t && t.root === login.root && t.stationId === login.stationId && STATION_WRITES.has(t.kind);
}

/** Starts aedes on host:port. Stations log in with their id and secret; the controller with a per-run secret. */
export async function startBroker(db: Db, opts: BrokerOptions, log: Logger): Promise<EmbeddedBroker> {
  const { host, port } = opts;
  const maxPayload = opts.maxPayloadBytes ?? 256 * 1024;
  const connectBurst = opts.connectBurst ?? CONNECT_LIMITS.burst;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
  const guard = createWireGuard(
    {
      maxConnectBytes: MAX_CONNECT_BYTES,
      // As Mosquitto's max_packet_size, unless the payload limit was raised past it.
      maxPacketBytes: Math.max(MAX_PACKET_BYTES, maxPayload + PUBLISH_OVERHEAD),
      connectTimeoutMs,
      maxPendingPerAddress: opts.maxPendingPerAddress ?? connectBurst,
      connectBurst,
      connectsPerSec: opts.connectsPerSec ?? CONNECT_LIMITS.perSec,
    },
    { clock: opts.clock ?? systemClock, log },
  );
  const controllerPassword = newSecret('ctl');
  const roots = opts.roots ?? [TOPIC_ROOT];
  const users = new WeakMap<object, Login>();
  const broker = await Aedes.createBroker({
    // Retained messages indexed by topic level: a SUBSCRIBE no longer scans every retained message.
    persistence: new IndexedPersistence(),
    // Our topics have 5 levels; deeper ones are refused before they reach the router.
    maxTopicLevels: 8,
    // A station on a dead 4G link must not stall delivery to the others.
    drainTimeout: 30_000,
    connectTimeout: connectTimeoutMs,
    // Runs before aedes touches any session under the requested client id: the takeover of an id (and
    // the wipe of its session state) happens only after this answers yes.
    authenticate: (client, username, password, done) => {
      const pw = password?.toString() ?? '';
      const user = username ?? '';
      const login = loginOf(user, roots);
      const known =
        typeof login !== 'string' &&
        (login.stationId === null
          ? pw === controllerPassword
          : !!login.stationId && verifyStationSecret(db, login.stationId, pw));
      const ok = known && mayHoldClientId(login, client.id);
      if (typeof login === 'string') log.warn(`mqtt: refused login for '${user}': ${login}`);
      else if (!known) log.warn(`mqtt: refused login for '${user}'`);
      else if (!ok) log.warn(`mqtt: '${user}' may not connect as client id '${client.id}'; refused`);
      if (ok) {
        users.set(client, login);
        guard.admitted(client.conn);
      } else {
        // aedes clears the session state stored under a refused client's id when it closes it: the
        // refused one must not carry the id of the client it tried to displace.
        (client as { id: string }).id = `refused-${randomUUID()}`;
      }
      done(null, ok);
    },
    // A station reads only its own desired state and acks and the bulletins for the areas of its chain
    // (root to leaf) and itself; it speaks only for itself. Only the controller publishes bulletins.
    authorizeSubscribe: (client, sub, done) => {
      const login = client ? users.get(client) : undefined;
      const ok = !!login && mayRead(db, login, sub.topic);
      // A null subscription answers SUBACK 128 (refused) without dropping the connection.
      if (!ok) log.warn(`mqtt: '${login?.user}' may not subscribe to ${sub.topic}`);
      done(null, ok ? sub : null);
    },
    authorizePublish: (client, packet, done) => {
      const login = client ? users.get(client) : undefined;
      const user = login?.user;
      if (packet.payload.length > maxPayload) {
        log.warn(
          `mqtt: '${user}' sent ${packet.payload.length} bytes to ${packet.topic}; limit ${maxPayload}`,
        );
        return done(new Error('payload too large'));
      }
      const ok = mayWrite(login, packet.topic);
      // MQTT 3.1.1 has no refusal for a publish: aedes drops the message and closes the connection.
      done(ok ? null : new Error(`'${user}' may not publish to ${packet.topic}`));
    },
  });
  const live = new Set<Client>();
  broker.on('client', (c) => live.add(c));
  broker.on('clientDisconnect', (c) => live.delete(c));
  const server: Server = createServer((socket) => guard.accept(socket, broker.handle));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  log.info(`embedded MQTT broker listening on ${host}:${boundPort}`);
  let tlsServer: Server | null = null;
  if (opts.tls) {
    // TLS is opened inside the guard, so a handshake that never ends counts and times out like a CONNECT.
    const secure = createSecureContext({ cert: opts.tls.cert, key: opts.tls.key });
    tlsServer = createServer((socket) => guard.accept(socket, broker.handle, secure));
    const s = tlsServer;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(opts.tls?.port, host, () => resolve());
    });
    log.info(`embedded MQTT broker listening for mqtts on ${host}:${opts.tls.port}`);
  }
  return {
    port: boundPort,
    controllerPassword,
    inProcess: embeddedTransport(broker),
    connectedStations: () => {
      let n = 0;
      for (const c of live) if (users.get(c)?.stationId) n++;
      return n;
    },
    disconnect: (stationId) => {
      for (const client of live) if (users.get(client)?.stationId === stationId) client.close();
    },
    close: async () => {
      // Stop accepting first: a station reconnecting during the close would otherwise be taken in
      // by a closing broker and hang until its connect timeout.
      const listening = Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => (tlsServer ? tlsServer.close(() => resolve()) : resolve())),
      ]);
      // The listeners close only when every connection has: half-open ones would hold them until timeout.
      guard.close();
      // Every client is dropped at once, as a restart of the process drops them: each station starts its
      // reconnect backoff now rather than when aedes reaches it. aedes' own close ends its clients one by
      // one (about 5 s for 10,000 here), and with messages in flight it has been seen never to finish.
      // Their last wills are not published: nobody is left to hear them, and publishing thousands of them
      // through a closing broker was most of the time a close took.
      broker.authorizePublish = (_client, _packet, done) => done(new Error('the broker is closing'));
      for (const c of live) c.conn.destroy();
      const closed = await bounded(
        new Promise<void>((resolve) => broker.close(() => resolve())),
        closeTimeoutMs,
      );
      if (!closed)
        log.warn(`mqtt: the embedded broker had not closed after ${closeTimeoutMs} ms; left behind`);
      await bounded(listening, closeTimeoutMs);
    },
  };
}
