// Controller configuration: read from the environment once at start, validated, frozen.
import path from 'node:path';
import { z } from 'zod';
import { LOG_FORMATS, type LogFormat } from '../common/log.ts';
import { type CapSettings, capSettingsOf } from './alerts/cap/settings.ts';
import { type CapFeed, capFeedsOf } from './alerts/cap-feed/settings.ts';
import type { Retention } from './backup/rotation.ts';
import { type BrokerAuthSettings, brokerAuthSettingsOf } from './broker-auth/settings.ts';
import { CONNECT_LIMITS } from './mqtt/guard.ts';
import { type ProtocolVersion, protocolEnv, protocolsOf } from './mqtt/protocols.ts';
import { type NationalSettings, nationalSettingsOf } from './national/settings.ts';
import { type ProvinceSettings, provinceSettingsOf } from './province/settings.ts';

const Port = z.coerce.number().int().min(0).max(65535);

const Env = z.object({
  PORT: Port.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  MQTT_PORT: Port.default(1883),
  MQTT_HOST: z.string().min(1).default('0.0.0.0'),
  ...protocolEnv,
  ICECAST_PORT: z.union([z.literal('off'), Port]).default(8000),
  ICECAST_HOST: z.string().min(1).default('0.0.0.0'),
  ICECAST_URL: z
    .url()
    .refine(
      (u) => /^https?:\/\/[^:/@]+:[^@]+@/.test(u),
      'ICECAST_URL is http://user:password@host:port (a source login)',
    )
    .optional(),
  ICECAST_PUBLIC_URL: z.url().optional(),
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD must be at least 8 characters').optional(),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(200),
  MAX_CLIP_MINUTES: z.coerce.number().positive().default(30),
  TOKEN_TTL_HOURS: z.coerce.number().positive().default(12),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  MQTTS_PORT: Port.default(8883),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  API_RATE_PER_SEC: z.coerce.number().positive().default(50),
  MQTT_MAX_PAYLOAD_KB: z.coerce.number().positive().default(256),
  MQTT_CONNECT_BURST: z.coerce.number().int().positive().default(CONNECT_LIMITS.burst),
  MQTT_CONNECTS_PER_SEC: z.coerce.number().positive().default(CONNECT_LIMITS.perSec),
  MQTT_MAX_PENDING_PER_ADDRESS: z.coerce.number().int().positive().optional(),
  MQTT_CONNECT_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(10),
  LOG_FORMAT: z.enum(LOG_FORMATS as [LogFormat, ...LogFormat[]]).default('text'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_AT: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'BACKUP_AT is a local time HH:MM, or off')
    .default('02:30'),
  BACKUP_KEEP: z
    .string()
    .regex(/^\d+,\d+,\d+$/, 'BACKUP_KEEP is daily,weekly,monthly counts, e.g. 7,4,12')
    .default('7,4,12'),
  ASRUN_KEEP_DAYS: z.coerce.number().int().min(35, 'ASRUN_KEEP_DAYS is at least 35 days').default(400),
  ASRUN_ARCHIVE_DIR: z.string().min(1).optional(),
  ASRUN_ARCHIVE_AT: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'ASRUN_ARCHIVE_AT is a local time HH:MM, or off')
    .default('03:30'),
  TTS_ENGINES: z
    .string()
    .regex(
      /^(espeak-ng|fpt|viettel|zalo|piper)(,(espeak-ng|fpt|viettel|zalo|piper))*$/,
      'TTS_ENGINES is a comma list of espeak-ng, fpt, viettel, zalo, piper',
    )
    .optional(),
  TTS_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(120),
  TTS_ESPEAK_BINARY: z.string().min(1).default('espeak-ng'),
  TTS_FPT_API_KEY: z.string().min(1).optional(),
  TTS_FPT_URL: z.url().default('https://api.fpt.ai/hmi/tts/v5'),
  TTS_VIETTEL_TOKEN: z.string().min(1).optional(),
  TTS_VIETTEL_URL: z.url().default('https://viettelgroup.ai/voice/api/tts/v1/rest/syn'),
  TTS_ZALO_API_KEY: z.string().min(1).optional(),
  TTS_ZALO_URL: z.url().default('https://api.zalo.ai/v1/tts/synthesize'),
  TTS_PARALLEL: z.coerce.number().int().min(1).max(32).default(2),
  TTS_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  TTS_PIPER_MODEL_DIR: z.string().min(1).optional(),
  TTS_PIPER_REGION: z.enum(['north', 'central', 'south']).default('north'),
  CONTROLLER_ROLE: z.enum(['province', 'national']).default('province'),
  PROVINCES_FILE: z.string().min(1).optional(),
});

