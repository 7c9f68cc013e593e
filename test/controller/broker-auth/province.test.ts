// A province's answers to RabbitMQ's four checks, over HTTP as RabbitMQ asks them: its own stations (v1 and
// v2 names) and its controller allowed what the MQTT plugin needs, and nothing else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../common/log.ts';
import { revokeSecret } from '../../../controller/stations/store.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { type AuthFixture, authFixture, CONTROLLER_PASSWORD, TOKEN } from './fixture.ts';

let f: AuthFixture;
let a: SimCredential;
let b: SimCredential;
const lines: string[] = [];
const log: Logger = {
  info: (m) => lines.push(m),
  warn: (m) => lines.push(m),
  error: (m) => lines.push(m),
};

beforeEach(() => {
  lines.length = 0;
  f = authFixture({ log });
  [a, b] = f.stations as [SimCredential, SimCredential];
});
afterEach(() => f.cleanup());

const rk = (topic: string) => topic.replaceAll('/', '.').replaceAll('+', '*');
const v2 = (id: string) => `${id}@can-tho`;
const topicCheck = (username: string, permission: string, topic: string, extra: object = {}) => ({
  username,
  vhost: '/',
  resource: 'topic',
  name: 'amq.topic',
  permission,
  routing_key: rk(topic),
  ...extra,
});

describe('user: who may log in', () => {
  const cases: [string, () => Record<string, string>, 'allow' | 'deny'][] = [
    ['a v2 station with its secret', () => ({ username: v2(a.id), password: a.secret }), 'allow'],
    ['a v1 station (bare id) with its secret', () => ({ username: a.id, password: a.secret }), 'allow'],
    [
      'a station with its own client id',
      () => ({ username: v2(a.id), password: a.secret, client_id: `station-${v2(a.id)}` }),
      'allow',
    ],
    [
      "a station under another station's client id",
      () => ({ username: v2(a.id), password: a.secret, client_id: `station-${v2(b.id)}` }),
      'deny',
    ],
    ["a station with another station's secret", () => ({ username: v2(a.id), password: b.secret }), 'deny'],
    ['a wrong password', () => ({ username: v2(a.id), password: 'wrong' }), 'deny'],
    ['an empty password', () => ({ username: v2(a.id), password: '' }), 'deny'],
    ['a station of another province', () => ({ username: `${a.id}@hau-giang`, password: a.secret }), 'deny'],
    ['an unknown station', () => ({ username: v2('ct-999999'), password: a.secret }), 'deny'],
    ['a name with a vhost separator', () => ({ username: `/:${a.id}`, password: a.secret }), 'deny'],
    ['the controller', () => ({ username: 'controller@can-tho', password: CONTROLLER_PASSWORD }), 'allow'],
    [
      'the controller with a wrong password',
      () => ({ username: 'controller@can-tho', password: 'x' }),
      'deny',
    ],
    [
      "another province's controller",
      () => ({ username: 'controller@hau-giang', password: CONTROLLER_PASSWORD }),
      'deny',
    ],
    [
      'the controller under a station client id',
      () => ({
        username: 'controller@can-tho',
        password: CONTROLLER_PASSWORD,
        client_id: `station-${v2(a.id)}`,
      }),
      'deny',
    ],
    ['a missing password', () => ({ username: v2(a.id) }), 'deny'],
    ['a missing username', () => ({ password: a.secret }), 'deny'],
  ];
  it.each(cases)('%s: %s', async (_what, form, answer) => {
    expect(await f.ask('user', form())).toEqual({ status: 200, text: answer });
  });

  it('refuses a revoked station at once, though its allow was cached', async () => {
    const form = { username: v2(a.id), password: a.secret };
    expect((await f.ask('user', form)).text).toBe('allow');
    revokeSecret(f.db, a.id);
    f.auth.forget(a.id);
    expect((await f.ask('user', form)).text).toBe('deny');
    expect((await f.ask('vhost', { username: v2(a.id), vhost: '/' })).text).toBe('deny');
  });

  it('never writes a password in its log', async () => {
    await f.ask('user', { username: v2(a.id), password: 'secret-never-logged' });
    await f.ask('user', { username: v2(a.id) });
    expect(lines.join('\n')).not.toContain('secret-never-logged');
    expect(lines.some((l) => l.includes('missing password'))).toBe(true);
  });
});

