// Test harness: a controller app on a real SQLite file in a temp dir, desired states captured in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveFfmpeg } from '../../audio/index.ts';
import type { Clock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { loadConfig } from '../../controller/config.ts';
import { openDb } from '../../controller/db.ts';
import { createApp } from '../../controller/http/app.ts';
import { createDesiredSync } from '../../controller/mqtt/desired.ts';
import { ensureAdmin } from '../../controller/users/auth.ts';
import type { DesiredState } from '../../schedules/model.ts';

export const ADMIN_PASSWORD = 'test-admin-pw';

export async function makeController(clock: Clock = { now: () => new Date() }, env: NodeJS.ProcessEnv = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'loa-ctl-'));
  const config = loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD, MAX_UPLOAD_MB: '5', ...env });
  const db = openDb(path.join(dataDir, 'controller.db'));
  await ensureAdmin(db, ADMIN_PASSWORD, clock.now());
  const published: DesiredState[] = [];
  const desired = createDesiredSync({ db, clock, log: silentLogger, publish: (_id, s) => published.push(s) });
  const app = createApp(
    { config, db, clock, ffmpeg: resolveFfmpeg(process.env), desired, log: silentLogger },
    { mqttConnected: () => true },
  );
  const login = await app.request('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const call = async (method: string, url: string, body?: unknown, auth = token) => {
    const headers: Record<string, string> = { authorization: `Bearer ${auth}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  /** `query` e.g. '?wait=true' (the answer comes when processing is done) */
  const upload = async (file: string, bytes: Uint8Array, title = 'clip', auth = token, query = '') => {
    const form = new FormData();
    form.set('file', new File([bytes], file));
    form.set('title', title);
    const res = await app.request(`/api/clips${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}` },
      body: form,
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Signs in; answers the token, or null with the status when refused. */
  const loginAs = async (username: string, password: string) => {
    const res = await app.request('/api/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return {
      status: res.status,
      token: res.ok ? ((await res.json()) as { token: string }).token : null,
      res,
    };
  };
  /** Creates a user with `role` through the users API and answers a bearer token for them. */
  const tokenFor = async (username: string, role: string, extra: object = {}) => {
    const password = 'mat-khau-thu-nghiem';
    const made = await call('POST', '/api/users', { username, role, password, ...extra });
    if (made.status !== 201) throw new Error(`cannot create ${username}: ${JSON.stringify(made.body)}`);
    return (await loginAs(username, password)).token as string;
  };
  return {
    app,
    loginAs,
    tokenFor,
    db,
    dataDir,
    config,
    desired,
    published,
    token,
    call,
    upload,
    cleanup: () => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestController = Awaited<ReturnType<typeof makeController>>;