export interface ControllerConfig {
  readonly port: number;
  readonly host: string;
  /** Embedded broker's port; null when MQTT_URL points at an external broker. */
  readonly mqttPort: number | null;
  readonly mqttHost: string;
  readonly mqttUrl: string;
  /** The controller's own login on an external broker (MQTT_URL); the embedded one makes its own. */
  readonly mqttUsername: string;
  readonly mqttPassword: string | undefined;
  readonly dataDir: string;
  readonly adminPassword: string | undefined;
  readonly maxUploadBytes: number;
  readonly maxClipMs: number;
  readonly tokenTtlMs: number;
  /** HTTPS for the API and an mqtts listener on the embedded broker, when both files are given. */
  readonly tls: { certFile: string; keyFile: string; mqttsPort: number } | null;
  /** Secure cookies: on with TLS, or when a TLS-terminating reverse proxy says COOKIE_SECURE=true. */
  readonly cookieSecure: boolean;
  /** Sustained /api requests per second per client address (bursts of ten times that). */
  readonly apiRatePerSec: number;
  /** Largest MQTT payload the embedded broker accepts. */
  readonly mqttMaxPayloadBytes: number;
  /** MQTT connection attempts per client address: a burst, then so many a second (CONNECT_LIMITS: sized for carrier-grade NAT). */
  readonly mqttConnectBurst: number;
  readonly mqttConnectsPerSec: number;
  /** Connections from one address that have not logged in yet, at most (default: the burst). */
  readonly mqttMaxPendingPerAddress: number;
  /** A connection to the embedded broker that has not logged in by then is closed. */
  readonly mqttConnectTimeoutMs: number;
  /** Readable lines (`text`, the default) or one JSON object per line (`json`). */
  readonly logFormat: LogFormat;
  /** Behind a reverse proxy on this machine: a client's address is the one the proxy forwards. */
  readonly trustProxy: boolean;
  /** Online backups of the database and clips (docs/backups.md): where, when each day, how many kept. */
  readonly backups: { dir: string; at: string | null; keep: Retention };
  /**
   * As-run rows are kept `keepDays`, then written a month a file to `archiveDir` and deleted, by a job at
   * local time `at` (null: never).
   */
  readonly asRun: { keepDays: number; archiveDir: string; at: string | null };
  /** Text-to-speech engines in the order they are tried (docs/speech.md, "Engines"). */
  readonly tts: TtsSettings;
  /** The stream server for relays and live speech (docs/relay.md); null: none (ICECAST_PORT=off). */
  readonly stream: StreamSettings | null;
  /** CAP 1.2 import and export (docs/cap.md): CAP_SENDER and the level table of CAP_LEVELS_FILE. */
  readonly cap: CapSettings;
  /** The CAP feeds polled for alerts (docs/cap.md, "Polling a CAP feed"): CAP_FEEDS_FILE. */
  readonly capFeeds: readonly CapFeed[];
  /** The provincial information-source link (docs/province.md): PROVINCE_LINK_FILE; null: none. */
  readonly province: ProvinceSettings | null;
  /** RabbitMQ's auth callback (docs/national-deployment.md): BROKER_AUTH_TOKEN, _CACHE_MS, _PROVINCES_FILE. */
  readonly brokerAuth: BrokerAuthSettings;
  /**
   * `national` (CONTROLLER_ROLE): holds no stations and no broker; sends to the provinces of PROVINCES_FILE
   * (docs/national.md), `national` then holds them.
   */
  readonly role: 'province' | 'national';
  /** PROVINCE_ID: the province's topic level in protocol v2 (docs/protocol.md); null: v1 only. */
  readonly provinceId: string | null;
  /** MQTT_PROTOCOLS: the protocols spoken (default v1,v2 with PROVINCE_ID, else v1). */
  readonly mqttProtocols: readonly ProtocolVersion[];
  readonly national: NationalSettings | null;
}

