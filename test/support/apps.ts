// The controller and the agent as separate processes, as they run in production: the controller on free
// ports (its embedded broker too, unless told to use another), signed in as the admin; an agent started
// from a config file written for the test.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD } from './controller.ts';
import { freePort, type Proc, startProcess } from './process.ts';
import { PROCESS_POLL_MS, waitFor } from './wait.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
export type JsonAnswer = { status: number; body: any };

export interface ControllerProcess {
  proc: Proc;
  /** http://127.0.0.1:PORT */
  api: string;
  /** The embedded broker's port and mqtt:// URL; null when the controller uses another broker (MQTT_URL). */
  mqttPort: number | null;
  mqttUrl: string | null;
  token: string;
  /** A JSON (or multipart, for FormData) request as the admin; the answer's JSON body, null if none. */
  call(method: string, url: string, body?: unknown): Promise<JsonAnswer>;
  /** Uploads `file` as a clip titled `title` and waits for its processing (`?wait=true`). */
  upload(file: string, title: string): Promise<JsonAnswer>;
}

/**
 * Starts controller/main.ts with its data in `dataDir`, `env` added (MQTT_URL for an external broker:
 * then no embedded one is started), waits until it answers /healthz and signs in as the admin.
 */
export async function startControllerProcess(o: {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The HTTP port (a broker's auth callback must know it first); a free one by default. */
  port?: number;
}): Promise<ControllerProcess> {
  const port = o.port ?? (await freePort());
  const mqttPort = o.env?.MQTT_URL ? null : await freePort();
  const api = `http://127.0.0.1:${port}`;
  const proc = startProcess('controller/main.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    ...(mqttPort === null ? {} : { MQTT_PORT: String(mqttPort), MQTT_HOST: '127.0.0.1' }),
    DATA_DIR: o.dataDir,
    ADMIN_PASSWORD,
    // no stream server unless a test asks for one (on a free port: tests run side by side)
    ICECAST_PORT: 'off',
    ...o.env,
  });
  try {
    await waitFor(
      () => fetch(`${api}/healthz`).then((r) => r.ok),
      30_000,
      'controller health',
      PROCESS_POLL_MS,
    );
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  const login = await fetch(`${api}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const call = async (method: string, url: string, body?: unknown): Promise<JsonAnswer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    const payload = body === undefined || body instanceof FormData ? body : JSON.stringify(body);
    const res = await fetch(`${api}${url}`, { method, headers, body: payload as RequestInit['body'] });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  return {
    proc,
    api,
    mqttPort,
    mqttUrl: mqttPort === null ? null : `mqtt://127.0.0.1:${mqttPort}`,
    token,
    call,
    upload: (file, title) => {
      const form = new FormData();
      form.set('file', new File([readFileSync(file)], path.basename(file)));
      form.set('title', title);
      return call('POST', '/api/clips?wait=true', form);
    },
  };
}

/**
 * Writes an agent config for a process test to `file`: a simulated relay, a clock trusted as it is, the
 * station page on 127.0.0.1; `keys` add to or replace these.
 */
export function writeAgentConfig(file: string, keys: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify({ gpio: 'sim', clockTrust: 'always', agentHost: '127.0.0.1', ...keys }));
  return file;
}

/** Starts edge-agent/cli/main.ts (or `script`, a wrapper of it) on the config `file`. */
export const startAgentProcess = (
  file: string,
  script = 'edge-agent/cli/main.ts',
  env: NodeJS.ProcessEnv = {},
) => startProcess(script, ['--config', file], env);
