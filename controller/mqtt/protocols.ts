// The controller's MQTT protocol settings, read once at start: PROVINCE_ID (the province's topic level in
// protocol v2), MQTT_PROTOCOLS (which roots it speaks) and MQTT_URL (one broker or a cluster's nodes).
import { z } from 'zod';

export type ProtocolVersion = 'v1' | 'v2';

/**
 * The column that keeps the root each station was last heard on (roots.ts; null: never heard from); one
 * migration entry. Here, in a file without imports, so that the migrations do not import the database.
 */
export const STATION_ROOTS = 'ALTER TABLE stations ADD COLUMN mqtt_root TEXT;';

const mqttUrl = (u: string) => URL.canParse(u) && /^(mqtts?|wss?|tcp|tls):$/.test(new URL(u).protocol);

/** The environment's protocol variables, spread into the controller's schema (controller/config.ts). */
export const protocolEnv = {
  MQTT_URL: z
    .string()
    .refine(
      (v) => v.split(',').every((u) => mqttUrl(u.trim())),
      "MQTT_URL is an mqtt:// URL, or several separated by commas (a cluster's nodes)",
    )
    .optional(),
  PROVINCE_ID: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
      'PROVINCE_ID is a topic level (letters, digits, - or _), e.g. can-tho',
    )
    .optional(),
  MQTT_PROTOCOLS: z
    .string()
    .regex(/^(v1|v2)(,(v1|v2))?$/, 'MQTT_PROTOCOLS is v1, v2 or v1,v2')
    .optional(),
};

/** The protocols spoken: MQTT_PROTOCOLS, by default v1 and v2 with PROVINCE_ID, else v1; v2 needs PROVINCE_ID. */
export function protocolsOf(e: { PROVINCE_ID?: string; MQTT_PROTOCOLS?: string }): {
  provinceId: string | null;
  mqttProtocols: readonly ProtocolVersion[];
} {
  const protocols = (e.MQTT_PROTOCOLS ?? (e.PROVINCE_ID ? 'v1,v2' : 'v1')).split(',') as ProtocolVersion[];
  if (protocols.includes('v2') && !e.PROVINCE_ID)
    throw new Error(
      'invalid controller environment:\n  MQTT_PROTOCOLS: v2 needs PROVINCE_ID (the province in its topics)',
    );
  return { provinceId: e.PROVINCE_ID ?? null, mqttProtocols: Object.freeze([...new Set(protocols)]) };
}