/**
 * The embedded Icecast (ICECAST_PORT, ICECAST_HOST) or an existing one (ICECAST_URL); `publicUrl` is the
 * base stations reach it at (ICECAST_PUBLIC_URL; default http://host:port).
 */
export type StreamSettings =
  | { kind: 'embedded'; host: string; port: number; publicUrl: string | null }
  | { kind: 'external'; url: string; publicUrl: string | null };

export type TtsEngineName = 'espeak-ng' | 'fpt' | 'viettel' | 'zalo' | 'piper';

export interface TtsSettings {
  /** TTS_ENGINES; unset: the cloud engines that have a key, then espeak-ng */
  engines: readonly TtsEngineName[];
  /** one engine's time for one text before the next is tried */
  timeoutMs: number;
  espeakBinary: string;
  fpt: { apiKey: string; url: string } | null;
  viettel: { token: string; url: string } | null;
  zalo: { apiKey: string; url: string } | null;
  /** texts spoken at once (TTS_PARALLEL), and how many may wait for a turn (TTS_QUEUE) */
  limits: { parallel: number; waiting: number };
  /** a Piper voice through sherpa-onnx: its model directory and the region it speaks */
  piper: { modelDir: string; region: 'north' | 'central' | 'south' } | null;
}

export function loadConfig(env: NodeJS.ProcessEnv): ControllerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid controller environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (!!e.TLS_CERT_FILE !== !!e.TLS_KEY_FILE)
    throw new Error('invalid controller environment:\n  TLS_CERT_FILE and TLS_KEY_FILE go together');
  const tls =
    e.TLS_CERT_FILE && e.TLS_KEY_FILE
      ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE, mqttsPort: e.MQTTS_PORT }
      : null;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    mqttPort: e.MQTT_URL ? null : e.MQTT_PORT,
    mqttHost: e.MQTT_HOST,
    mqttUrl: e.MQTT_URL ?? `mqtt://127.0.0.1:${e.MQTT_PORT}`,
    mqttUsername: e.MQTT_USERNAME ?? (e.PROVINCE_ID ? `controller@${e.PROVINCE_ID}` : 'controller'),
    mqttPassword: e.MQTT_PASSWORD,
    dataDir: path.resolve(e.DATA_DIR),
    adminPassword: e.ADMIN_PASSWORD,
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    maxClipMs: Math.round(e.MAX_CLIP_MINUTES * 60_000),
    tokenTtlMs: Math.round(e.TOKEN_TTL_HOURS * 3_600_000),
    tls,
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : tls !== null,
    apiRatePerSec: e.API_RATE_PER_SEC,
    mqttMaxPayloadBytes: Math.round(e.MQTT_MAX_PAYLOAD_KB * 1024),
    mqttConnectBurst: e.MQTT_CONNECT_BURST,
    mqttConnectsPerSec: e.MQTT_CONNECTS_PER_SEC,
    mqttMaxPendingPerAddress: e.MQTT_MAX_PENDING_PER_ADDRESS ?? e.MQTT_CONNECT_BURST,
    mqttConnectTimeoutMs: Math.round(e.MQTT_CONNECT_TIMEOUT_SECONDS * 1000),
    logFormat: e.LOG_FORMAT,
    trustProxy: e.TRUST_PROXY === 'true',
    backups: {
      dir: path.resolve(e.BACKUP_DIR ?? path.join(e.DATA_DIR, 'backups')),
      at: e.BACKUP_AT === 'off' ? null : e.BACKUP_AT,
      keep: retentionOf(e.BACKUP_KEEP),
    },
    asRun: {
      keepDays: e.ASRUN_KEEP_DAYS,
      archiveDir: path.resolve(e.ASRUN_ARCHIVE_DIR ?? path.join(e.DATA_DIR, 'archive')),
      at: e.ASRUN_ARCHIVE_AT === 'off' ? null : e.ASRUN_ARCHIVE_AT,
    },
    tts: ttsOf(e),
    stream: streamOf(e),
    cap: capSettingsOf(env),
    capFeeds: capFeedsOf(env),
    province: provinceSettingsOf(env),
    brokerAuth: brokerAuthSettingsOf(env),
    role: e.CONTROLLER_ROLE,
    ...protocolsOf(e),
    national: nationalOf(e),
  });
}

