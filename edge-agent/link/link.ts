// The agent's MQTT link: presence and last will, reconnects with back-off; it passes what arrives to the
// bus (inbound.ts) and sends what the bus says changed (publish.ts).
import type { IClientOptions, MqttClient } from 'mqtt';
import { attemptEnd, createReconnectBackoff, type ReconnectBackoff } from '../../common/backoff.ts';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { OverrideReport } from '../../schedules/overrides.ts';
import { type Health, protocolTopics, SUBSCRIBE_QOS, topicRoot } from '../../schedules/protocol.ts';
import type { AgentBus } from '../bus.ts';
import type { AgentConfig } from '../config/config.ts';
import { fixedPosition, gpsdPosition, type PositionSource } from '../hardware/position.ts';
import type { AgentStore } from '../state/store.ts';
import { brokerList, connectClient, firstBroker, parseBrokerUrls } from './brokers.ts';
import { createHello } from './hello.ts';
import { createInbound } from './inbound.ts';
import { createPositionReport } from './position.ts';
import { createPublisher } from './publish.ts';
import { createSignatureCheck } from './signatures.ts';

export interface LinkOptions {
  /** Resend unacknowledged as-run records this often (ms). */
  retryMs: number;
  /** Publish health at least this often (ms). */
  healthMs: number;
  /**
   * Reconnect back-off: the ceiling doubles from minMs up to maxMs and each wait is uniform in
   * [0, ceiling] ("full jitter", common/backoff.ts), so a fleet cut off by a broker restart comes back
   * spread over minMs instead of all in the same second.
   */
  backoff: ReconnectBackoff;
  keepaliveSec: number;
  batchSize: number;
  /** A mobile unit's position source; absent, made from the config's `mobile` (tests pass a fake). */
  position?: PositionSource;
}

export const defaultLinkOptions: LinkOptions = {
  retryMs: 15_000,
  healthMs: 60_000,
  backoff: { minMs: 5000, maxMs: 120_000 },
  keepaliveSec: 30,
  batchSize: 100,
};

export interface LinkDeps {
  stationId: string;
  secret: string;
  /** One broker, or a cluster's nodes separated by commas (mqtt:// or mqtts:// each): brokers.ts. */
  mqttUrl: string;
  store: AgentStore;
  clock: Clock;
  log: Logger;
  bus: AgentBus;
  health(): Health;
  /** The station's overrides, published retained on every change and connect. */
  overrideReport?(): OverrideReport;
  /** Set: protocol v2, topics under loa/v2/<province> and the login `<stationId>@<province>` (docs/protocol.md). */
  province?: string;
  /** Set for a mobile loudspeaker: it reports its position. */
  mobile?: AgentConfig['mobile'];
  /** The controller's signing keys from the config (enrolment); absent or empty: trust on first use. */
  controllerKeys?: AgentConfig['controllerKeys'];
  options?: Partial<LinkOptions>;
}

export interface Link {
  start(): void;
  stop(): Promise<void>;
  readonly connected: boolean;
  /** Publishes the oldest unacknowledged as-run batch now if nothing is awaiting an ack. */
  flush(): void;
  /** Publishes health if anything but the timestamps changed since the last publication. */
  healthChanged(): void;
}

const OWNER = 'link';

