// The callback wired as controller/main.ts wires it: mounted on the controller's app only with
// BROKER_AUTH_TOKEN, the controller's own login from MQTT_PASSWORD, and a revocation through the API
// refusing the station at once despite a long cache.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { silentLogger } from '../../../common/log.ts';
import { brokerAuthFor, linksForgetting } from '../../../controller/broker-auth/wire.ts';
import { loadConfig } from '../../../controller/config.ts';
import { openDb } from '../../../controller/db.ts';
import { createApp } from '../../../controller/http/app.ts';
import { createDesiredSync } from '../../../controller/mqtt/desired.ts';
import { ensureAdmin } from '../../../controller/users/auth.ts';
import { registerStations } from '../../../scripts/sim/fleet.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { tempDir } from '../../support/temp.ts';

const TOKEN = 'wired_token_0123456789abcdef';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function wiredController(env: NodeJS.ProcessEnv) {
  const tmp = tempDir('wired-auth');
  const config = loadConfig({ DATA_DIR: tmp.dir, ADMIN_PASSWORD: 'admin-pw-123', ...env });
  const db = openDb(path.join(tmp.dir, 'controller.db'));
  cleanups.push(() => {
    deps.stationLinks?.stop();
    db.close();
    tmp.cleanup();
  });
  const clock = { now: () => new Date() };
  await ensureAdmin(db, 'admin-pw-123', clock.now());
  const stations = registerStations(db, 2, { prefix: 'wr' });
  const brokerAuth = brokerAuthFor(config, { db, clock, log: silentLogger });
  const deps = {
    config,
    db,
    clock,
    ffmpeg: resolveFfmpeg(process.env),
    desired: createDesiredSync({ db, clock, log: silentLogger, publish: () => {} }),
    log: silentLogger,
    // no broker here: the take-overs of a changed station's client ids find nobody (cut-off.test.ts)
    stationLinks: linksForgetting(undefined, brokerAuth, {
      ...{ config, log: silentLogger, url: 'mqtt://127.0.0.1:9', connectTimeoutMs: 1000 },
      ...{ username: config.mqttUsername, password: config.mqttPassword },
    }),
  };
  const app = createApp(deps, { mqttConnected: () => true, brokerAuth });
  const ask = async (p: string, form: Record<string, string>, token = TOKEN) => {
    const res = await app.request(`/broker-auth/${token}/${p}`, {
      method: 'POST',
      body: new URLSearchParams(form),
    });
    return { status: res.status, text: await res.text() };
  };
  const login = await app.request('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin-pw-123' }),
  });
  const admin = ((await login.json()) as { token: string }).token;
  return { app, ask, admin, stations: stations as [SimCredential, SimCredential], brokerAuth };
}

describe('the callback on the controller', () => {
  it('is not mounted without BROKER_AUTH_TOKEN', async () => {
    const c = await wiredController({ PROVINCE_ID: 'can-tho' });
    expect(c.brokerAuth).toBeNull();
    const a = c.stations[0];
    expect((await c.ask('user', { username: `${a.id}@can-tho`, password: a.secret })).status).toBe(404);
  });

  it('logs in the controller with MQTT_PASSWORD and a station with its secret; 404 for a wrong token', async () => {
    const c = await wiredController({
      PROVINCE_ID: 'can-tho',
      MQTT_PASSWORD: 'controller-pw',
      BROKER_AUTH_TOKEN: TOKEN,
    });
    const a = c.stations[0];
    expect(await c.ask('user', { username: 'controller@can-tho', password: 'controller-pw' })).toEqual({
      status: 200,
      text: 'allow',
    });
    expect((await c.ask('user', { username: `${a.id}@can-tho`, password: a.secret })).text).toBe('allow');
    expect((await c.ask('user', { username: a.id, password: a.secret })).text).toBe('allow');
    expect((await c.ask('user', { username: a.id, password: a.secret }, 'x'.repeat(28))).status).toBe(404);
  });

  it('refuses a station revoked through the API at once, whatever the cache lifetime, and lets the controller take its client id', async () => {
    const c = await wiredController({
      PROVINCE_ID: 'can-tho',
      MQTT_PROTOCOLS: 'v2',
      MQTT_PASSWORD: 'controller-pw',
      BROKER_AUTH_TOKEN: TOKEN,
      BROKER_AUTH_CACHE_MS: '600000',
    });
    const [a, b] = c.stations;
    const form = { username: `${a.id}@can-tho`, password: a.secret };
    const controllerAs = (s: SimCredential) => ({
      ...{ username: 'controller@can-tho', password: 'controller-pw' },
      client_id: `station-${s.id}@can-tho`,
    });
    expect((await c.ask('user', form)).text).toBe('allow');
    expect((await c.ask('user', controllerAs(a))).text).toBe('deny');
    const res = await c.app.request(`/api/stations/${a.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.admin}` },
    });
    expect(res.status).toBe(204);
    expect((await c.ask('user', form)).text).toBe('deny');
    // the controller may now take its client id (to close its open connection), and no one else's
    expect((await c.ask('user', controllerAs(a))).text).toBe('allow');
    expect((await c.ask('user', controllerAs(b))).text).toBe('deny');
    expect((await c.ask('user', { username: `${b.id}@can-tho`, password: b.secret })).text).toBe('allow');
    // a v1 name is refused by a v2-only province
    expect((await c.ask('user', { username: b.id, password: b.secret })).text).toBe('deny');
  });
});
