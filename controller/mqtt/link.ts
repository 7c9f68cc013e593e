// The controller's own MQTT link: publishes desired states and bulletins (republished at every connect,
// cleared at expiry), answers hellos, calls the roll after each connect, and hands what stations send to
// the ingest, on each root it speaks (loa/v1, loa/v2/<province>). It runs over an MQTT client (an external
// broker or cluster, MQTT_URL) or straight into the embedded broker of this process (local-link.ts).
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { DesiredState } from '../../schedules/model.ts';
import { parseStationTopic, protocolTopics, SUBSCRIBE_QOS, TOPIC_ROOT } from '../../schedules/protocol.ts';
import { republishAlerts, sweepExpiredAlerts } from '../alerts/publish.ts';
import type { Db } from '../db.ts';
import type { MessageBus } from '../deps.ts';
import { alertPublished, mobileOver, receivePosition } from '../mobile/deliver.ts';
import { deliveriesTo } from '../mobile/store.ts';
import { type MessageSigner, signDesired, signedPayload } from '../signing/publish.ts';
import { createHelloAnswer } from './hello.ts';
import { createStationIngest } from './ingest.ts';
import type { LoadMetrics } from './load.ts';
import { createStationRoots } from './roots.ts';

export interface LinkDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Called on every (re)connect, so retained desired states survive a broker restart. */
  onConnect(): void;
  /** How often expired bulletins are looked for and their retained messages cleared (default 10 s). */
  alertSweepMs?: number;
  metrics?: LoadMetrics;
  /** Signs every desired state and bulletin (controller/signing/); absent: they go out unsigned (tests). */
  signer?: MessageSigner;
  /** The roots spoken (roots.ts, spokenRoots); default v1 only. */
  roots?: readonly string[];
  /** Publishes these stations' current desired states again (hellos with another version). */
  resendDesired?(stationIds: string[]): void;
  /** Stations answer the roll call after each connect within this (default 30 s). */
  rollCallWithinMs?: number;
}

export interface ControllerLinkDeps extends LinkDeps {
  /** One broker, or a cluster's nodes separated by commas: the client moves to the next on a failed connection. */
  url: string;
  username?: string;
  password?: string;
}

export interface ControllerLink extends MessageBus {
  /** `taken` is called once the broker has the message (its PUBACK), or with the error that lost it. */
  publishDesired(stationId: string, state: DesiredState, taken?: (err?: Error) => void): void;
  readonly connected: boolean;
  /** The roots spoken, v1 first. */
  readonly roots: readonly string[];
  close(): Promise<void>;
}

/** What a link runs over: QoS 1 publishing, and every message on the stations' topics. */
export interface LinkTransport {
  /** Where it goes, for the log. */
  readonly name: string;
  /** `done` once the broker has the message (or the error that lost it). */
  publish(topic: string, payload: string, retain: boolean, done?: (err?: Error) => void): void;
  readonly connected: boolean;
  /**
   * Subscribes `filters`; `up` at every (re)connect once subscribed, `message` for each message
   * (`retained`: a retained copy replayed at the subscription, not a message sent now).
   */
  start(
    filters: readonly string[],
    on: { up(): void; message(topic: string, payload: Buffer, retained: boolean): void },
  ): void;
  end(): Promise<void>;
}

/** The link over an MQTT client: an external broker (or, in tests, the embedded one over TCP). */
export function connectControllerLink(deps: ControllerLinkDeps): ControllerLink {
  return linkOver(deps, mqttTransport(deps));
}

function mqttTransport(deps: ControllerLinkDeps): LinkTransport {
  const urls = deps.url.split(',').map((u) => new URL(u.trim()));
  const client: MqttClient = mqtt.connect(deps.url.split(',')[0]?.trim() ?? deps.url, {
    // a cluster's nodes: mqtt.js tries the next one at each reconnect
    ...(urls.length > 1
      ? {
          servers: urls.map((u) => ({
            host: u.hostname,
            port: Number(u.port || 1883),
            protocol: u.protocol.replace(':', '') as 'mqtt',
          })),
        }
      : {}),
    clientId: `controller-${process.pid}`,
    username: deps.username,
    password: deps.password,
    reconnectPeriod: 2000,
  });
  client.on('error', (e) => deps.log.warn(`mqtt: ${e.message}`));
  return {
    name: deps.url,
    publish: (topic, payload, retain, done) => client.publish(topic, payload, { qos: 1, retain }, done),
    get connected() {
      return client.connected;
    },
    start: (filters, on) => {
      client.on('connect', () => {
        client.subscribe([...filters], { qos: SUBSCRIBE_QOS });
        on.up();
      });
      client.on('message', (topic, payload, packet) => on.message(topic, payload, packet.retain));
    },
    end: async () => {
      await client.endAsync();
    },
  };
}

