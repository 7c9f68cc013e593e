// MQTT topics and message payloads between the controller and the edge agents.
import { z } from 'zod';
import { Id, type StationInfo, type Target } from './model.ts';

export const TOPIC_ROOT = 'loa/v1';

export const topics = {
  /** controller -> station, retained, QoS 1: DesiredState */
  desired: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/desired`,
  /** station -> all, retained, QoS 1: Presence (also the last will) */
  presence: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/presence`,
  /** station -> controller, retained, QoS 0: Health */
  health: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/health`,
  /** station -> controller, QoS 1: AsRunBatch */
  asRun: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/as-run`,
  /** controller -> station, QoS 1: AsRunAck */
  asRunAck: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/as-run/ack`,
  /** station -> controller, QoS 1: AlertStatusBatch */
  alertStatus: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/alert-status`,
  /** station -> controller, retained, QoS 1: OverrideReport */
  overrides: (stationId: string) => `${TOPIC_ROOT}/station/${stationId}/overrides`,
  /** controller -> stations of the target, retained, QoS 1: Alert (an empty payload clears it) */
  alert: (target: Target, alertId: string) => `${TOPIC_ROOT}/alerts/${alertArea(target)}/${alertId}`,
} as const;

/** A target's part of an alert topic: `city/all`, `district/<id>`, `ward/<id>`, `station/<id>`. */
const alertArea = (t: Target) => (t.scope === 'city' ? 'city/all' : `${t.scope}/${t.id}`);

/** The four alert topic filters a station subscribes to: its city, district, ward and itself. */
export function alertFilters(station: Pick<StationInfo, 'id' | 'district' | 'ward'>): string[] {
  return [
    { scope: 'city' as const },
    { scope: 'district' as const, id: station.district },
    { scope: 'ward' as const, id: station.ward },
    { scope: 'station' as const, id: station.id },
  ].map((t) => `${TOPIC_ROOT}/alerts/${alertArea(t)}/+`);
}

/** The target and alert id of an alert topic, or null if it is not one. */
export function parseAlertTopic(topic: string): { target: Target; alertId: string } | null {
  const m =
    /^loa\/v1\/alerts\/(city|district|ward|station)\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})$/.exec(
      topic,
    );
  if (!m) return null;
  const [, scope, area, alertId] = m as unknown as [string, Target['scope'], string, string];
  if (scope === 'city') return area === 'all' ? { target: { scope }, alertId } : null;
  return { target: { scope, id: area }, alertId };
}

/** Extracts the station id and message kind from a station topic, or null if it is not one. */
export function parseStationTopic(topic: string): { stationId: string; kind: string } | null {
  const m =
    /^loa\/v1\/station\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/(desired|presence|health|as-run|as-run\/ack|alert-status|overrides)$/.exec(
      topic,
    );
  return m ? { stationId: m[1] as string, kind: m[2] as string } : null;
}

export const Presence = z.object({ online: z.boolean(), at: z.iso.datetime() });
export type Presence = z.infer<typeof Presence>;

export const Outcome = z.enum(['played', 'skipped', 'failed', 'missed', 'interrupted']);
export type Outcome = z.infer<typeof Outcome>;

const Instant = z.iso.datetime();

/** Proof of play (or of not playing) for one timetable entry. `id` makes delivery idempotent. */
export const AsRunRecord = z.object({
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
  desiredVersion: z.number().int().min(0),
  recordedAt: Instant,
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
});
export type Health = z.infer<typeof Health>;
