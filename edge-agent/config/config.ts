// Edge agent configuration: the JSON file's schema, defaults, path resolution and env overrides.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TAIL_MS, DEFAULT_WARM_UP_MS, Id } from '../../schedules/model.ts';
import { parseBrokerUrls } from '../link/brokers.ts';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const MqttUrl = z.url({
  protocol: /^(mqtts?|wss?|tcp|tls)$/,
  error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL',
});
/** One broker, or a cluster's nodes separated by commas (mqtt:// or mqtts:// each when several). */
const MqttUrls = z.string().superRefine((text, ctx) => {
  const urls = parseBrokerUrls(text);
  if (urls.length === 0) ctx.addIssue({ code: 'custom', message: 'must name a broker' });
  for (const url of urls) {
    const one = MqttUrl.safeParse(url);
    if (!one.success) ctx.addIssue({ code: 'custom', message: `${url}: ${one.error.issues[0]?.message}` });
    else if (urls.length > 1 && !/^(mqtts?|tcp|tls):/.test(url))
      ctx.addIssue({ code: 'custom', message: `${url}: several brokers must be mqtt:// or mqtts:// URLs` });
  }
});
const AudioSpec = z.string().regex(/^(alsa:.+|file:.+|null)$/, "must be 'alsa:DEVICE', 'file:DIR' or 'null'");

const RelayLine = z
  .object({
    name: Id,
    /** BCM pin number. */
    pin: z.number().int().min(0).max(53),
    activeLow: z.boolean().default(false),
  })
  .strict();

