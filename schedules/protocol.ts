// MQTT topics and message payloads between the controller and the edge agents.
import { z } from 'zod';
import { Id, type StationInfo, type Target } from './model.ts';

/** Protocol v1: one province per broker, topics without the province. */
export const TOPIC_ROOT = 'loa/v1';

/** An id as it may appear in a topic level: never `+`, `#` or `/`. */
const LEVEL = '[A-Za-z0-9][A-Za-z0-9_-]{0,63}';
const ROOT = `loa/(?:v1|v2/${LEVEL})`;

/**
 * The root of every topic: `loa/v1` (v1, one province per broker), or `loa/v2/<province>` (v2, provinces
 * sharing one broker cluster, each controller subscribing only to its own).
 */
export function topicRoot(province?: string | null): string {
  if (province === undefined || province === null) return TOPIC_ROOT;
  if (!new RegExp(`^${LEVEL}$`).test(province))
    throw new Error(`invalid province id in a topic: '${province}'`);
  return `loa/v2/${province}`;
}

/** The protocol and province of a root made by `topicRoot`. */
export function rootProtocol(root: string): { version: 'v1' } | { version: 'v2'; province: string } {
  return root === TOPIC_ROOT ? { version: 'v1' } : { version: 'v2', province: root.slice('loa/v2/'.length) };
}

/** The topics of one root (one protocol version and province). */
export function protocolTopics(root: string) {
  const station = (stationId: string, kind: string) => `${root}/station/${stationId}/${kind}`;
  return {
    root,
    /** Every message of every station of this root: the controller's subscription. */
    stations: `${root}/station/+/+`,
    /** controller -> station, retained, QoS 1: DesiredState */
    desired: (stationId: string) => station(stationId, 'desired'),
    /** station -> all, retained, QoS 1: Presence (also the last will) */
    presence: (stationId: string) => station(stationId, 'presence'),
    /** station -> controller, retained, QoS 0: Health */
    health: (stationId: string) => station(stationId, 'health'),
    /** station -> controller, QoS 1: AsRunBatch */
    asRun: (stationId: string) => station(stationId, 'as-run'),
    /** controller -> station, QoS 1: AsRunAck */
    asRunAck: (stationId: string) => station(stationId, 'as-run/ack'),
    /** station -> controller, QoS 1: AlertStatusBatch */
    alertStatus: (stationId: string) => station(stationId, 'alert-status'),
    /** station -> controller, retained, QoS 1: OverrideReport */
    overrides: (stationId: string) => station(stationId, 'overrides'),
    /** mobile station -> controller, retained, QoS 1: MobilePosition */
    position: (stationId: string) => station(stationId, 'position'),
    /** station -> controller, QoS 1, not retained, at every connect and roll call: Hello */
    hello: (stationId: string) => station(stationId, 'hello'),
    /** controller -> every station of the root, QoS 1, not retained: RollCall (stations answer with hello) */
    rollCall: `${root}/control/roll-call`,
    /** controller -> stations of the target, retained, QoS 1: Alert (an empty payload clears it) */
    alert: (target: Target, alertId: string) => `${root}/alerts/${alertPlace(target)}/${alertId}`,
    /** The bulletin topic filters a station subscribes to (see `alertFilters`). */
    alertFilters: (station: Pick<StationInfo, 'id' | 'areaPath' | 'district' | 'ward'>) =>
      alertPlaces(station).map((place) => `${root}/alerts/${place}/+`),
  } as const;
}
export type ProtocolTopics = ReturnType<typeof protocolTopics>;

/**
 * The QoS of every subscription, the stations' and the controller's: 0. Sessions are clean, so a QoS 1
 * delivery in flight when a link breaks is lost with its session anyway; what must not be missed comes back
 * by other means (the retained desired state, the answer to a station's hello, as-run records resent until
 * acknowledged). On RabbitMQ 3.10 a QoS 1 subscription is a durable queue on the node the client reached:
 * when that node dies, the client cannot subscribe again on another node under its client id until the dead
 * one is back, and the queue comes back with it, filling with no consumer; a QoS 0 subscription is a
 * transient queue, dropped with its node (test/cluster/agents.test.ts kills one).
 */