export function linkOver(deps: LinkDeps, raw: LinkTransport): ControllerLink {
  const { db, clock, log } = deps;
  const { signer } = deps;
  // every bulletin (its mobile copies, live sessions) is signed on its way out
  const transport: LinkTransport = !signer
    ? raw
    : {
        name: raw.name,
        get connected() {
          return raw.connected;
        },
        start: (filters, on) => raw.start(filters, on),
        end: () => raw.end(),
        publish: (topic, payload, retain, done) => {
          let out: string;
          try {
            out = signedPayload(signer, topic, payload);
          } catch (e) {
            log.error(`mqtt: not published on ${topic}: ${errorMessage(e)}`);
            return done?.(e instanceof Error ? e : new Error(String(e)));
          }
          raw.publish(topic, out, retain, done);
        },
      };
  const roots = createStationRoots(db, deps.roots ?? [TOPIC_ROOT]);
  const first = roots.spoken[0] as string;
  // Mobile loudspeakers hear every bulletin the controller publishes and send their own copies, each on
  // the root its unit speaks (every spoken root while that is not known).
  const mobile = mobileOver(
    db,
    log,
    {
      publish: (topic, payload, opts) => transport.publish(topic, payload, opts.retain),
      roots: roots.spoken,
    },
    roots,
  );
  const bus: MessageBus = {
    roots: roots.spoken,
    publish: (topic, payload, opts) => {
      transport.publish(topic, payload, opts.retain);
      // a bulletin goes out once per root: the mobile copies follow one of them
      if (topic.startsWith(`${first}/`)) alertPublished(mobile, topic, payload, clock.now());
    },
  };
  const ingest = createStationIngest({
    db,
    clock,
    log,
    metrics: deps.metrics,
    // Back on the root the batch came from: the roots learnt the station's root from that very batch
    // before it reached the ingest.
    ack: (stationId, ids) => {
      for (const root of roots.rootsOf(stationId))
        transport.publish(protocolTopics(root).asRunAck(stationId), JSON.stringify({ ids }), false);
    },
  });
  const resend = new Set<string>();
  const hello = createHelloAnswer({
    db,
    log,
    publish: (topic, payload, retain) => transport.publish(topic, payload, retain),
    resendDesired: (id) => {
      // the hellos of a turn (a reconnect storm) make one pass over the tree
      if (resend.size === 0)
        setImmediate(() => {
          const ids = [...resend];
          resend.clear();
          deps.resendDesired?.(ids);
        });
      resend.add(id);
    },
  });
  const rollCall = () => {
    const payload = JSON.stringify({
      at: clock.now().toISOString(),
      withinMs: deps.rollCallWithinMs ?? 30_000,
    });
    for (const root of roots.spoken) transport.publish(protocolTopics(root).rollCall, payload, false);
  };
  transport.start(
    roots.spoken.map((r) => protocolTopics(r).stations),
    {
      up: () => {
        log.info(`mqtt: connected to ${transport.name} (${roots.spoken.join(', ')})`);
        deps.onConnect();
        // Retained messages live in the broker's memory only: bulletins still running go out again.
        republishAlerts(db, bus, clock.now(), log);
        // On a cluster neither retained presence nor the hellos sent while away can be relied on.
        rollCall();
      },
      message: (topic, payload, retained) => {
        const moved = roots.heard(topic, retained);
        if (moved?.before) {
          // it moved to another root: its retained messages on the old one would outlive it there (and a
          // stale presence replayed at the next connect would say it is offline)
          const old = protocolTopics(moved.before);
          for (const topic of ['desired', 'presence', 'health', 'overrides', 'position'] as const)
            transport.publish(old[topic](moved.stationId), '', true);
          // a mobile unit's retained copies too: its hello on the new root gets them there
          for (const d of deliveriesTo(db, moved.stationId))
            transport.publish(old.alert({ scope: 'station', id: moved.stationId }, d.alert_id), '', true);
          log.info(`mqtt: station ${moved.stationId} moved from ${moved.before}`);
        }
        const t = parseStationTopic(topic);
        if (t?.kind === 'hello') hello(t.stationId, t.root, payload, clock.now());
        else if (t?.kind === 'position') receivePosition(mobile, t.stationId, payload, clock.now());
        else ingest.receive(topic, payload);
      },
    },
  );
  const sweep = setInterval(() => {
    if (transport.connected) sweepExpiredAlerts(db, bus, clock.now(), log);
  }, deps.alertSweepMs ?? 10_000);
  sweep.unref();

  return {
    ...bus,
    publishDesired: (stationId, state, taken) => {
      const payload = signer ? signDesired(signer, state) : JSON.stringify(state);
      const on = roots.rootsOf(stationId);
      let left = on.length;
      let failed = false;
      const done = (err?: Error) => {
        left--;
        if (err && !failed) taken?.(err);
        else if (left === 0 && !failed) taken?.();
        failed ||= !!err;
      };
      for (const root of on) transport.publish(protocolTopics(root).desired(stationId), payload, true, done);
    },
    get connected() {
      return transport.connected;
    },
    roots: roots.spoken,
    close: async () => {
      clearInterval(sweep);
      await transport.end();
      ingest.flush();
    },
  };
}
