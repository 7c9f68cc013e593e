// What /metrics shows of the controller's load: stations connected to the embedded broker, the ingest's
// rate, batches and lag, desired-state publish latency, and prom-client's process metrics (event-loop lag,
// memory, CPU, GC). One registry per controller, made by its composition root.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type IngestKind = 'as-run' | 'alert-status' | 'presence' | 'health' | 'overrides';

export interface LoadMetrics {
  readonly registry: Registry;
  /** One turn of the ingest committed: its messages by kind, as-run records, and the oldest one's wait. */
  ingested(turn: { messages: Map<IngestKind, number>; records: number; lagMs: number }): void;
  /** A desired-state publish finished: how many stations, and from its start until the broker took the last. */
  desiredPublished(stations: number, ms: number): void;
}

export interface LoadOptions {
  /** Stations logged in at the embedded broker now (absent with an external broker). */
  connectedStations?: () => number;
  /** prom-client's default process metrics (event-loop lag, memory, CPU, GC, handles); default on. */
  processMetrics?: boolean;
}

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createLoadMetrics(o: LoadOptions = {}): LoadMetrics {
  const registry = new Registry();
  if (o.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const connected = o.connectedStations;
  if (connected)
    new Gauge({
      name: 'loa_mqtt_stations_connected',
      help: 'Stations logged in at the embedded broker now.',
      registers: [registry],
      collect() {
        this.set(connected());
      },
    });
  const messages = new Counter({
    name: 'loa_ingest_messages_total',
    help: 'Messages from stations stored, by kind (as-run, alert-status, presence, health, overrides).',
    labelNames: ['kind'],
    registers: [registry],
  });
  const records = new Counter({
    name: 'loa_ingest_asrun_records_total',
    help: 'As-run records stored or found already stored, and acknowledged; rate() is the ingest rate.',
    registers: [registry],
  });
  const batch = new Histogram({
    name: 'loa_ingest_batch_messages',
    help: 'Messages stored in one transaction (those that arrived in one turn of the event loop).',
    buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'loa_ingest_lag_seconds',
    help: 'From the arrival of the oldest message of a turn at the controller to its commit.',
    buckets: SECONDS,
    registers: [registry],
  });
  const desired = new Histogram({
    name: 'loa_desired_publish_seconds',
    help: 'A desired-state publish: from its start until the broker had taken every station of it (PUBACK).',
    buckets: SECONDS,
    registers: [registry],
  });
  const desiredStations = new Counter({
    name: 'loa_desired_published_total',
    help: 'Desired states published to stations.',
    registers: [registry],
  });
  return {
    registry,
    ingested: (turn) => {
      let n = 0;
      for (const [kind, count] of turn.messages) {
        messages.inc({ kind }, count);
        n += count;
      }
      records.inc(turn.records);
      batch.observe(n);
      lag.observe(turn.lagMs / 1000);
    },
    desiredPublished: (stations, ms) => {
      desiredStations.inc(stations);
      desired.observe(ms / 1000);
    },
  };
}