export const SUBSCRIBE_QOS = 0;

/** Protocol v1's topics, as every agent before v2 speaks them. */
export const topics = protocolTopics(TOPIC_ROOT);

/**
 * A target's part of an alert topic: `area/<id>` or `station/<id>` (a zone's bulletin goes on its
 * station's topic). The version before the tree used `city/all`, `district/<id>` and `ward/<id>`.
 */
function alertPlace(t: Target): string {
  switch (t.scope) {
    case 'zone':
      return `station/${t.station}`;
    case 'city':
      return 'city/all';
    default:
      return `${t.scope}/${t.id}`;
  }
}

/**
 * The places of a station's bulletins: one per area of its chain, whatever its depth, and its own. A
 * desired state of the version before the tree (district and ward) adds that version's places.
 */
function alertPlaces(station: Pick<StationInfo, 'id' | 'areaPath' | 'district' | 'ward'>): string[] {
  const places: Target[] = [
    ...station.areaPath.map((id) => ({ scope: 'area' as const, id })),
    { scope: 'station', id: station.id },
  ];
  if (station.district !== undefined && station.ward !== undefined)
    places.push(
      { scope: 'city' },
      { scope: 'district', id: station.district },
      { scope: 'ward', id: station.ward },
    );
  return [...new Set(places.map(alertPlace))];
}

/** The v1 bulletin topic filters of a station (`protocolTopics(root).alertFilters` for another root). */
export const alertFilters = topics.alertFilters;

const ALERT_TOPIC = new RegExp(`^(${ROOT})/alerts/(area|station|city|district|ward)/(${LEVEL})/(${LEVEL})$`);

/**
 * The target and alert id of an alert topic of any root (a station's topic for a zone too), and its root;
 * null if it is not one.
 */
export function parseAlertTopic(topic: string): { target: Target; alertId: string; root: string } | null {
  const m = ALERT_TOPIC.exec(topic);
  if (!m) return null;
  const [, root, scope, place, alertId] = m as unknown as [
    string,
    string,
    Exclude<Target['scope'], 'zone'>,
    string,
    string,
  ];
  if (scope === 'city') return place === 'all' ? { target: { scope }, alertId, root } : null;
  return { target: { scope, id: place }, alertId, root };
}

const STATION_KINDS = [
  'desired',
  'presence',
  'health',
  'as-run',
  'as-run/ack',
  'alert-status',
  'overrides',
  'position',
  'hello',
] as const;
const STATION_TOPIC = new RegExp(`^(${ROOT})/station/(${LEVEL})/(${STATION_KINDS.join('|')})$`);

/** The station id, message kind and root of a station topic of any root, or null if it is not one. */
export function parseStationTopic(topic: string): { stationId: string; kind: string; root: string } | null {
  const m = STATION_TOPIC.exec(topic);
  return m ? { root: m[1] as string, stationId: m[2] as string, kind: m[3] as string } : null;
}

/** Where a mobile loudspeaker (loa di động) is: WGS 84 degrees, the fix's horizontal accuracy and time. */
export const MobilePosition = z.strictObject({
  lat: z.number().min(-90, 'latitude below -90').max(90, 'latitude above 90'),
  lon: z.number().min(-180, 'longitude below -180').max(180, 'longitude above 180'),
  accuracyM: z.number().min(0).max(100_000).nullable(),
  at: z.iso.datetime(),
});
export type MobilePosition = z.infer<typeof MobilePosition>;

/**
 * What a station says at every connect and roll call: the desired version it applied and the bulletins
 * it holds that are still to play or on air; the controller answers with what differs (docs/protocol.md).
 */
export const Hello = z.object({
  desiredVersion: z.number().int().min(0),
  alerts: z.array(Id).max(500),
  at: z.iso.datetime(),
});
export type Hello = z.infer<typeof Hello>;

/** The controller asks its stations for a hello, each after a random delay within `withinMs`. */
export const RollCall = z.object({
  at: z.iso.datetime(),
  withinMs: z.number().int().min(0).max(600_000),
});
export type RollCall = z.infer<typeof RollCall>;