describe('vhost and resource: what the MQTT plugin needs', () => {
  const q = (cid: string, qos = 1) => `mqtt-subscription-${cid}qos${qos}`;
  const res = (username: string, resource: string, name: string, permission: string, vhost = '/') => ({
    username,
    vhost,
    resource,
    name,
    permission,
  });
  const cases: [string, () => Record<string, string>, 'allow' | 'deny'][] = [
    ['a station reads and writes amq.topic', () => res(v2(a.id), 'exchange', 'amq.topic', 'write'), 'allow'],
    ['a station binds from amq.topic', () => res(v2(a.id), 'exchange', 'amq.topic', 'read'), 'allow'],
    [
      'a station may not configure amq.topic',
      () => res(v2(a.id), 'exchange', 'amq.topic', 'configure'),
      'deny',
    ],
    [
      'a station may not use another exchange',
      () => res(v2(a.id), 'exchange', 'amq.fanout', 'write'),
      'deny',
    ],
    [
      'a station declares its qos1 queue',
      () => res(v2(a.id), 'queue', q(`station-${v2(a.id)}`), 'configure'),
      'allow',
    ],
    [
      'a station consumes its qos0 queue',
      () => res(v2(a.id), 'queue', q(`station-${v2(a.id)}`, 0), 'read'),
      'allow',
    ],
    ['a v1 station binds its queue', () => res(a.id, 'queue', q(`station-${a.id}`), 'write'), 'allow'],
    [
      "a station may not touch another's queue",
      () => res(v2(a.id), 'queue', q(`station-${v2(b.id)}`), 'read'),
      'deny',
    ],
    [
      'a station may not declare any other queue',
      () => res(v2(a.id), 'queue', 'loa-everything', 'configure'),
      'deny',
    ],
    ['a station in another vhost', () => res(v2(a.id), 'exchange', 'amq.topic', 'write', 'other'), 'deny'],
    [
      'the controller declares its own queue',
      () => res('controller@can-tho', 'queue', q('controller-123'), 'configure'),
      'allow',
    ],
    [
      "the controller may not take a station's queue",
      () => res('controller@can-tho', 'queue', q(`station-${v2(a.id)}`), 'read'),
      'deny',
    ],
    ['an unknown permission', () => res(v2(a.id), 'exchange', 'amq.topic', 'administrator'), 'deny'],
    [
      'a missing name',
      () => ({ username: v2(a.id), vhost: '/', resource: 'queue', permission: 'read' }),
      'deny',
    ],
    ['the vhost / for a station', () => ({ username: v2(a.id), vhost: '/' }), 'allow'],
    ['another vhost', () => ({ username: v2(a.id), vhost: 'loa' }), 'deny'],
    ['the vhost / for the controller', () => ({ username: 'controller@can-tho', vhost: '/' }), 'allow'],
    ['a vhost without a username', () => ({ vhost: '/' }), 'deny'],
  ];
  it.each(cases)('%s', async (_what, form, answer) => {
    const path = 'permission' in form() ? 'resource' : 'vhost';
    expect(await f.ask(path, form())).toEqual({ status: 200, text: answer });
  });
});