const ConfigFile = z
  .object({
    stationId: Id,
    secret: z.string().min(8, 'secret must be at least 8 characters'),
    controllerUrl: HttpUrl,
    /** The broker, or a cluster's nodes separated by commas: the agent starts at the one its id picks. */
    mqttUrl: MqttUrls,
    dataDir: z.string().min(1),
    /**
     * The province's id, a topic level (e.g. `can-tho`): set, the station speaks protocol v2 (topics under
     * loa/v2/<province>, login `<stationId>@<province>`); absent, v1 (docs/protocol.md).
     */
    province: Id.optional(),
    /**
     * The controller's signing keys (written by `npm run enrol`): desired states and bulletins must carry
     * a signature by one of them, or by a key a signed desired state announced since. Empty: the first
     * signed desired state's keys are trusted (docs/security.md#signed-messages).
     */
    controllerKeys: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[0-9a-f]{16}$/),
          publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
        }),
      )
      .max(8)
      .default([]),
    gpio: z.enum(['onoff', 'sim']).default('sim'),
    /** One amplifier relay: the older, single-line form of `relays`. */
    relay: z
      .object({
        /** BCM pin number. */
        pin: z.number().int().min(0).max(53),
        activeLow: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** Amplifier relays (speaker lines or zones), switched together; default one line 'amp' on BCM 17. */
    relays: z.array(RelayLine).min(1).max(8).optional(),
    /** The label of the gpiochip the pins are on, for boards other than the Raspberry Pis the agent knows. */
    gpioChipLabel: z.string().min(1).max(100).optional(),
    audio: AudioSpec.default('null'),
    volume: z.number().min(0).max(2).default(1),
    warmUpMs: z.number().int().min(0).max(60_000).default(DEFAULT_WARM_UP_MS),
    tailMs: z.number().int().min(0).max(60_000).default(DEFAULT_TAIL_MS),
    /** A bulletin's warm-up by its level, where it differs from warmUpMs (an emergency's may be shorter). */
    warmUpByLevel: z
      .object({
        emergency: z.number().int().min(0).max(60_000),
        priority: z.number().int().min(0).max(60_000),
        normal: z.number().int().min(0).max(60_000),
      })
      .partial()
      .strict()
      .default({}),
    /** How long an emergency may wait on air, past its warm-up, for its clip still downloading. */
    emergencyClipWaitMs: z.number().int().min(0).max(60_000).default(10_000),
    /** Asked for the clock's offset when neither chrony nor systemd-timesyncd tells it; '' to never ask. */
    ntpServer: z.string().max(253).default('pool.ntp.org'),
    /** After a forward step of the wall clock, the entries it stepped over wait this long (a step back may follow) before they are recorded missed. */
    stepDoubtMs: z.number().int().min(0).max(86_400_000).default(600_000),
    /** An entry is never started more than this after its time; it is recorded 'missed' instead. */
    graceMs: z.number().int().min(0).max(3_600_000).default(60_000),
    /** How far ahead the timetable is compiled and armed. */
    horizonHours: z
      .number()
      .min(1)
      .max(24 * 14)
      .default(48),
    /** Disk for cached clips (MB); beyond it, clips no slot needs are evicted, least recently used first. */
    clipCacheMB: z.number().min(1).max(1_000_000).default(500),
    /** 'system': play once the system says the clock is synchronised; 'always': trust it; 'never': do not play. */
    clockTrust: z.enum(['system', 'always', 'never']).optional(),
    /** Older form of clockTrust: true is 'always', false is 'never'. */
    clockTrusted: z.boolean().optional(),
    /** The relay watchdog switches off a relay on longer than the longest entry plus this. */
    watchdogMarginMs: z.number().int().min(5000).max(3_600_000).default(60_000),
    /** Health is published on every change and at least this often. */
    healthIntervalSec: z.number().int().min(10).max(3600).default(60),
    agentPort: z.number().int().min(0).max(65535).default(8090),
    agentHost: z.string().min(1).default('0.0.0.0'),
    /** The local page's HTTPS port (phones allow the microphone only over HTTPS); 0: no HTTPS. */
    agentHttpsPort: z.number().int().min(0).max(65535).default(8443),
    /** PEM files for the local HTTPS page; absent, a self-signed pair is made in `dataDir/tls` at start. */
    tlsCertFile: z.string().min(1).optional(),
    tlsKeyFile: z.string().min(1).optional(),
    /** The ward staff's PIN or password, hashed (`npm run agent-pin`); absent, the local page is read-only. */
    localPinHash: z.string().min(1).max(500).optional(),
    /** Longest local announcement accepted from the page (minutes). */
    localClipMinutes: z.number().min(0.1).max(60).default(15),
    /** The program that reads announcements typed on the local page (Debian package espeak-ng). */
    espeakBinary: z.string().min(1).max(500).default('espeak-ng'),
    /**
     * An entry whose time comes while the one before it is still on air (a slow player, a late start):
     * 'cut' the one on air; 'finish': let it finish and start up to maxLateSec late, then cut it;
     * 'skip' the new entry. Entries of higher precedence always cut (schedules/precedence/precedence.ts).
     */
    slotEdge: z
      .object({
        mode: z.enum(['cut', 'finish', 'skip']).default('finish'),
        maxLateSec: z.number().int().min(0).max(600).default(30),
      })
      .strict()
      .default({ mode: 'finish', maxLateSec: 30 }),
    /**
     * A mobile loudspeaker (loa di động): it reports where it is, and the controller sends it the bulletins
     * of the areas it passes through (docs/areas.md, "Mobile loudspeakers").
     */
    mobile: z
      .strictObject({
        /** How often the position is published (also at every connect); an unchanged one is not sent again. */
        reportEverySec: z.number().int().min(5).max(3600).default(30),
        /** 'gpsd': the receiver through gpsd (firmware-notes/mobile-position.md); 'fixed': the `fixed` point. */
        source: z.enum(['gpsd', 'fixed']).default('gpsd'),
        gpsd: z
          .strictObject({
            host: z.string().min(1).default('127.0.0.1'),
            port: z.number().int().min(1).max(65535).default(2947),
          })
          .default({ host: '127.0.0.1', port: 2947 }),
        fixed: z
          .strictObject({
            lat: z.number().min(-90, 'latitude below -90').max(90, 'latitude above 90'),
            lon: z.number().min(-180, 'longitude below -180').max(180, 'longitude above 180'),
          })
          .optional(),
      })
      .optional(),
    /** Overrides the station timezone from the desired state (IANA name). */
    timezone: z.string().refine(isValidTimeZone, 'unknown IANA timezone').optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (Boolean(c.tlsCertFile) !== Boolean(c.tlsKeyFile))
      ctx.addIssue({
        code: 'custom',
        path: ['tlsKeyFile'],
        message: 'give tlsCertFile and tlsKeyFile together',
      });
    if (c.mobile?.source === 'fixed' && !c.mobile.fixed)
      ctx.addIssue({
        code: 'custom',
        path: ['mobile', 'fixed'],
        message: "source 'fixed' needs fixed {lat, lon}",
      });
    if (c.relay && c.relays)
      ctx.addIssue({ code: 'custom', path: ['relay'], message: 'give relay or relays, not both' });
    if (c.clockTrust !== undefined && c.clockTrusted !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['clockTrusted'],
        message: 'give clockTrust or clockTrusted, not both',
      });
    for (const key of ['name', 'pin'] as const) {
      const seen = new Set<unknown>();
      for (const [i, r] of (c.relays ?? []).entries()) {
        if (seen.has(r[key]))
          ctx.addIssue({ code: 'custom', path: ['relays', i, key], message: `duplicate ${key}` });
        seen.add(r[key]);
      }
    }
  });