export const Presence = z.object({ online: z.boolean(), at: z.iso.datetime() });
export type Presence = z.infer<typeof Presence>;

/**
 * `relay`: a relay was heard (heardMs says how long); `relay-failed`: it was not (reason says why);
 * `live`: a live session was heard (heardMs).
 */
export const Outcome = z.enum([
  'played',
  'skipped',
  'failed',
  'missed',
  'interrupted',
  'relay',
  'relay-failed',
  'live',
]);
export type Outcome = z.infer<typeof Outcome>;

const Instant = z.iso.datetime();

/**
 * Proof of play (or of not playing) for one timetable entry. `id` makes delivery idempotent. Fields a
 * newer agent adds are kept, not stripped: the record's chain hash covers them.
 */
export const AsRunRecord = z.looseObject({
  id: z.string().min(1).max(200),
  stationId: Id,
  entryId: z.string().min(1).max(200),
  slotId: Id.nullable(),
  campaignId: Id.nullable(),
  clipIds: z.array(Id),
  scheduledAt: Instant,
  outcome: Outcome,
  /** Machine-readable reason for anything but `played`, e.g. `online-class`, `overlap`, `late`. */
  reason: z.string().max(100).nullable(),
  detail: z.string().max(1000).nullable(),
  relayOnAt: Instant.nullable(),
  audioStartAt: Instant.nullable(),
  audioEndAt: Instant.nullable(),
  relayOffAt: Instant.nullable(),
  /** A relay or live session: the milliseconds of sound actually heard (drops and silence left out). */
  heardMs: z.number().int().min(0).nullable().optional(),
  /** Content read more than once (schedules/repeat.ts): readings planned, and heard to their end. */
  repeat: z
    .object({ planned: z.number().int().min(1).max(5), played: z.number().int().min(0).max(5) })
    .optional(),
  desiredVersion: z.number().int().min(0),
  recordedAt: Instant,
  /**
   * The station's hash chain (common/chain.ts): the record's number, the hash of the one before it (null
   * for the first) and its own. Absent from agents before the chain.
   */
  seq: z.number().int().min(1).optional(),
  prevHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .optional(),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type AsRunRecord = z.infer<typeof AsRunRecord>;

export const AsRunBatch = z.object({ records: z.array(AsRunRecord).min(1).max(500) });
export type AsRunBatch = z.infer<typeof AsRunBatch>;

export const AsRunAck = z.object({ ids: z.array(z.string().min(1).max(200)).max(500) });
export type AsRunAck = z.infer<typeof AsRunAck>;

export const Health = z.object({
  at: Instant,
  agentVersion: z.string(),
  desiredVersion: z.number().int().min(0),
  relayOn: z.boolean(),
  playing: z.string().nullable(),
  clockTrusted: z.boolean(),
  uptimeSec: z.number().min(0),
  outboxLength: z.number().int().min(0),
  // Added for unattended stations; optional so that older agents' health still parses.
  /** Each relay line (speaker line or zone). */
  relays: z.array(z.object({ name: z.string(), on: z.boolean() })).optional(),
  /** Whether the relays are simulated: a station that should drive pins but cannot says so here. */
  relaySimulated: z.boolean().optional(),
  /** System clock minus true time (ms, positive: fast), when the time daemon tells. */
  clockOffsetMs: z.number().nullable().optional(),
  diskFreeBytes: z.number().min(0).nullable().optional(),
  cpuTempC: z.number().nullable().optional(),
  systemUptimeSec: z.number().min(0).optional(),
  /** Desired states and bulletins refused for their signature: how many since install, and the last. */
  refused: z
    .object({
      count: z.number().int().min(1),
      last: z.object({
        kind: z.enum(['desired', 'bulletin']),
        reason: z.enum(['unsigned', 'unknown-key', 'bad-signature']),
        at: Instant,
        topic: z.string().max(300),
      }),
    })
    .optional(),
});
export type Health = z.infer<typeof Health>;