describe('topic: each station only its own topics, the controller only its roots', () => {
  const R = 'loa/v2/can-tho';
  const cases: [string, () => Record<string, string>, 'allow' | 'deny'][] = [
    ['reads its desired state', () => topicCheck(v2(a.id), 'read', `${R}/station/${a.id}/desired`), 'allow'],
    ['reads its as-run acks', () => topicCheck(v2(a.id), 'read', `${R}/station/${a.id}/as-run/ack`), 'allow'],
    ['reads the roll call', () => topicCheck(v2(a.id), 'read', `${R}/control/roll-call`), 'allow'],
    [
      'reads its ward bulletins',
      () => topicCheck(v2(a.id), 'read', `${R}/alerts/area/${a.areaPath[2]}/+`),
      'allow',
    ],
    [
      'reads its province-wide bulletins',
      () => topicCheck(v2(a.id), 'read', `${R}/alerts/area/${a.areaPath[0]}/+`),
      'allow',
    ],
    [
      'reads its own station bulletins',
      () => topicCheck(v2(a.id), 'read', `${R}/alerts/station/${a.id}/+`),
      'allow',
    ],
    [
      "may not read another ward's bulletins",
      () => topicCheck(v2(a.id), 'read', `${R}/alerts/area/${b.areaPath[2]}/+`),
      'deny',
    ],
    [
      "may not read another station's desired state",
      () => topicCheck(v2(a.id), 'read', `${R}/station/${b.id}/desired`),
      'deny',
    ],
    ['may not subscribe to loa/#', () => topicCheck(v2(a.id), 'read', 'loa/#'), 'deny'],
    [
      'may not subscribe to every desired state',
      () => topicCheck(v2(a.id), 'read', 'loa/v2/+/station/+/desired'),
      'deny',
    ],
    ['may not subscribe to its province', () => topicCheck(v2(a.id), 'read', `${R}/#`), 'deny'],
    ['may not subscribe to every bulletin', () => topicCheck(v2(a.id), 'read', `${R}/alerts/+/+/+`), 'deny'],
    [
      'may not read another province',
      () => topicCheck(v2(a.id), 'read', `loa/v2/hau-giang/station/${a.id}/desired`),
      'deny',
    ],
    ['writes its presence', () => topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/presence`), 'allow'],
    ['writes its as-run', () => topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/as-run`), 'allow'],
    ['writes its hello', () => topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/hello`), 'allow'],
    ['writes its position', () => topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/position`), 'allow'],
    [
      'may not write its desired state',
      () => topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/desired`),
      'deny',
    ],
    [
      'may not write a bulletin',
      () => topicCheck(v2(a.id), 'write', `${R}/alerts/area/${a.areaPath[2]}/x1`),
      'deny',
    ],
    ['may not write the roll call', () => topicCheck(v2(a.id), 'write', `${R}/control/roll-call`), 'deny'],
    [
      "may not write another station's presence",
      () => topicCheck(v2(a.id), 'write', `${R}/station/${b.id}/presence`),
      'deny',
    ],
    [
      'a v2 station on v1 while v1 is spoken',
      () => topicCheck(v2(a.id), 'write', `loa/v1/station/${a.id}/health`),
      'allow',
    ],
    ['a v1 station writes v1', () => topicCheck(a.id, 'write', `loa/v1/station/${a.id}/health`), 'allow'],
    [
      'a v1 station may not use the v2 root',
      () => topicCheck(a.id, 'write', `${R}/station/${a.id}/health`),
      'deny',
    ],
    [
      'a v1 station reads its v1 bulletins',
      () => topicCheck(a.id, 'read', `loa/v1/alerts/area/${a.areaPath[1]}/+`),
      'allow',
    ],
    [
      'another exchange',
      () => ({ ...topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/presence`), name: 'amq.direct' }),
      'deny',
    ],
    [
      'another vhost',
      () => ({ ...topicCheck(v2(a.id), 'write', `${R}/station/${a.id}/presence`), vhost: 'x' }),
      'deny',
    ],
    [
      'a configure permission',
      () => topicCheck(v2(a.id), 'configure', `${R}/station/${a.id}/presence`),
      'deny',
    ],
    [
      'a missing routing key',
      () => ({ username: v2(a.id), vhost: '/', resource: 'topic', name: 'amq.topic', permission: 'read' }),
      'deny',
    ],
    [
      'the controller subscribes to its stations',
      () => topicCheck('controller@can-tho', 'read', `${R}/station/+/+`),
      'allow',
    ],
    [
      'the controller subscribes to v1 stations',
      () => topicCheck('controller@can-tho', 'read', 'loa/v1/station/+/+'),
      'allow',
    ],
    [
      'the controller publishes a bulletin',
      () => topicCheck('controller@can-tho', 'write', `${R}/alerts/area/x/a1`),
      'allow',
    ],
    [
      'the controller may not subscribe to loa/#',
      () => topicCheck('controller@can-tho', 'read', 'loa/#'),
      'deny',
    ],
    [
      'the controller may not read another province',
      () => topicCheck('controller@can-tho', 'read', 'loa/v2/hau-giang/station/+/+'),
      'deny',
    ],
    [
      'the controller may not read every province',
      () => topicCheck('controller@can-tho', 'read', 'loa/v2/+/station/+/+'),
      'deny',
    ],
    [
      'the controller may not write a look-alike root',
      () => topicCheck('controller@can-tho', 'write', 'loa/v2/can-tho-x/alerts/a'),
      'deny',
    ],
  ];
  it.each(cases)('%s', async (_what, form, answer) => {
    expect(await f.ask('topic', form())).toEqual({ status: 200, text: answer });
  });

  it('logs a refused topic as MQTT names it', async () => {
    await f.ask('topic', topicCheck(v2(a.id), 'read', 'loa/#'));
    expect(lines).toContain(`broker-auth: refused read on topic 'loa/#' for '${v2(a.id)}'`);
  });

  it("refuses a revoked station's topics", async () => {
    revokeSecret(f.db, a.id);
    f.auth.forget(a.id);
    const t = topicCheck(v2(a.id), 'write', `loa/v2/can-tho/station/${a.id}/presence`);
    expect((await f.ask('topic', t)).text).toBe('deny');
  });
});

