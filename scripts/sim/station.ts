// One simulated station: the agent's MQTT protocol (login, last will, presence, desired state, health,
// as-run with acks, bulletins and their states; on protocol v2 also hello and the roll call) without sound,
// timers or disk. Reconnects with the agent's own backoff, moving to the next broker of its list on a failed
// connection or a drop (a cluster's nodes), and notes which broker it was on and when.
import mqtt, { type MqttClient } from 'mqtt';
import { attemptEnd, createReconnectBackoff } from '../../common/backoff.ts';
import { Alert, type AlertState, type AlertStatus } from '../../schedules/alerts.ts';
import { DesiredState } from '../../schedules/model.ts';
import {
  AsRunAck,
  type AsRunRecord,
  parseAlertTopic,
  protocolTopics,
  RollCall,
  SUBSCRIBE_QOS,
  topicRoot,
} from '../../schedules/protocol.ts';
import { asRunRecord as record, resendPayloads, stationLogin } from './login.ts';
import type { StationMove } from './messages.ts';
import type { SimStationOptions } from './options.ts';

export type { SimStationOptions };

const MAX_MOVES = 20; // moves kept per station: enough for a benchmark's faults, bounded for a long run

export class SimStation {
  client: MqttClient | null = null;
  online = false;
  appliedVersion = 0;
  /** The index in `urls` of the broker it is on (or last tried). */
  node: number;
  /** Its connections, oldest first (the last MAX_MOVES): when and to which broker. */
  readonly moves: StationMove[] = [];
  /** As-run record ids sent and not yet acknowledged. */
  readonly pending = new Set<string>();
  acked = 0;
  malformed = 0;
  hellos = 0;
  rollCalls = 0;
  /** Bulletins heard, by id: the states reported so far (received, started, finished). */
  readonly alerts = new Map<string, AlertState>();
  /** When each bulletin heard expires (the hello names only those still active). */
  private readonly expires = new Map<string, number>();
  /** When it last reported its bulletins' states (ms since the epoch), after a connect or a bulletin. */
  reportedAt: number | null = null;
  private lastRollCall = -Infinity;
  /** The agent's reconnect backoff (common/backoff.ts), and how the last attempt ended. */
  private readonly reconnect: ReturnType<typeof createReconnectBackoff>;
  private lastError: unknown = null;
  private wasConnected = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** As-run records sent so far (acknowledged or not); the next record's sequence number. */
  asRunSent = 0;
  private readonly startedAt = Date.now();
  private readonly t: ReturnType<typeof protocolTopics>;
  private readonly v2: boolean;
  private readonly urls: string[];
  readonly id: string;

  constructor(private readonly o: SimStationOptions) {
    this.id = o.id;
    this.urls = o.urls ?? (o.url ? [o.url] : []);
    if (!this.urls.length) throw new Error('a simulated station needs at least one broker URL');
    this.node = Math.floor(Math.random() * this.urls.length);
    this.t = protocolTopics(topicRoot(o.province));
    this.v2 = o.province !== undefined;
    this.reconnect = createReconnectBackoff(o.backoff);
  }

  start(): void {
    const { id } = this.o;
    const t = this.t;
    const login = stationLogin(id, this.o.province);
    const c = mqtt.connect(this.urls[this.node] as string, {
      clientId: login.clientId,
      username: this.o.login?.username ?? login.username,
      password: this.o.login?.password ?? this.o.secret,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: this.o.keepaliveSec,
      queueQoSZero: false,
      will: { topic: t.presence(id), payload: Buffer.from(this.presence(false)), qos: 1, retain: true },
    });
    this.client = c;
    c.on('connect', () => {
      this.reconnect.connected();
      this.wasConnected = true;
      this.online = true;
      this.moves.push({ at: Date.now(), node: this.node });
      if (this.moves.length > MAX_MOVES) this.moves.shift();
      c.publish(t.presence(id), this.presence(true), { qos: 1, retain: true });
      const { areaPath } = this.o;
      const own = [t.desired(id), t.asRunAck(id), ...t.alertFilters({ id, areaPath })];
      // Whatever was not acknowledged before the link broke is sent again, as the agent's outbox does, once
      // the broker has the subscription to the acknowledgements (an ack sent before it would be lost). On v2
      // the hello follows the subscriptions, so that the controller's answer finds them.
      c.subscribe(this.v2 ? [...own, t.rollCall] : own, { qos: SUBSCRIBE_QOS }, () => {
        if (this.pending.size) this.resend();
        if (this.v2) {
          this.hello();
          this.reportAlerts();
        }
      });
      this.health();
    });
    c.on('message', (topic, payload) => this.onMessage(topic, payload));
    c.on('close', () => {
      this.online = false;
      this.scheduleReconnect();
    });
    c.on('error', (e) => {
      this.lastError = e;
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const delay = this.reconnect.next(attemptEnd(this.lastError, this.wasConnected));
    this.lastError = null;
    this.wasConnected = false;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      // A dropped or refused connection: the next broker of the list (one broker: the same again).
      this.client?.removeAllListeners();
      this.client?.on('error', () => {});
      this.client?.end(true);
      this.node = (this.node + 1) % this.urls.length;
      this.start();
    }, delay);
  }

