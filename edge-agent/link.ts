// The agent's MQTT link: presence and last will, desired state in, durable as-run outbox out, health out.
import mqtt, { type MqttClient } from 'mqtt';
import type { AlertStatus } from '../schedules/alerts.ts';
import { DesiredState } from '../schedules/model.ts';
import type { OverrideReport } from '../schedules/overrides.ts';
import { AsRunAck, type Health, TOPIC_ROOT, topics } from '../schedules/protocol.ts';
import { type Clock, errorMessage, type Logger } from './deps.ts';
import type { AgentStore } from './store.ts';

export interface LinkOptions {
  /** Resend unacknowledged as-run records this often (ms). */
  retryMs: number;
  /** Publish health at least this often (ms). */
  healthMs: number;
  /**
   * Reconnect backoff: the ceiling doubles from minMs up to maxMs and each wait is uniform in
   * [0, ceiling] ("full jitter"), so a fleet cut off by a broker restart comes back spread over
   * minMs instead of all in the same second.
   */
  backoff: { minMs: number; maxMs: number };
  keepaliveSec: number;
  batchSize: number;
}

export const defaultLinkOptions: LinkOptions = {
  retryMs: 15_000,
  healthMs: 60_000,
  backoff: { minMs: 5000, maxMs: 120_000 },
  keepaliveSec: 30,
  batchSize: 100,
};

/** The wait before reconnect attempt `failures` + 1: uniform in [0, min(maxMs, minMs * 2^failures)]. */
export function reconnectDelay(
  failures: number,
  backoff: LinkOptions['backoff'],
  random = Math.random,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(failures, 20));
  return Math.round(random() * ceiling);
}

export interface LinkDeps {
  stationId: string;
  secret: string;
  mqttUrl: string;
  store: AgentStore;
  clock: Clock;
  log: Logger;
  /** Called with a schema-valid desired state for this station; returns false if it was not newer. */
  onDesired(state: DesiredState): boolean;
  health(): Health;
  /** Bulletins: the topic filters to subscribe to (empty until the station's district and ward are known). */
  alertFilters?(): string[];
  onAlert?(topic: string, payload: Buffer): void;
  /** Bulletin states waiting to be reported, and the ones the broker took. */
  alertStatuses?(): AlertStatus[];
  alertStatusesSent?(statuses: AlertStatus[]): void;
  /** The station's overrides, published retained on every change and connect. */
  overrideReport?(): OverrideReport;
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
  /** Publishes the bulletin states not yet reported. */
  alertStatusChanged(): void;
  /** Publishes the override report (retained). */
  overridesChanged(): void;
  /** Subscribes to the alert filters anew (the station's district or ward changed). */
  alertFiltersChanged(): void;
}

