// Edge agent configuration: the JSON file's schema, defaults, path resolution and env overrides.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TAIL_MS, DEFAULT_WARM_UP_MS, Id } from '../schedules/model.ts';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const MqttUrl = z.url({
  protocol: /^(mqtts?|wss?|tcp|tls)$/,
  error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL',
});
const AudioSpec = z.string().regex(/^(alsa:.+|file:.+|null)$/, "must be 'alsa:DEVICE', 'file:DIR' or 'null'");

const ConfigFile = z
  .object({
    stationId: Id,
    secret: z.string().min(8, 'secret must be at least 8 characters'),
    controllerUrl: HttpUrl,
    mqttUrl: MqttUrl,
    dataDir: z.string().min(1),
    gpio: z.enum(['onoff', 'sim']).default('sim'),
    relay: z
      .object({
        /** BCM pin number. */
        pin: z.number().int().min(0).max(53),
        activeLow: z.boolean().default(false),
      })
      .strict()
      .default({ pin: 17, activeLow: false }),
    audio: AudioSpec.default('null'),
    volume: z.number().min(0).max(2).default(1),
    warmUpMs: z.number().int().min(0).max(60_000).default(DEFAULT_WARM_UP_MS),
    tailMs: z.number().int().min(0).max(60_000).default(DEFAULT_TAIL_MS),
    /** An entry is never started more than this after its time; it is recorded 'missed' instead. */
    graceMs: z.number().int().min(0).max(3_600_000).default(60_000),
    /** How far ahead the timetable is compiled and armed. */
    horizonHours: z
      .number()
      .min(1)
      .max(24 * 14)
      .default(48),
    /** When false the agent neither plays nor records anything. */
    clockTrusted: z.boolean().default(true),
    agentPort: z.number().int().min(0).max(65535).default(8090),
    agentHost: z.string().min(1).default('0.0.0.0'),
    /** Overrides the station timezone from the desired state (IANA name). */
    timezone: z.string().refine(isValidTimeZone, 'unknown IANA timezone').optional(),
  })
  .strict();

export type AgentConfig = Readonly<
  Omit<z.infer<typeof ConfigFile>, 'relay'> & { relay: Readonly<z.infer<typeof ConfigFile>['relay']> }
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
  const dataDir = isAbsolute(c.dataDir) ? c.dataDir : resolve(baseDir, c.dataDir);
  let audio = c.audio;
  if (audio.startsWith('file:')) {
    const dir = audio.slice('file:'.length);
    audio = `file:${isAbsolute(dir) ? dir : resolve(baseDir, dir)}`;
  }
  return Object.freeze({ ...c, dataDir, audio, relay: Object.freeze({ ...c.relay }) });
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