describe('a province that speaks only v2', () => {
  it('refuses v1 names and the v1 root', async () => {
    f.cleanup();
    f = authFixture({ rules: { protocols: ['v2'] } });
    [a] = f.stations as [SimCredential];
    expect((await f.ask('user', { username: (a as SimCredential).id, password: a.secret })).text).toBe(
      'deny',
    );
    const t = topicCheck(v2(a.id), 'write', `loa/v1/station/${a.id}/health`);
    expect((await f.ask('topic', t)).text).toBe('deny');
    expect((await f.ask('topic', topicCheck('controller@can-tho', 'read', 'loa/v1/station/+/+'))).text).toBe(
      'deny',
    );
  });
});

describe('the token and the form', () => {
  it('answers 404 for a wrong token, then 429 after repeated ones', async () => {
    for (let i = 0; i < 5; i++)
      expect((await f.ask('user', {}, 'wrong-token-0123456789abcdef')).status).toBe(404);
    expect((await f.ask('user', {}, 'wrong-token-0123456789abcdef')).status).toBe(404);
    expect((await f.ask('user', { username: v2(a.id), password: a.secret })).status).toBe(429);
    expect(lines.join('\n')).not.toContain('wrong-token');
  });

  it('answers 404 for an unknown check and a GET', async () => {
    expect((await f.ask('admin', {})).status).toBe(404);
    const res = await f.app.request(`/broker-auth/${TOKEN}/user?username=a&password=b`);
    expect(res.status).toBe(404);
  });

  it('denies oversized and garbled forms without an error', async () => {
    expect(await f.ask('user', { username: 'x'.repeat(2000), password: 'y' })).toEqual({
      status: 200,
      text: 'deny',
    });
    const res = await f.app.request(`/broker-auth/${TOKEN}/topic`, { method: 'POST', body: '%%%&&&==' });
    expect({ status: res.status, text: await res.text() }).toEqual({ status: 200, text: 'deny' });
    const big = await f.app.request(`/broker-auth/${TOKEN}/user`, {
      method: 'POST',
      body: 'a='.padEnd(20_000, 'b'),
    });
    expect(big.status).toBe(413);
  });

  it('denies, and logs, when the database cannot be read', async () => {
    f.db.close();
    expect(await f.ask('user', { username: v2(a.id), password: a.secret })).toEqual({
      status: 200,
      text: 'deny',
    });
    expect(lines.some((l) => l.includes('failed') && l.includes('denied'))).toBe(true);
  });

  it('counts checks by path and answer, and cache hits', async () => {
    const form = { username: v2(a.id), password: a.secret };
    await f.ask('user', form);
    await f.ask('user', form);
    await f.ask('user', { username: v2(a.id), password: 'no' });
    const text = await f.registry.metrics();
    expect(text).toContain('loa_broker_auth_checks_total{path="user",answer="allow"} 2');
    expect(text).toContain('loa_broker_auth_checks_total{path="user",answer="deny"} 1');
    expect(text).toContain('loa_broker_auth_cache_hits_total{path="user"} 1');
  });
});
