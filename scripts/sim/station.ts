// One simulated station: the agent's MQTT protocol (login, last will, presence, desired state, health,
// as-run with acks, bulletins and their states) without sound, timers or disk. Reconnects with the agent's
// own backoff.
import mqtt, { type MqttClient } from 'mqtt';
import { retryDelay as reconnectDelay } from '../../common/backoff.ts';
import { Alert, type AlertState, type AlertStatus } from '../../schedules/alerts.ts';
import { DesiredState } from '../../schedules/model.ts';
import {
  AsRunAck,
  type AsRunRecord,
  alertFilters,
  parseAlertTopic,
  topics,
} from '../../schedules/protocol.ts';

export interface SimStationOptions {
  url: string;
  id: string;
  secret: string;
  /** Its chain of areas, for the bulletin topics it subscribes to (a real agent has it from its desired state). */
  areaPath: string[];
  /** The agent's reconnect backoff (full jitter, ceiling doubling from minMs to maxMs). */
  backoff: { minMs: number; maxMs: number };
  keepaliveSec: number;
}

export class SimStation {
  client: MqttClient | null = null;
  online = false;
  appliedVersion = 0;
  /** As-run record ids sent and not yet acknowledged. */
  readonly pending = new Set<string>();
  acked = 0;
  malformed = 0;
  /** Bulletins heard, by id: the states reported so far (received, started, finished). */
  readonly alerts = new Map<string, AlertState>();
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private seq = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly o: SimStationOptions) {}

  start(): void {
    const { id } = this.o;
    const c = mqtt.connect(this.o.url, {
      clientId: `station-${id}`,
      username: id,
      password: this.o.secret,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: this.o.keepaliveSec,
      queueQoSZero: false,
      will: { topic: topics.presence(id), payload: Buffer.from(this.presence(false)), qos: 1, retain: true },
    });
    this.client = c;
    c.on('connect', () => {
      this.failures = 0;
      this.online = true;
      c.publish(topics.presence(id), this.presence(true), { qos: 1, retain: true });
      const { areaPath } = this.o;
      // Whatever was not acknowledged before the link broke is sent again, as the agent's outbox does, once
      // the broker has the subscription to the acknowledgements (an ack sent before it would be lost).
      c.subscribe(
        [topics.desired(id), topics.asRunAck(id), ...alertFilters({ id, areaPath })],
        { qos: 1 },
        () => {
          if (this.pending.size) this.resend();
        },
      );
      this.health();
    });
    c.on('message', (topic, payload) => this.onMessage(topic, payload));
    c.on('close', () => {
      this.online = false;
      this.scheduleReconnect();
    });
    c.on('error', () => {});
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const delay = reconnectDelay(this.failures++, this.o.backoff);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.client?.reconnect();
    }, delay);
  }

  private presence(online: boolean): string {
    return JSON.stringify({ online, at: new Date().toISOString() });
  }

  private health(): void {
    this.client?.publish(
      topics.health(this.o.id),
      JSON.stringify({
        at: new Date().toISOString(),
        agentVersion: 'sim',
        desiredVersion: this.appliedVersion,
        relayOn: false,
        playing: null,
        clockTrusted: true,
        uptimeSec: Math.round((Date.now() - this.startedAt) / 1000),
        outboxLength: this.pending.size,
        relaySimulated: true,
      }),
      { qos: 0, retain: true },
    );
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (payload.length === 0) return; // a cleared retained bulletin
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.malformed++;
      return;
    }
    if (topic === topics.desired(this.o.id)) {
      const d = DesiredState.safeParse(json);
      if (!d.success || d.data.station.id !== this.o.id) {
        this.malformed++;
        return;
      }
      // Applying is keeping the newest version; the agent then reports it in its health.
      if (d.data.version !== this.appliedVersion) {
        this.appliedVersion = d.data.version;
        this.health();
      }
    } else if (topic === topics.asRunAck(this.o.id)) {
      const a = AsRunAck.safeParse(json);
      if (!a.success) {
        this.malformed++;
        return;
      }
      for (const id of a.data.ids) if (this.pending.delete(id)) this.acked++;
    } else if (parseAlertTopic(topic)) {
      this.onAlert(json);
    }
  }

  /**
   * A bulletin: reported `received` and at once `started` (there is no sound here: a real agent reports
   * `started` when its relay goes on, after fetching the clip), then `finished` after the clip's length.
   * Every bulletin is answered once, whatever its level, unless withdrawn or expired.
   */
  private onAlert(json: unknown): void {
    const a = Alert.safeParse(json);
    if (!a.success) {
      this.malformed++;
      return;
    }
    const alert = a.data;
    if (this.alerts.has(alert.id) || alert.cancelledAt || Date.parse(alert.expiresAt) <= Date.now()) return;
    this.alerts.set(alert.id, 'started');
    this.alertStatus(alert.id, ['received', 'started']);
    setTimeout(() => {
      if (this.stopped) return;
      this.alerts.set(alert.id, 'finished');
      this.alertStatus(alert.id, ['finished']);
    }, alert.clip?.durationMs ?? 60_000).unref();
  }

  private alertStatus(alertId: string, states: AlertState[]): void {
    const at = new Date().toISOString();
    const statuses: AlertStatus[] = states.map((state) => ({
      alertId,
      stationId: this.o.id,
      state,
      at,
      reason: null,
      detail: null,
    }));
    this.client?.publish(topics.alertStatus(this.o.id), JSON.stringify({ statuses }), { qos: 1 });
  }

  /** Sends `count` as-run records in batches of `batchSize` (QoS 1); acks arrive on as-run/ack. */
  sendAsRun(count: number, batchSize: number): void {
    const now = new Date().toISOString();
    let batch: AsRunRecord[] = [];
    const flush = () => {
      if (batch.length)
        this.client?.publish(topics.asRun(this.o.id), JSON.stringify({ records: batch }), { qos: 1 });
      batch = [];
    };
    for (let i = 0; i < count; i++) {
      const seq = this.seq++;
      const r = record(this.o.id, seq, now);
      this.pending.add(r.id);
      batch.push(r);
      if (batch.length >= batchSize) flush();
    }
    flush();
  }

  private resend(): void {
    // Only ids are kept; a record is rebuilt from its sequence number, the same every time.
    const now = new Date().toISOString();
    const records = [...this.pending].map((id) => record(this.o.id, Number(id.split(':').pop()), now));
    for (let i = 0; i < records.length; i += 500)
      this.client?.publish(topics.asRun(this.o.id), JSON.stringify({ records: records.slice(i, i + 500) }), {
        qos: 1,
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    if (!c) return;
    if (c.connected) c.publish(topics.presence(this.o.id), this.presence(false), { qos: 1, retain: true });
    await Promise.race([c.endAsync().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
    if (!c.disconnected) c.end(true);
  }
}

function record(stationId: string, seq: number, now: string): AsRunRecord {
  const at = new Date(Date.parse('2026-01-01T00:00:00Z') + seq * 60_000).toISOString();
  return {
    id: `sim:${stationId}:${seq}`,
    stationId,
    entryId: `sim-entry-${seq}`,
    slotId: 'sim-slot',
    campaignId: null,
    clipIds: ['sim-clip'],
    scheduledAt: at,
    outcome: 'played',
    reason: null,
    detail: null,
    relayOnAt: at,
    audioStartAt: at,
    audioEndAt: at,
    relayOffAt: at,
    desiredVersion: 1,
    recordedAt: now,
  };
}
