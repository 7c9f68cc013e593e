// Test harness: a controller app on a real SQLite file in a temp dir, desired states captured in memory,
// signed in as the admin.
import path from 'node:path';
import { resolveFfmpeg } from '../../audio/index.ts';
import type { Clock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { createBackups } from '../../controller/backup/service.ts';
import { loadConfig } from '../../controller/config.ts';
import { openDb } from '../../controller/db.ts';
import type { ControllerDeps } from '../../controller/deps.ts';
import { createApp } from '../../controller/http/app.ts';
import { createLiveSessions } from '../../controller/live/sessions.ts';
import { createDesiredSync } from '../../controller/mqtt/desired.ts';
import { openKeyring } from '../../controller/signing/keyring.ts';
import { ensureAdmin } from '../../controller/users/auth.ts';
import { DEFAULT_TIMEZONE, type DesiredState } from '../../schedules/model.ts';
import { tempDir } from './temp.ts';

export const ADMIN_PASSWORD = 'test-admin-pw';

/** Ward An Hòa's station in district Ninh Kiều, as the controller tests register it. */
export const AN_HOA = { id: 'st-an-hoa', name: 'Đài phường An Hòa', district: 'ninh-kieu', ward: 'an-hoa' };

/** A slot as the API takes it: every day of November and December 2026 at 17:30 in ward An Hòa. */
export const apiSlot = (clipIds: string[], extra: object = {}) => ({
  clipIds,
  startTime: '17:30',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  target: { scope: 'ward', id: 'an-hoa' },
  ...extra,
});

/**
 * 10:00 on Saturday 28 November 2026 in Cần Thơ, inside apiSlot's dates: a controller on this clock puts the
 * slot in its desired states whatever day the tests run on.
 */
export const IN_SLOT_DATES: Clock = { now: () => new Date('2026-11-28T03:00:00Z') };

/**
 * `wiring.bus` publishes what the app sends over MQTT (bulletins); without it nothing goes out.
 * `wiring.backups` gives it backups (into DATA_DIR/backups, none scheduled).
 * `seed` writes the database file before the controller opens (and migrates) it.
 */
export async function makeController(
  clock: Clock = { now: () => new Date() },
  env: NodeJS.ProcessEnv = {},
  wiring: Pick<ControllerDeps, 'bus'> & { backups?: true; liveSessions?: true } = {},
  seed?: (dbFile: string) => void,
) {
  const tmp = tempDir('ctl');
  const dataDir = tmp.dir;
  const config = loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD, MAX_UPLOAD_MB: '5', ...env });
  seed?.(path.join(dataDir, 'controller.db'));
  const db = openDb(path.join(dataDir, 'controller.db'));
  await ensureAdmin(db, ADMIN_PASSWORD, clock.now());
  const published: DesiredState[] = [];
  const desired = createDesiredSync({ db, clock, log: silentLogger, publish: (_id, s) => published.push(s) });
  const backups = wiring.backups
    ? createBackups({
        dataDir,
        clock,
        log: silentLogger,
        timeZone: DEFAULT_TIMEZONE,
        settings: { ...config.backups, at: null },
      })
    : undefined;
  const ffmpeg = resolveFfmpeg(process.env);
  // live sessions over a stream server that refuses every source (their audio is other tests' business)
  const live = wiring.liveSessions
    ? createLiveSessions({
        db,
        clock,
        log: silentLogger,
        ffmpeg: ffmpeg.ffmpeg,
        stream: {
          listenUrl: (mount) => `http://127.0.0.1:9${mount}`,
          openSource: () => Promise.reject(new Error('no stream server in this test')),
          listenerCounts: async () => new Map(),
        },
      })
    : undefined;
  const app = createApp(
    {
      config,
      db,
      clock,
      ffmpeg,
      desired,
      log: silentLogger,
      bus: wiring.bus,
      backups,
      live,
      signing: openKeyring(dataDir, clock),
    },
    { mqttConnected: () => true },
  );
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
  const token = (await loginAs('admin', ADMIN_PASSWORD)).token as string;
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
      void live?.close();
      db.close();
      tmp.cleanup();
    },
  };
}

export type TestController = Awaited<ReturnType<typeof makeController>>;