export function createLink(deps: LinkDeps): Link {
  const opts = { ...defaultLinkOptions, ...deps.options };
  const { stationId, log, bus } = deps;
  const presence = (online: boolean) => JSON.stringify({ online, at: deps.clock.now().toISOString() });
  let client: MqttClient | null = null;
  let stopped = false;
  const reconnect = createReconnectBackoff(opts.backoff);
  // how the last attempt ended: its error (ECONNREFUSED keeps the back-off short) and whether it had connected
  let lastError: unknown = null;
  let wasConnected = false;
  let timers: NodeJS.Timeout[] = [];
  let reconnectTimer: NodeJS.Timeout | null = null;
  const urls = parseBrokerUrls(deps.mqttUrl);
  const brokers = brokerList(urls, firstBroker(stationId, urls.length));

  // v1 (no province) or v2: the root of every topic, and the login (never ':', a vhost separator to RabbitMQ)
  const topics = protocolTopics(topicRoot(deps.province));
  const username = deps.province ? `${stationId}@${deps.province}` : stationId;
  const send = createPublisher({
    topics,
    ...deps,
    batchSize: opts.batchSize,
    client: () => (client?.connected ? client : null),
  });
  const healthChanged = () => send.health(false);
  const signatures = createSignatureCheck({
    ...deps,
    controllerKeys: deps.controllerKeys ?? [],
    refused: healthChanged,
  });
  const hello = createHello({ ...deps, topics, client: () => (client?.connected ? client : null) });
  const onMessage = createInbound({
    ...deps,
    topics,
    signatures,
    acked: send.acked,
    rollCall: hello.rollCall,
  });
  let position: PositionSource | null = null;
  let report: ReturnType<typeof createPositionReport> | null = null;

  /** A mobile unit's position source and report, at start. */
  function startPosition(m: NonNullable<LinkDeps['mobile']>): void {
    const now = () => deps.clock.now();
    position =
      opts.position ??
      (m.source === 'fixed' && m.fixed
        ? fixedPosition(m.fixed.lat, m.fixed.lon, now)
        : gpsdPosition({ ...m.gpsd, log }));
    report = createPositionReport({
      stationId,
      log,
      topics,
      source: position,
      client: () => (client?.connected ? client : null),
    });
    const r = report;
    timers.push(setInterval(() => r.send(false), m.reportEverySec * 1000));
  }

  function listen(): void {
    bus.on('recordCommitted', OWNER, () => {
      send.flush();
      healthChanged();
    });
    bus.on('onAirChanged', OWNER, healthChanged);
    bus.on('clockTrusted', OWNER, healthChanged);
    bus.on('relayTripped', OWNER, healthChanged);
    bus.on('overrideChanged', OWNER, () => {
      send.overridesChanged();
      healthChanged();
    });
    bus.on('bulletinStatusChanged', OWNER, send.alertStatuses);
    bus.on('desiredApplied', OWNER, ({ state, previous }) => {
      // the station moved in the tree (or its tree was reorganised): its chain's bulletin topics change
      if (!previous || topics.alertFilters(previous).join() !== topics.alertFilters(state.station).join())
        send.subscribeAlerts();
      healthChanged();
    });
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const delay = reconnect.next(attemptEnd(lastError, wasConnected));
    lastError = null;
    wasConnected = false;
    log.info(`mqtt: reconnecting in ${delay} ms`);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      // a failed connection or a drop: a cluster's next node (the same back-off)
      if (brokers.size > 1) log.info(`mqtt: moving to ${brokers.next()}`);
      if (!stopped) client?.reconnect();
    }, delay);
  }

  function onConnect(): void {
    if (!client) return;
    reconnect.connected();
    wasConnected = true;
    log.info(`mqtt: connected to ${brokers.current}`);
    client.publish(topics.presence(stationId), presence(true), { qos: 1, retain: true });
    const exact = [topics.desired(stationId), topics.asRunAck(stationId), topics.rollCall];
    client.subscribe(Object.fromEntries(exact.map((t) => [t, { qos: SUBSCRIBE_QOS }])), (err) => {
      if (err) log.warn(`mqtt: subscribe failed: ${err.message}`);
      // subscribed: what the controller answers to the hello (desired state, bulletins) is delivered
      else hello.send();
    });
    send.connected();
    report?.send(true);
  }

  return {
    get connected() {
      return client?.connected === true;
    },
    start() {
      stopped = false;
      const options: IClientOptions = {
        clientId: `station-${username}`,
        username,
        password: deps.secret,
        // Clean sessions: the desired state is retained and re-delivered on every subscribe, and as-run
        // durability lives in our SQLite outbox (resent until acked), so a broker-side session adds nothing
        // but per-station state on the broker and stale queued acks.
        clean: true,
        // mqtt.js would retry every period without backoff; reconnects are scheduled here instead.
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        keepalive: opts.keepaliveSec,
        // Never queue while offline: everything that must survive lives in the outbox.
        queueQoSZero: false,
        // No table of 65,536 two-byte buffers for packet ids and lengths (6 MB of heap, measured in
        // test/bench/RESULTS.md, agent-footprint): a station sends a few packets a minute.
        writeCache: false,
        will: {
          topic: topics.presence(stationId),
          payload: Buffer.from(presence(false)),
          qos: 1,
          retain: true,
        },
      };
      client = connectClient(brokers, options);
      client.on('connect', onConnect);
      client.on('message', onMessage);
      client.on('close', () => {
        send.closed();
        scheduleReconnect();
      });
      client.on('error', (err) => {
        lastError = err;
        log.warn(`mqtt: ${errorMessage(err)}`);
      });
      listen();
      timers = [
        setInterval(() => send.retry(opts.retryMs), opts.retryMs),
        setInterval(() => send.health(true), opts.healthMs),
      ];
      if (deps.mobile) startPosition(deps.mobile);
    },
    async stop() {
      stopped = true;
      bus.removeListeners(OWNER);
      hello.stop();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const t of timers) clearInterval(t);
      position?.close();
      position = null;
      report = null;
      reconnectTimer = null;
      timers = [];
      const c = client;
      client = null;
      if (!c) return;
      // A broker that stopped answering must not hold up shutdown.
      const bounded = (p: Promise<unknown>) =>
        Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
      if (c.connected) {
        // A clean shutdown: say so explicitly, since the broker does not send the will on DISCONNECT.
        await bounded(c.publishAsync(topics.presence(stationId), presence(false), { qos: 1, retain: true }));
      }
      await bounded(c.endAsync(!c.connected));
      if (!c.disconnected) c.end(true);
    },
    flush: send.flush,
    healthChanged,
  };
}
