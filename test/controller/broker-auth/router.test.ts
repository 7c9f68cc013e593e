// The router for a cluster shared by provinces, over real HTTP on 127.0.0.1: each check forwarded to the
// controller of the username's province, bare (v1) names to the one marked v1, a silent province denied.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { type RouterServer, startBrokerAuthRouter } from '../../../controller/broker-auth/serve.ts';
import { brokerAuthSettingsOf } from '../../../controller/broker-auth/settings.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { tempDir } from '../../support/temp.ts';
import { type AuthFixture, authFixture, TOKEN } from './fixture.ts';

let canTho: AuthFixture;
let hauGiang: AuthFixture;
let servers: ReturnType<typeof serve>[] = [];
let silent: Server;
let router: RouterServer;
let t = Date.parse('2026-12-05T08:00:00Z');

const listen = async (f: AuthFixture) => {
  const s = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const srv = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(srv));
  });
  servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/broker-auth/${TOKEN}`;
};

beforeAll(async () => {
  canTho = authFixture({ prefix: 'ct' });
  hauGiang = authFixture({
    prefix: 'hg',
    rules: { province: 'hau-giang', protocols: ['v2'], controllerUsername: 'controller@hau-giang' },
  });
  // a province whose controller takes the connection and never answers
  silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  router = await startBrokerAuthRouter({
    token: 'router_token_0123456789abcdef',
    provinces: [
      { province: 'can-tho', url: await listen(canTho), v1: true },
      { province: 'hau-giang', url: await listen(hauGiang), v1: false },
      {
        province: 'soc-trang',
        url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/x`,
        v1: false,
      },
    ],
    cacheMs: 5000,
    timeoutMs: 300,
    clock: { now: () => new Date(t) },
    log: silentLogger,
  });
});

afterAll(async () => {
  await router.close();
  for (const s of servers) s.close();
  servers = [];
  silent.close();
  canTho.cleanup();
  hauGiang.cleanup();
});

const ask = async (path: string, form: Record<string, string>) => {
  const res = await fetch(`${router.url}/${path}`, { method: 'POST', body: new URLSearchParams(form) });
  return res.status === 200 ? res.text() : `HTTP ${res.status}`;
};