function nationalOf(e: z.infer<typeof Env>): NationalSettings | null {
  if (e.CONTROLLER_ROLE === 'national') return nationalSettingsOf(e.PROVINCES_FILE);
  if (e.PROVINCES_FILE)
    throw new Error('invalid controller environment:\n  PROVINCES_FILE is for CONTROLLER_ROLE=national');
  return null;
}

function streamOf(e: z.infer<typeof Env>): StreamSettings | null {
  const publicUrl = e.ICECAST_PUBLIC_URL ?? null;
  if (e.ICECAST_URL) return { kind: 'external', url: e.ICECAST_URL, publicUrl };
  if (e.ICECAST_PORT === 'off') return null;
  return { kind: 'embedded', host: e.ICECAST_HOST, port: e.ICECAST_PORT, publicUrl };
}

function ttsOf(e: z.infer<typeof Env>): TtsSettings {
  const fpt = e.TTS_FPT_API_KEY ? { apiKey: e.TTS_FPT_API_KEY, url: e.TTS_FPT_URL } : null;
  const viettel = e.TTS_VIETTEL_TOKEN ? { token: e.TTS_VIETTEL_TOKEN, url: e.TTS_VIETTEL_URL } : null;
  const zalo = e.TTS_ZALO_API_KEY ? { apiKey: e.TTS_ZALO_API_KEY, url: e.TTS_ZALO_URL } : null;
  const piper = e.TTS_PIPER_MODEL_DIR
    ? { modelDir: path.resolve(e.TTS_PIPER_MODEL_DIR), region: e.TTS_PIPER_REGION }
    : null;
  const engines = e.TTS_ENGINES
    ? [...new Set(e.TTS_ENGINES.split(',') as TtsEngineName[])]
    : ([
        ...(fpt ? ['fpt'] : []),
        ...(viettel ? ['viettel'] : []),
        ...(zalo ? ['zalo'] : []),
        ...(piper ? ['piper'] : []),
        'espeak-ng',
      ] as TtsEngineName[]);
  const configured = { fpt, viettel, zalo, piper, 'espeak-ng': true };
  const keyless = engines.filter((n) => !configured[n]);
  if (keyless.length)
    throw new Error(
      `invalid controller environment:\n  TTS_ENGINES names ${keyless.join(', ')} without its key (TTS_FPT_API_KEY, TTS_VIETTEL_TOKEN, TTS_ZALO_API_KEY, TTS_PIPER_MODEL_DIR)`,
    );
  return {
    engines,
    timeoutMs: Math.round(e.TTS_TIMEOUT_SECONDS * 1000),
    espeakBinary: e.TTS_ESPEAK_BINARY,
    fpt,
    viettel,
    zalo,
    limits: { parallel: e.TTS_PARALLEL, waiting: e.TTS_QUEUE },
    piper,
  };
}

function retentionOf(text: string): Retention {
  const [daily, weekly, monthly] = text.split(',').map(Number) as [number, number, number];
  return { daily: Math.max(1, daily), weekly, monthly };
}