export type RelayLine = Readonly<z.infer<typeof RelayLine>>;
export type ClockTrust = 'system' | 'always' | 'never';

export type AgentConfig = Readonly<
  Omit<z.infer<typeof ConfigFile>, 'relay' | 'relays' | 'clockTrusted' | 'clockTrust'> & {
    relays: readonly RelayLine[];
    clockTrust: ClockTrust;
  }
>;

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return `invalid agent config ${file}:\n${lines.join('\n')}`;
}

/** Validates an already-parsed config object; `baseDir` anchors relative paths. */
export function parseConfig(
  raw: unknown,
  baseDir: string,
  env: NodeJS.ProcessEnv = {},
  file = '(config)',
): AgentConfig {
  const withEnv = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object) } : raw;
  if (env.AGENT_PORT !== undefined && withEnv && typeof withEnv === 'object') {
    const port = Number(env.AGENT_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(`invalid agent config ${file}:\n  env AGENT_PORT: must be a port number`);
    }
    (withEnv as Record<string, unknown>).agentPort = port;
  }
  const parsed = ConfigFile.safeParse(withEnv);
  if (!parsed.success) throw new ConfigError(formatIssues(file, parsed.error));
  const c = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const dataDir = abs(c.dataDir);
  const tls = {
    ...(c.tlsCertFile ? { tlsCertFile: abs(c.tlsCertFile) } : {}),
    ...(c.tlsKeyFile ? { tlsKeyFile: abs(c.tlsKeyFile) } : {}),
  };
  let audio = c.audio;
  if (audio.startsWith('file:')) {
    const dir = audio.slice('file:'.length);
    audio = `file:${abs(dir)}`;
  }
  const { relay, relays: lines, clockTrusted, clockTrust, ...rest } = c;
  const relays = (
    lines ?? [{ name: 'amp', pin: relay?.pin ?? 17, activeLow: relay?.activeLow ?? false }]
  ).map((r) => Object.freeze({ ...r }));
  const trust = clockTrust ?? (clockTrusted === undefined ? 'system' : clockTrusted ? 'always' : 'never');
  return Object.freeze({ ...rest, ...tls, dataDir, audio, relays: Object.freeze(relays), clockTrust: trust });
}

/** Reads and validates the JSON config file; throws ConfigError with path-prefixed messages. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv): AgentConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read agent config ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`agent config ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, dirname(path), env, path);
}