export function createLink(deps: LinkDeps): Link {
  const opts = { ...defaultLinkOptions, ...deps.options };
  const { stationId, store, log } = deps;
  const presence = (online: boolean) => JSON.stringify({ online, at: deps.clock.now().toISOString() });
  let client: MqttClient | null = null;
  let stopped = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let healthTimer: NodeJS.Timeout | null = null;
  /** When the batch now awaiting its ack was sent; null if none is. */
  let inflightAt: number | null = null;
  let lastHealthKey = '';

  const online = () => client?.connected === true;

  function publishBatch(): void {
    if (!client || !online()) return;
    const records = store.outboxBatch(opts.batchSize);
    if (records.length === 0) {
      inflightAt = null;
      return;
    }
    inflightAt = Date.now();
    client.publish(topics.asRun(stationId), JSON.stringify({ records }), { qos: 1 }, (err) => {
      if (err) log.warn(`as-run: publish of ${records.length} records failed: ${err.message}`);
    });
  }

  function publishHealth(force: boolean): void {
    if (!client || !online()) return;
    const h = deps.health();
    // Measurements drift all the time; only a change of state is worth a message before the interval.
    const { at, uptimeSec, systemUptimeSec, diskFreeBytes, cpuTempC, clockOffsetMs, ...state } = h;
    const key = JSON.stringify(state);
    if (!force && key === lastHealthKey) return;
    lastHealthKey = key;
    client.publish(topics.health(stationId), JSON.stringify(h), { qos: 0, retain: true });
  }

  let statusInFlight = false;
  function publishAlertStatuses(): void {
    if (!client || !online() || statusInFlight || !deps.alertStatuses) return;
    const statuses = deps.alertStatuses();
    if (statuses.length === 0) return;
    statusInFlight = true;
    client.publish(topics.alertStatus(stationId), JSON.stringify({ statuses }), { qos: 1 }, (err) => {
      statusInFlight = false;
      if (err) return log.warn(`bulletin status: publish failed: ${err.message}`);
      deps.alertStatusesSent?.(statuses);
      publishAlertStatuses(); // states that changed meanwhile
    });
  }

  /** Whether the last report may not have reached the broker; an empty report is not worth a first message. */
  let overridesDirty = false;
  function publishOverrides(): void {
    if (!client || !online() || !deps.overrideReport) return;
    const report = deps.overrideReport();
    if (report.overrides.length === 0 && !overridesDirty) return;
    overridesDirty = true;
    client.publish(topics.overrides(stationId), JSON.stringify(report), { qos: 1, retain: true }, (err) => {
      if (!err) overridesDirty = false;
    });
  }

  let alertSubs: string[] = [];
  function subscribeAlerts(): void {
    if (!client || !online()) return;
    const filters = deps.alertFilters?.() ?? [];
    const gone = alertSubs.filter((f) => !filters.includes(f));
    if (gone.length) client.unsubscribe(gone);
    alertSubs = filters;
    if (filters.length === 0) return;
    client.subscribe(Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])), (err) => {
      if (err) log.warn(`mqtt: bulletin subscribe failed: ${err.message}`);
    });
  }

  function onMessage(topic: string, payload: Buffer): void {
    if (topic.startsWith(`${TOPIC_ROOT}/alerts/`)) {
      deps.onAlert?.(topic, payload);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      if (payload.length > 0 || topic !== topics.desired(stationId))
        log.warn(`mqtt: dropped non-JSON on ${topic}`);
      else log.warn(`mqtt: desired state was cleared on the broker; keeping the stored one`);
      return;
    }
    if (topic === topics.desired(stationId)) {
      const parsed = DesiredState.safeParse(json);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        log.warn(`mqtt: dropped invalid desired state (${first?.path.join('.')}: ${first?.message})`);
        return;
      }
      if (parsed.data.station.id !== stationId) {
        log.warn(`mqtt: dropped desired state for station ${parsed.data.station.id}`);
        return;
      }
      const applied = store.desiredVersion();
      if (parsed.data.version === applied) {
        // the retained state comes again on every (re)subscribe: expected, not worth a warning
        log.info(`mqtt: desired state v${applied} is already applied`);
      } else if (!deps.onDesired(parsed.data)) {
        log.warn(`mqtt: dropped desired state v${parsed.data.version} (applied is v${applied})`);
      }
    } else if (topic === topics.asRunAck(stationId)) {
      const parsed = AsRunAck.safeParse(json);
      if (!parsed.success) {
        log.warn('mqtt: dropped invalid as-run ack');
        return;
      }
      const removed = store.ackOutbox(parsed.data.ids);
      if (removed === 0) return; // a stale or foreign ack: the retry timer takes care of the rest
      log.info(`as-run: ${removed} records acknowledged, ${store.outboxLength()} left`);
      inflightAt = null;
      publishBatch();
    } else {
      log.warn(`mqtt: dropped message on unexpected topic ${topic}`);
    }
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const delay = reconnectDelay(failures, opts.backoff);
    failures++;
    log.info(`mqtt: reconnecting in ${delay} ms`);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      if (!stopped) client?.reconnect();
    }, delay);
  }

  function onConnect(): void {
    if (!client) return;
    failures = 0;
    log.info(`mqtt: connected to ${deps.mqttUrl}`);
    client.publish(topics.presence(stationId), presence(true), { qos: 1, retain: true });
    client.subscribe(
      { [topics.desired(stationId)]: { qos: 1 }, [topics.asRunAck(stationId)]: { qos: 1 } },
      (err) => {
        if (err) log.warn(`mqtt: subscribe failed: ${err.message}`);
      },
    );
    alertSubs = [];
    subscribeAlerts();
    inflightAt = null;
    statusInFlight = false;
    lastHealthKey = '';
    publishHealth(true);
    publishBatch();
    publishAlertStatuses();
    publishOverrides();
  }

  return {
    get connected() {
      return online();
    },
    start() {
      stopped = false;
      client = mqtt.connect(deps.mqttUrl, {
        clientId: `station-${stationId}`,
        username: stationId,
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
        will: {
          topic: topics.presence(stationId),
          payload: Buffer.from(presence(false)),
          qos: 1,
          retain: true,
        },
      });
      client.on('connect', onConnect);
      client.on('message', onMessage);
      client.on('close', () => {
        inflightAt = null;
        scheduleReconnect();
      });
      client.on('error', (err) => log.warn(`mqtt: ${errorMessage(err)}`));
      retryTimer = setInterval(() => {
        if (inflightAt === null || Date.now() - inflightAt >= opts.retryMs) publishBatch();
      }, opts.retryMs);
      healthTimer = setInterval(() => publishHealth(true), opts.healthMs);
    },
    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (retryTimer) clearInterval(retryTimer);
      if (healthTimer) clearInterval(healthTimer);
      reconnectTimer = retryTimer = healthTimer = null;
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
    flush() {
      if (inflightAt === null) publishBatch();
    },
    healthChanged() {
      publishHealth(false);
    },
    alertStatusChanged: publishAlertStatuses,
    overridesChanged() {
      overridesDirty = true;
      publishOverrides();
    },
    alertFiltersChanged: subscribeAlerts,
  };
}
