// What the link sends: the as-run outbox in acknowledged batches, health when it changed, bulletin states,
// the retained override report, and the bulletin subscriptions for the station's chain of areas.
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/log.ts';
import type { OverrideReport } from '../../schedules/overrides.ts';
import { type Health, type ProtocolTopics, SUBSCRIBE_QOS } from '../../schedules/protocol.ts';
import type { AgentStore } from '../state/store.ts';

export interface PublishDeps {
  stationId: string;
  /** The topics of the station's root (v1, or v2 with its province). */
  topics: ProtocolTopics;
  store: AgentStore;
  log: Logger;
  batchSize: number;
  /** The client while connected, else null. */
  client(): MqttClient | null;
  health(): Health;
  overrideReport?(): OverrideReport;
}

export function createPublisher(deps: PublishDeps) {
  const { stationId, store, log, topics } = deps;
  /** When the batch now awaiting its ack was sent; null if none is. */
  let inflightAt: number | null = null;
  let lastHealthKey = '';
  let statusInFlight = false;
  /** Whether the last report may not have reached the broker; an empty report is not worth a first message. */
  let overridesDirty = false;
  let alertSubs: string[] = [];

  function batch(): void {
    const client = deps.client();
    if (!client) return;
    const records = store.outboxBatch(deps.batchSize);
    if (records.length === 0) {
      inflightAt = null;
      return;
    }
    inflightAt = Date.now();
    client.publish(topics.asRun(stationId), JSON.stringify({ records }), { qos: 1 }, (err) => {
      if (err) log.warn(`as-run: publish of ${records.length} records failed: ${err.message}`);
    });
  }

  function health(force: boolean): void {
    const client = deps.client();
    if (!client) return;
    const h = deps.health();
    // Measurements drift all the time; only a change of state is worth a message before the interval.
    const { at, uptimeSec, systemUptimeSec, diskFreeBytes, cpuTempC, clockOffsetMs, ...state } = h;
    const key = JSON.stringify(state);
    if (!force && key === lastHealthKey) return;
    lastHealthKey = key;
    client.publish(topics.health(stationId), JSON.stringify(h), { qos: 0, retain: true });
  }

  function alertStatuses(): void {
    const client = deps.client();
    if (!client || statusInFlight) return;
    const statuses = store.unsentAlertStatuses(stationId);
    if (statuses.length === 0) return;
    statusInFlight = true;
    client.publish(topics.alertStatus(stationId), JSON.stringify({ statuses }), { qos: 1 }, (err) => {
      statusInFlight = false;
      if (err) return log.warn(`bulletin status: publish failed: ${err.message}`);
      store.markAlertStatusesSent(statuses);
      alertStatuses(); // states that changed meanwhile
    });
  }

  function overrides(): void {
    const client = deps.client();
    if (!client || !deps.overrideReport) return;
    const report = deps.overrideReport();
    if (report.overrides.length === 0 && !overridesDirty) return;
    overridesDirty = true;
    client.publish(topics.overrides(stationId), JSON.stringify(report), { qos: 1, retain: true }, (err) => {
      if (!err) overridesDirty = false;
    });
  }

  function subscribeAlerts(): void {
    const client = deps.client();
    if (!client) return;
    const station = store.getDesired()?.station;
    const filters = station ? topics.alertFilters(station) : [];
    const gone = alertSubs.filter((f) => !filters.includes(f));
    if (gone.length) client.unsubscribe(gone);
    alertSubs = filters;
    if (filters.length === 0) return;
    client.subscribe(Object.fromEntries(filters.map((f) => [f, { qos: SUBSCRIBE_QOS }])), (err) => {
      if (err) log.warn(`mqtt: bulletin subscribe failed: ${err.message}`);
    });
  }

  return {
    /** On every connect: subscribe anew and send everything, as if nothing had been sent before. */
    connected(): void {
      alertSubs = [];
      subscribeAlerts();
      inflightAt = null;
      statusInFlight = false;
      lastHealthKey = '';
      health(true);
      batch();
      alertStatuses();
      overrides();
    },
    /** The connection closed: the batch in flight will not be acknowledged. */
    closed(): void {
      inflightAt = null;
    },
    /** The broker acknowledged a batch: send the next. */
    acked(): void {
      inflightAt = null;
      batch();
    },
    /** Publishes the oldest unacknowledged batch now if nothing is awaiting an ack. */
    flush(): void {
      if (inflightAt === null) batch();
    },
    /** Resends the batch in flight if its ack is overdue. */
    retry(retryMs: number): void {
      if (inflightAt === null || Date.now() - inflightAt >= retryMs) batch();
    },
    health,
    alertStatuses,
    overridesChanged(): void {
      overridesDirty = true;
      overrides();
    },
    subscribeAlerts,
  };
}
