// MQTT at the controller: the embedded aedes broker, and the controller's own client that publishes
// desired states and ingests presence, health and as-run records from stations.
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { Aedes, type Client } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { DesiredState } from '../schedules/model.ts';
import { alertFilters, parseStationTopic, TOPIC_ROOT, topics } from '../schedules/protocol.ts';
import { republishAlerts, sweepExpiredAlerts } from './alerts/publish.ts';
import { newSecret, verifyStationSecret } from './auth.ts';
import type { Db } from './db.ts';
import { type Clock, type Logger, type MessageBus, type StationLinks, systemClock } from './deps.ts';
import { createStationIngest } from './ingest.ts';
import { createRequestLimiter } from './ratelimit.ts';

export interface EmbeddedBroker extends StationLinks {
  port: number;
  /** Credentials of the controller's own client on this broker. */
  controllerPassword: string;
  close(): Promise<void>;
}

export interface BrokerOptions {
  host: string;
  port: number;
  maxPayloadBytes?: number;
  /** Also listen for mqtts on this port with this certificate. */
  tls?: { port: number; cert: Buffer; key: Buffer };
  /** Connection attempts allowed per address: a burst, then this many per second. */
  connectBurst?: number;
  connectsPerSec?: number;
}

const CONTROLLER_USER = 'controller';
const STATION_READS = new Set(['desired', 'as-run/ack']);
const STATION_WRITES = new Set(['presence', 'health', 'as-run', 'alert-status', 'overrides']);

/** A station's own alert filters (city, its district, its ward, itself); none for an unknown station. */
function stationAlertFilters(db: Db, stationId: string): string[] {
  const st = db.prepare('SELECT id, district, ward FROM stations WHERE id = ?').get(stationId) as
    | { id: string; district: string; ward: string }
    | undefined;
  return st ? alertFilters(st) : [];
}

/** Starts aedes on host:port. Stations log in with their id and secret; the controller with a per-run secret. */
export async function startBroker(db: Db, opts: BrokerOptions, log: Logger): Promise<EmbeddedBroker> {
  const { host, port } = opts;
  const maxPayload = opts.maxPayloadBytes ?? 256 * 1024;
  // A station behind NAT shares its address with few others; a reconnect loop or a scan is throttled.
  const connects = createRequestLimiter(systemClock, opts.connectsPerSec ?? 2, opts.connectBurst ?? 30);
  const controllerPassword = newSecret('ctl');
  const users = new WeakMap<object, string>();
  const broker = await Aedes.createBroker({
    // Our topics have 5 levels; deeper ones are refused before they reach the router.
    maxTopicLevels: 8,
    // A station on a dead 4G link must not stall delivery to the others.
    drainTimeout: 30_000,
    preConnect: (client, _packet, done) => {
      const address = (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown';
      const ok = connects.take(address);
      if (!ok) log.warn(`mqtt: too many connections from ${address}; refused`);
      done(null, ok);
    },
    authenticate: (client, username, password, done) => {
      const pw = password?.toString() ?? '';
      const ok =
        username === CONTROLLER_USER
          ? pw === controllerPassword
          : !!username && verifyStationSecret(db, username, pw);
      if (ok) users.set(client, username as string);
      else log.warn(`mqtt: refused login for '${username ?? ''}'`);
      done(null, ok);
    },
    // A station reads only its own desired state and acks and the bulletins for its city, district,
    // ward and itself; it speaks only for itself. Only the controller publishes bulletins.
    authorizeSubscribe: (client, sub, done) => {
      const user = client ? users.get(client) : undefined;
      const t = parseStationTopic(sub.topic);
      const ok =
        user === CONTROLLER_USER ||
        (t && t.stationId === user && STATION_READS.has(t.kind)) ||
        (!!user &&
          sub.topic.startsWith(`${TOPIC_ROOT}/alerts/`) &&
          stationAlertFilters(db, user).includes(sub.topic));
      // A null subscription answers SUBACK 128 (refused) without dropping the connection.
      if (!ok) log.warn(`mqtt: '${user}' may not subscribe to ${sub.topic}`);
      done(null, ok ? sub : null);
    },
    authorizePublish: (client, packet, done) => {
      const user = client ? users.get(client) : undefined;
      if (packet.payload.length > maxPayload) {
        log.warn(
          `mqtt: '${user}' sent ${packet.payload.length} bytes to ${packet.topic}; limit ${maxPayload}`,
        );
        return done(new Error('payload too large'));
      }
      const t = parseStationTopic(packet.topic);
      const ok = user === CONTROLLER_USER || (t && t.stationId === user && STATION_WRITES.has(t.kind));
      // MQTT 3.1.1 has no refusal for a publish: aedes drops the message and closes the connection.
      done(ok ? null : new Error(`'${user}' may not publish to ${packet.topic}`));
    },
  });
  const live = new Set<Client>();
  broker.on('client', (c) => live.add(c));
  broker.on('clientDisconnect', (c) => live.delete(c));
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  log.info(`embedded MQTT broker listening on ${host}:${boundPort}`);
  let tlsServer: TlsServer | null = null;
  if (opts.tls) {
    tlsServer = createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, broker.handle);
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
    disconnect: (stationId) => {
      for (const client of live) if (users.get(client) === stationId) client.close();
    },
    close: async () => {
      // Stop accepting first: a station reconnecting during the close would otherwise be taken in
      // by a closing broker and hang until its connect timeout.
      const closed = Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => (tlsServer ? tlsServer.close(() => resolve()) : resolve())),
      ]);
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await closed;
    },
  };
}