  private presence(online: boolean): string {
    return JSON.stringify({ online, at: new Date().toISOString() });
  }

  /** v2: what it holds, so that the owning controller answers with what differs. */
  hello(): void {
    const now = Date.now();
    const alerts = [...this.expires].filter(([, exp]) => exp > now).map(([id]) => id);
    const at = new Date(now).toISOString();
    this.hellos++;
    this.client?.publish(
      this.t.hello(this.o.id),
      JSON.stringify({ desiredVersion: this.appliedVersion, alerts, at }),
      { qos: 1 },
    );
  }

  private health(): void {
    this.client?.publish(
      this.t.health(this.o.id),
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
    if (payload.length === 0) {
      // A cleared bulletin (retained, or the controller's answer to a hello naming one it no longer has).
      const a = parseAlertTopic(topic);
      if (a) this.expires.delete(a.alertId);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.malformed++;
      return;
    }
    const id = this.o.id;
    if (topic === this.t.desired(id)) {
      const d = DesiredState.safeParse(json);
      if (!d.success || d.data.station.id !== id) {
        this.malformed++;
        return;
      }
      // Applying is keeping the newest version; the agent then reports it in its health.
      if (d.data.version !== this.appliedVersion) {
        this.appliedVersion = d.data.version;
        this.health();
      }
    } else if (topic === this.t.asRunAck(id)) {
      const a = AsRunAck.safeParse(json);
      if (!a.success) {
        this.malformed++;
        return;
      }
      for (const r of a.data.ids) if (this.pending.delete(r)) this.acked++;
    } else if (this.v2 && topic === this.t.rollCall) {
      // At most one roll call a minute is answered, after a random delay within its `withinMs`.
      const r = RollCall.safeParse(json);
      if (!r.success) {
        this.malformed++;
        return;
      }
      if (Date.now() - this.lastRollCall < 60_000) return;
      this.lastRollCall = Date.now();
      this.rollCalls++;
      setTimeout(() => this.online && this.hello(), Math.random() * r.data.withinMs).unref();
    } else if (parseAlertTopic(topic)) {
      this.onAlert(json);
    }
  }

  /** A bulletin: `received` and at once `started` (no sound here), `finished` after the clip's length; once. */
  private onAlert(json: unknown): void {
    const a = Alert.safeParse(json);
    if (!a.success) {
      this.malformed++;
      return;
    }
    const alert = a.data;
    const expires = Date.parse(alert.expiresAt);
    if (alert.cancelledAt) this.expires.delete(alert.id);
    if (this.alerts.has(alert.id) || alert.cancelledAt || expires <= Date.now()) return;
    this.alerts.set(alert.id, 'started');
    this.expires.set(alert.id, expires);
    this.alertStatus(alert.id, ['received', 'started']);
    setTimeout(() => {
      if (this.stopped) return;
      this.alerts.set(alert.id, 'finished');
      this.alertStatus(alert.id, ['finished']);
    }, alert.clip?.durationMs ?? 60_000).unref();
  }

  /** After a (re)connect: the state of each active bulletin again, as the agent's outbox sends what it holds. */
  private reportAlerts(): void {
    const now = Date.now();
    for (const [id, state] of this.alerts)
      if ((this.expires.get(id) ?? 0) > now) this.alertStatus(id, [state]);
  }

  private alertStatus(alertId: string, states: AlertState[]): void {
    const at = new Date().toISOString();
    const stationId = this.o.id;
    const statuses: AlertStatus[] = states.map((state) => ({
      alertId,
      stationId,
      state,
      at,
      reason: null,
      detail: null,
    }));
    this.reportedAt = Date.now();
    this.client?.publish(this.t.alertStatus(this.o.id), JSON.stringify({ statuses }), { qos: 1 });
  }

  /** Sends `count` as-run records in batches of `batchSize` (QoS 1); acks arrive on as-run/ack. */
  sendAsRun(count: number, batchSize: number): void {
    const now = new Date().toISOString();
    let batch: AsRunRecord[] = [];
    const flush = () => {
      if (batch.length)
        this.client?.publish(this.t.asRun(this.o.id), JSON.stringify({ records: batch }), { qos: 1 });
      batch = [];
    };
    for (let i = 0; i < count; i++) {
      const r = record(this.o.id, this.asRunSent++, now);
      this.pending.add(r.id);
      batch.push(r);
      if (batch.length >= batchSize) flush();
    }
    flush();
  }

  private resend(): void {
    for (const p of resendPayloads(this.o.id, this.pending))
      this.client?.publish(this.t.asRun(this.o.id), p, { qos: 1 });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    if (!c) return;
    if (c.connected) c.publish(this.t.presence(this.o.id), this.presence(false), { qos: 1, retain: true });
    await Promise.race([c.endAsync().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
    if (!c.disconnected) c.end(true);
  }
}
