// The broker-auth settings, read and checked once at start: BROKER_AUTH_TOKEN (the secret path part RabbitMQ
// calls), BROKER_AUTH_CACHE_MS, and BROKER_AUTH_PROVINCES_FILE (a router's provinces, JSON).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One province a router forwards to: its topic level, its controller's broker-auth base URL. */
export const ProvinceRoute = z.strictObject({
  province: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a province is a topic level, e.g. can-tho'),
  /** `http://host:port/broker-auth/<that controller's token>` (the paths user, vhost... are added) */
  url: z
    .string()
    .trim()
    .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), 'an http(s) URL')
    .transform((u) => u.replace(/\/+$/, '')),
  /** The one province that answers for bare (v1) usernames during a migration. */
  v1: z.boolean().default(false),
});
export type ProvinceRoute = z.infer<typeof ProvinceRoute>;

const ProvincesFile = z
  .array(ProvinceRoute)
  .min(1)
  .max(100)
  .refine((l) => new Set(l.map((p) => p.province)).size === l.length, 'a province is listed twice')
  .refine((l) => l.filter((p) => p.v1).length <= 1, 'at most one province answers for v1 names');

export interface BrokerAuthSettings {
  /** The path part RabbitMQ calls: `/broker-auth/<token>/…`; null: the routes are not mounted. */
  token: string | null;
  /** How long an answer is kept. */
  cacheMs: number;
  /** A router's provinces (BROKER_AUTH_PROVINCES_FILE); null: this controller answers for its own. */
  provinces: readonly ProvinceRoute[] | null;
  /** A router's wait for a province's answer (BROKER_AUTH_TIMEOUT_MS), then `deny`. */
  timeoutMs: number;
}

const Env = z.object({
  BROKER_AUTH_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{24,200}$/, 'BROKER_AUTH_TOKEN is 24 to 200 letters, digits, _ or -')
    .optional(),
  BROKER_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  BROKER_AUTH_PROVINCES_FILE: z.string().min(1).optional(),
  BROKER_AUTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
});

/** The broker-auth settings of the environment; an Error naming the variable when one is wrong. */
export function brokerAuthSettingsOf(env: NodeJS.ProcessEnv): BrokerAuthSettings {
  const fail = (why: string) => new Error(`invalid controller environment:\n  ${why}`);
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw fail(`${i?.path.join('.')}: ${i?.message}`);
  }
  const e = parsed.data;
  const file = e.BROKER_AUTH_PROVINCES_FILE;
  if (file && !e.BROKER_AUTH_TOKEN) throw fail('BROKER_AUTH_PROVINCES_FILE needs BROKER_AUTH_TOKEN');
  return {
    token: e.BROKER_AUTH_TOKEN ?? null,
    cacheMs: e.BROKER_AUTH_CACHE_MS,
    provinces: file ? provincesOf(file, fail) : null,
    timeoutMs: e.BROKER_AUTH_TIMEOUT_MS,
  };
}

function provincesOf(file: string, fail: (why: string) => Error): readonly ProvinceRoute[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw fail(`BROKER_AUTH_PROVINCES_FILE ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  const parsed = ProvincesFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw fail(`BROKER_AUTH_PROVINCES_FILE ${file}: ${i?.path.join('.') || 'provinces'}: ${i?.message}`);
  }
  return Object.freeze(parsed.data.map((p) => Object.freeze(p)));
}