describe('the broker-auth router', () => {
  it("forwards each station to its province's controller", async () => {
    const a = canTho.stations[0] as SimCredential;
    const h = hauGiang.stations[0] as SimCredential;
    expect(await ask('user', { username: `${a.id}@can-tho`, password: a.secret })).toBe('allow');
    expect(await ask('user', { username: `${h.id}@hau-giang`, password: h.secret })).toBe('allow');
    // a station's secret is good only in its own province
    expect(await ask('user', { username: `${a.id}@hau-giang`, password: a.secret })).toBe('deny');
    const topic = { username: `${h.id}@hau-giang`, vhost: '/', resource: 'topic', name: 'amq.topic' };
    const rk = `loa.v2.hau-giang.station.${h.id}.presence`;
    expect(await ask('topic', { ...topic, permission: 'write', routing_key: rk })).toBe('allow');
    expect(
      await ask('topic', { ...topic, permission: 'write', routing_key: rk.replace('hau-giang', 'can-tho') }),
    ).toBe('deny');
  });

  it("answers a v2 station's checks that need no data of its province itself, forwarding only the rest", async () => {
    const h = hauGiang.stations[1] as SimCredential;
    const username = `${h.id}@hau-giang`;
    const forwarded = async () => {
      const m = await (await fetch(router.url.replace(/\/broker-auth\/.*/, '/metrics'))).text();
      const line =
        /loa_broker_auth_upstream_seconds_count\{province="hau-giang",outcome="answer"\} (\d+)/.exec(m);
      return Number(line?.[1] ?? 0);
    };
    const before = await forwarded();
    const queue = { username, vhost: '/', resource: 'queue', permission: 'configure' };
    const topic = { username, vhost: '/', resource: 'topic', name: 'amq.topic' };
    const local = [
      [await ask('vhost', { username, vhost: '/' }), 'allow'],
      [await ask('vhost', { username, vhost: 'other' }), 'deny'],
      [await ask('resource', { ...queue, name: `mqtt-subscription-station-${username}qos0` }), 'allow'],
      [
        await ask('resource', { ...queue, name: 'mqtt-subscription-station-hg-000000@hau-giangqos0' }),
        'deny',
      ],
      [
        await ask('resource', { ...queue, resource: 'exchange', name: 'amq.topic', permission: 'write' }),
        'allow',
      ],
      [
        await ask('topic', {
          ...topic,
          permission: 'read',
          routing_key: `loa.v2.hau-giang.station.${h.id}.desired`,
        }),
        'allow',
      ],
      [
        await ask('topic', {
          ...topic,
          permission: 'read',
          routing_key: 'loa.v2.hau-giang.control.roll-call',
        }),
        'allow',
      ],
      [
        await ask('topic', {
          ...topic,
          permission: 'write',
          routing_key: 'loa.v2.hau-giang.station.hg-000000.health',
        }),
        'deny',
      ],
      [
        await ask('topic', { ...topic, permission: 'write', routing_key: `loa.v1.station.${h.id}.health` }),
        'deny',
      ],
    ];
    expect(local.map(([got]) => got)).toEqual(local.map(([, want]) => want));
    expect(await forwarded()).toBe(before);
    // a bulletin filter of its chain needs the province's areas; a login, its secrets
    const filter = `loa.v2.hau-giang.alerts.station.${h.id}.*`;
    expect(await ask('topic', { ...topic, permission: 'read', routing_key: filter })).toBe('allow');
    expect(await ask('user', { username, password: h.secret })).toBe('allow');
    expect(await forwarded()).toBe(before + 2);
    // the controller's login and checks are its province's to answer
    expect(await ask('vhost', { username: 'controller@hau-giang', vhost: '/' })).toBe('allow');
    expect(await forwarded()).toBe(before + 3);
  });

  it('sends bare (v1) names to the province marked v1, and refuses unknown provinces', async () => {
    const a = canTho.stations[1] as SimCredential;
    expect(await ask('user', { username: a.id, password: a.secret })).toBe('allow');
    expect(await ask('user', { username: `${a.id}@bac-lieu`, password: a.secret })).toBe('deny');
    expect(await ask('vhost', { username: 'x@can-tho' })).toBe('deny');
  });

  it('denies when a province does not answer within the timeout, and does not remember it', async () => {
    const started = Date.now();
    expect(await ask('user', { username: 'st-1@soc-trang', password: 'p' })).toBe('deny');
    expect(Date.now() - started).toBeLessThan(2000);
    const metrics = await (await fetch(router.url.replace(/\/broker-auth\/.*/, '/metrics'))).text();
    expect(metrics).toMatch(
      /loa_broker_auth_upstream_seconds_count\{province="soc-trang",outcome="timeout"\} 1/,
    );
  });

  it('answers from its cache within the lifetime, then asks the province again', async () => {
    const a = canTho.stations[2] as SimCredential;
    const form = { username: `${a.id}@can-tho`, password: a.secret };
    expect(await ask('user', form)).toBe('allow');
    canTho.db.prepare('UPDATE stations SET secret_revoked = 1 WHERE id = ?').run(a.id);
    canTho.auth.forget(a.id);
    expect(await ask('user', form)).toBe('allow');
    t += 5000;
    expect(await ask('user', form)).toBe('deny');
  });

  it('reads the form from the Node request, and refuses one too large', async () => {
    const big = await fetch(`${router.url}/user`, { method: 'POST', body: `username=${'x'.repeat(20_000)}` });
    expect(big.status).toBe(413);
    const chunked = await fetch(`${router.url}/user`, {
      method: 'POST',
      body: new Blob([`username=${'x'.repeat(20_000)}`]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const a = canTho.stations[0] as SimCredential;
    expect(await ask('vhost', { username: `${a.id}@can-tho`, vhost: '/' })).toBe('allow');
  });

  it('answers 404 for a wrong token', async () => {
    const res = await fetch(router.url.replace('router_token', 'wrong_token'), { method: 'POST' });
    expect(res.status).toBe(404);
  });
});

describe('BROKER_AUTH_PROVINCES_FILE', () => {
  const tmp = tempDir('provinces');
  const write = (content: string) => {
    const file = `${tmp.dir}/p.json`;
    writeFileSync(file, content);
    return { BROKER_AUTH_TOKEN: 'router_token_0123456789abcdef', BROKER_AUTH_PROVINCES_FILE: file };
  };
  afterAll(() => tmp.cleanup());

  it('is read and checked once at start', async () => {
    const env = write(
      JSON.stringify([{ province: 'can-tho', url: 'http://127.0.0.1:8081/broker-auth/t/', v1: true }]),
    );
    expect(brokerAuthSettingsOf(env).provinces).toEqual([
      { province: 'can-tho', url: 'http://127.0.0.1:8081/broker-auth/t', v1: true },
    ]);
    const twice = write(
      JSON.stringify([
        { province: 'a', url: 'http://x' },
        { province: 'a', url: 'http://y' },
      ]),
    );
    expect(() => brokerAuthSettingsOf(twice)).toThrow(/listed twice/);
    const twoV1 = write(
      JSON.stringify([
        { province: 'a', url: 'http://x', v1: true },
        { province: 'b', url: 'http://y', v1: true },
      ]),
    );
    expect(() => brokerAuthSettingsOf(twoV1)).toThrow(/at most one/);
    expect(() => brokerAuthSettingsOf(write('[{"province": "a.b", "url": "http://x"}]'))).toThrow(
      /topic level/,
    );
    expect(() => brokerAuthSettingsOf(write('not json'))).toThrow(/BROKER_AUTH_PROVINCES_FILE/);
    expect(() => brokerAuthSettingsOf({ BROKER_AUTH_TOKEN: 'short' })).toThrow(/BROKER_AUTH_TOKEN/);
  });
});
