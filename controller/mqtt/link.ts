// The controller's own MQTT link: publishes desired states and bulletins (republished at every connect,
// cleared at expiry), and hands what stations send to the ingest. It runs over an MQTT client (an external
// broker, MQTT_URL) or straight into the embedded broker of this process (local-link.ts).
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { DesiredState } from '../../schedules/model.ts';
import { parseStationTopic, TOPIC_ROOT, topics } from '../../schedules/protocol.ts';
import { republishAlerts, sweepExpiredAlerts } from '../alerts/publish.ts';
import type { Db } from '../db.ts';
import type { MessageBus } from '../deps.ts';
import { alertPublished, type MobileDeps, receivePosition } from '../mobile/deliver.ts';
import { type MessageSigner, signDesired, signedPayload } from '../signing/publish.ts';
import { createStationIngest } from './ingest.ts';
import type { LoadMetrics } from './load.ts';

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
}

export interface ControllerLinkDeps extends LinkDeps {
  url: string;
  username?: string;
  password?: string;
}

export interface ControllerLink extends MessageBus {
  /** `taken` is called once the broker has the message (its PUBACK), or with the error that lost it. */
  publishDesired(stationId: string, state: DesiredState, taken?: (err?: Error) => void): void;
  readonly connected: boolean;
  close(): Promise<void>;
}

/** What a link runs over: QoS 1 publishing, and every message on the stations' topics. */
export interface LinkTransport {
  /** Where it goes, for the log. */
  readonly name: string;
  /** `done` once the broker has the message (or the error that lost it). */
  publish(topic: string, payload: string, retain: boolean, done?: (err?: Error) => void): void;
  readonly connected: boolean;
  /** Subscribes `filter`; `up` at every (re)connect once subscribed, `message` for each message. */
  start(filter: string, on: { up(): void; message(topic: string, payload: Buffer): void }): void;
  end(): Promise<void>;
}

/** The link over an MQTT client: an external broker (or, in tests, the embedded one over TCP). */
export function connectControllerLink(deps: ControllerLinkDeps): ControllerLink {
  return linkOver(deps, mqttTransport(deps));
}

function mqttTransport(deps: ControllerLinkDeps): LinkTransport {
  const client: MqttClient = mqtt.connect(deps.url, {
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
    start: (filter, on) => {
      client.on('connect', () => {
        client.subscribe(filter, { qos: 1 });
        on.up();
      });
      client.on('message', (topic, payload) => on.message(topic, payload));
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
        start: (filter, on) => raw.start(filter, on),
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
  // Mobile loudspeakers hear every bulletin the controller publishes and send their own copies.
  const mobile: MobileDeps = {
    db,
    log,
    publish: (topic, payload) => transport.publish(topic, payload, true),
  };
  const bus: MessageBus = {
    publish: (topic, payload, opts) => {
      transport.publish(topic, payload, opts.retain);
      alertPublished(mobile, topic, payload, clock.now());
    },
  };
  const ingest = createStationIngest({
    db,
    clock,
    log,
    metrics: deps.metrics,
    ack: (stationId, ids) => transport.publish(topics.asRunAck(stationId), JSON.stringify({ ids }), false),
  });
  transport.start(`${TOPIC_ROOT}/station/+/+`, {
    up: () => {
      log.info(`mqtt: connected to ${transport.name}`);
      deps.onConnect();
      // Retained messages live in the broker's memory only: bulletins still running go out again.
      republishAlerts(db, bus, clock.now(), log);
    },
    message: (topic, payload) => {
      const t = parseStationTopic(topic);
      if (t?.kind === 'position') receivePosition(mobile, t.stationId, payload, clock.now());
      else ingest.receive(topic, payload);
    },
  });
  const sweep = setInterval(() => {
    if (transport.connected) sweepExpiredAlerts(db, bus, clock.now(), log);
  }, deps.alertSweepMs ?? 10_000);
  sweep.unref();

  return {
    ...bus,
    publishDesired: (stationId, state, taken) =>
      transport.publish(
        topics.desired(stationId),
        signer ? signDesired(signer, state) : JSON.stringify(state),
        true,
        taken,
      ),
    get connected() {
      return transport.connected;
    },
    close: async () => {
      clearInterval(sweep);
      await transport.end();
      ingest.flush();
    },
  };
}