export interface ControllerLinkDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  url: string;
  username?: string;
  password?: string;
  /** Called on every (re)connect, so retained desired states survive a broker restart. */
  onConnect(): void;
  /** How often expired bulletins are looked for and their retained messages cleared (default 10 s). */
  alertSweepMs?: number;
}

export interface ControllerLink extends MessageBus {
  publishDesired(stationId: string, state: DesiredState): void;
  readonly connected: boolean;
  close(): Promise<void>;
}

export function connectControllerLink(deps: ControllerLinkDeps): ControllerLink {
  const { db, clock, log } = deps;
  const client: MqttClient = mqtt.connect(deps.url, {
    clientId: `controller-${process.pid}`,
    username: deps.username,
    password: deps.password,
    reconnectPeriod: 2000,
  });
  const bus: MessageBus = {
    publish: (topic, payload, opts) => client.publish(topic, payload, { qos: 1, retain: opts.retain }),
  };
  client.on('connect', () => {
    log.info(`mqtt: connected to ${deps.url}`);
    client.subscribe(`${TOPIC_ROOT}/station/+/+`, { qos: 1 });
    deps.onConnect();
    // aedes keeps retained messages in memory only: bulletins still running go out again.
    republishAlerts(db, bus, clock.now(), log);
  });
  client.on('error', (e) => log.warn(`mqtt: ${e.message}`));
  const sweep = setInterval(() => {
    if (client.connected) sweepExpiredAlerts(db, bus, clock.now(), log);
  }, deps.alertSweepMs ?? 10_000);
  sweep.unref();

  const ingest = createStationIngest(db, log);
  client.on('message', (topic, payload) => {
    const ack = ingest.handle(topic, payload, clock.now());
    if (ack) client.publish(topics.asRunAck(ack.stationId), JSON.stringify({ ids: ack.ids }), { qos: 1 });
  });

  return {
    ...bus,
    publishDesired: (stationId, state) =>
      client.publish(topics.desired(stationId), JSON.stringify(state), { qos: 1, retain: true }),
    get connected() {
      return client.connected;
    },
    close: async () => {
      clearInterval(sweep);
      await client.endAsync();
      ingest.flush();
    },
  };
}
