// People and their areas: roles and scope checked for every route, audit trail, tokens, sign-in back-off.
import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
let now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
const tokens: Record<string, string> = {};

const USERS = [
  { username: 'kt-ninh-kieu', role: 'technician', districts: ['ninh-kieu'] },
  { username: 'kt-cai-rang', role: 'technician', districts: ['cai-rang'] },
  { username: 'cb-an-hoa', role: 'ward', ward: 'an-hoa' },
  { username: 'xem', role: 'viewer' },
  { username: 'duyet', role: 'reviewer' },
];
const PASSWORD = 'mat-khau-dai-du';

beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  ctl = await makeController(clock);
  for (const [id, district, ward] of [
    ['st-an-hoa', 'ninh-kieu', 'an-hoa'],
    ['st-tan-an', 'ninh-kieu', 'tan-an'],
    ['st-le-binh', 'cai-rang', 'le-binh'],
  ] as const) {
    expect((await ctl.call('POST', '/api/stations', { id, name: id, district, ward })).status).toBe(201);
  }
  for (const u of USERS) {
    expect((await ctl.call('POST', '/api/users', { ...u, password: PASSWORD })).status).toBe(201);
    tokens[u.username] = (await ctl.loginAs(u.username, PASSWORD)).token as string;
  }
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 1000, '2026-01-01T00:00:00Z')`,
    )
    .run('c'.repeat(64));
});

const as = (user: string) => (method: string, url: string, body?: unknown) =>
  ctl.call(method, url, body, tokens[user]);
const slot = (target: object) => ({
  clipIds: ['clip-a'],
  startTime: '06:30',
  weekdays: [1, 2, 3, 4, 5],
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  target,
});
const quiet = (target: object) => ({
  weekdays: [1, 2, 3, 4, 5],
  startTime: '07:00',
  endTime: '11:30',
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  reason: 'local-event',
  target,
});

describe('area scope', () => {
  it('a district technician sees and changes only their district', async () => {
    const nk = as('kt-ninh-kieu');
    expect((await nk('GET', '/api/stations')).body.map((s: { id: string }) => s.id)).toEqual([
      'st-an-hoa',
      'st-tan-an',
    ]);
    expect((await nk('GET', '/api/stations/st-le-binh')).status).toBe(403);
    expect((await nk('GET', '/api/stations/st-le-binh/timetable')).status).toBe(403);
    expect((await nk('POST', '/api/slots', slot({ scope: 'ward', id: 'le-binh' }))).status).toBe(403);
    expect((await nk('POST', '/api/slots', slot({ scope: 'city' }))).status).toBe(403);
    const mine = await nk('POST', '/api/slots', slot({ scope: 'ward', id: 'an-hoa' }));
    expect(mine.status).toBe(201);

    const cr = as('kt-cai-rang');
    const refused = await cr('PATCH', `/api/slots/${mine.body.id}`, { startTime: '07:00' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('outside your area');
    expect((await cr('DELETE', `/api/slots/${mine.body.id}`)).status).toBe(403);
    expect((await cr('GET', '/api/slots')).body).toEqual([]);
    // Moving a slot of one's own into another district is refused too.
    expect(
      (await nk('PATCH', `/api/slots/${mine.body.id}`, { target: { scope: 'station', id: 'st-le-binh' } }))
        .status,
    ).toBe(403);
    // stored as the tree knows it: the old ward target is its area
    expect((await ctl.call('GET', `/api/slots/${mine.body.id}`)).body.target).toEqual({
      scope: 'area',
      id: 'an-hoa',
    });
  });

  it('campaigns belong to an area; other areas neither see nor change them', async () => {
    const nk = as('kt-ninh-kieu');
    const c = await nk('POST', '/api/campaigns', {
      name: 'Tiêm chủng',
      startDate: '2026-11-01',
      endDate: '2026-12-31',
    });
    expect(c.status).toBe(201);
    expect(c.body.areaId).toBe('ninh-kieu');
    const cr = as('kt-cai-rang');
    expect((await cr('GET', '/api/campaigns')).body).toEqual([]);
    expect((await cr('GET', `/api/campaigns/${c.body.id}`)).status).toBe(403);
    expect((await cr('DELETE', `/api/campaigns/${c.body.id}`)).status).toBe(403);
    const outside = await ctl.call('POST', '/api/slots', {
      ...slot({ scope: 'ward', id: 'le-binh' }),
      campaignId: c.body.id,
    });
    expect(outside.status).toBe(400);
    expect(outside.body.message).toContain("belongs to area 'ninh-kieu'");
  });

  it('ward staff read their ward and add local quiet windows there, nothing else', async () => {
    const ward = as('cb-an-hoa');
    expect((await ward('GET', '/api/stations')).body.map((s: { id: string }) => s.id)).toEqual(['st-an-hoa']);
    expect((await ward('GET', '/api/stations/st-tan-an')).status).toBe(403);
    expect((await ward('POST', '/api/quiet-windows', quiet({ scope: 'ward', id: 'an-hoa' }))).status).toBe(
      201,
    );
    expect((await ward('POST', '/api/quiet-windows', quiet({ scope: 'ward', id: 'tan-an' }))).status).toBe(
      403,
    );
    expect((await ward('POST', '/api/slots', slot({ scope: 'ward', id: 'an-hoa' }))).status).toBe(403);
    expect(
      (await ward('POST', '/api/stations', { name: 'x', district: 'ninh-kieu', ward: 'an-hoa' })).status,
    ).toBe(403);
  });

  it('viewers only read; only admins manage users', async () => {
    const v = as('xem');
    expect((await v('GET', '/api/stations')).body).toHaveLength(3);
    expect((await v('POST', '/api/quiet-windows', quiet({ scope: 'city' }))).status).toBe(403);
    expect((await as('kt-ninh-kieu')('GET', '/api/users')).status).toBe(403);
    expect(
      (await ctl.call('POST', '/api/users', { username: 'kt-x', role: 'technician', password: PASSWORD }))
        .status,
    ).toBe(400);
    expect(
      (await ctl.call('POST', '/api/users', { username: 'xem', role: 'viewer', password: PASSWORD })).status,
    ).toBe(409);
  });

  it('the as-run log shows each user only their area', async () => {
    const insert = ctl.db.prepare(
      `INSERT INTO plays (id, station_id, entry_id, clip_ids, scheduled_at, outcome, desired_version, recorded_at, received_at)
       VALUES (?, ?, ?, '[]', '2026-11-26T00:00:00Z', 'played', 1, '2026-11-26T00:00:00Z', '2026-11-26T00:00:00Z')`,
    );
    for (const st of ['st-an-hoa', 'st-tan-an', 'st-le-binh']) insert.run(`e-${st}`, st, `e-${st}`);
    const ids = async (user: string) =>
      (await as(user)('GET', '/api/plays')).body.map((p: { stationId: string }) => p.stationId).sort();
    expect(await ids('kt-ninh-kieu')).toEqual(['st-an-hoa', 'st-tan-an']);
    expect(await ids('cb-an-hoa')).toEqual(['st-an-hoa']);
    expect(await ids('xem')).toHaveLength(3);
  });
});

describe('audit trail', () => {
  it('records who changed what, and refusals, without secrets', async () => {
    const nk = as('kt-ninh-kieu');
    const s = await nk('POST', '/api/slots', slot({ scope: 'ward', id: 'an-hoa' }));
    await as('kt-cai-rang')('DELETE', `/api/slots/${s.body.id}`);
    const log = await ctl.call('GET', `/api/audit?objectId=${s.body.id}`);
    expect(
      log.body.map((e: { actor: string; status: number; action: string }) => [e.actor, e.action, e.status]),
    ).toEqual([
      ['user:kt-cai-rang', 'DELETE /api/slots/:id', 403],
      ['user:kt-ninh-kieu', 'POST /api/slots', 201],
    ]);
    // a technician reads their own entries only
    const own = await nk('GET', '/api/audit');
    expect(own.status).toBe(200);
    expect(new Set(own.body.map((e: { actor: string }) => e.actor))).toEqual(new Set(['user:kt-ninh-kieu']));
    expect((await nk('GET', '/api/audit?actor=user:kt-cai-rang')).body).toEqual(
      own.body.filter((e: { actor: string }) => e.actor === 'user:kt-cai-rang'),
    );
    // a technician's new password, sent without their districts (it ends their sessions)
    expect((await ctl.call('PATCH', '/api/users/2', { password: 'mot-mat-khau-moi' })).status).toBe(200);
    const userLog = await ctl.call('GET', '/api/audit?objectType=users');
    expect(JSON.stringify(userLog.body)).not.toContain('mot-mat-khau-moi');
  });
});

describe('tokens and sign-in', () => {
  it('tokens expire, can be revoked, and die with a disabled account or a new password', async () => {
    const t = tokens.xem as string;
    expect((await ctl.call('GET', '/api/stations', undefined, t)).status).toBe(200);
    now = new Date(now.getTime() + 13 * 3_600_000);
    expect((await ctl.call('GET', '/api/stations', undefined, t)).status).toBe(401);

    const fresh = (await ctl.loginAs('xem', PASSWORD)).token as string;
    expect((await ctl.call('POST', '/api/auth/logout', undefined, fresh)).status).toBe(204);
    expect((await ctl.call('GET', '/api/stations', undefined, fresh)).status).toBe(401);

    const other = (await ctl.loginAs('duyet', PASSWORD)).token as string;
    // The admin's own token has expired with the others.
    const admin = (await ctl.loginAs('admin', ADMIN_PASSWORD)).token as string;
    const users = (await ctl.call('GET', '/api/users', undefined, admin)).body as {
      id: number;
      username: string;
    }[];
    const id = users.find((u) => u.username === 'duyet')?.id;
    expect((await ctl.call('PATCH', `/api/users/${id}`, { disabled: true }, admin)).status).toBe(200);
    expect((await ctl.call('GET', '/api/stations', undefined, other)).status).toBe(401);
    expect((await ctl.loginAs('duyet', PASSWORD)).status).toBe(401);
  });

  it('backs off after repeated failed sign-ins, even for the right password, then lets the user in', async () => {
    for (let i = 0; i < 5; i++) expect((await ctl.loginAs('xem', 'wrong-password')).status).toBe(401);
    expect((await ctl.loginAs('xem', 'wrong-password')).status).toBe(401);
    const locked = await ctl.loginAs('xem', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    now = new Date(now.getTime() + 31_000);
    expect((await ctl.loginAs('xem', PASSWORD)).status).toBe(200);
  });
});

describe('station credentials', () => {
  it('an enrolment code is exchanged once for a secret that downloads clips until revoked', async () => {
    const code = await as('kt-ninh-kieu')('POST', '/api/stations/st-an-hoa/enrolment');
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect((await as('kt-cai-rang')('POST', '/api/stations/st-an-hoa/enrolment')).status).toBe(403);

    const enrol = (body: object) =>
      ctl.app.request('/api/enrol', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await enrol({ stationId: 'st-an-hoa', code: 'AAAA-BBBB-CCCC' })).status).toBe(401);
    expect((await enrol({ stationId: 'st-tan-an', code: code.body.code })).status).toBe(401);
    const ok = await enrol({ stationId: 'st-an-hoa', code: code.body.code.toLowerCase() });
    expect(ok.status).toBe(200);
    const { secret } = (await ok.json()) as { secret: string };
    expect((await enrol({ stationId: 'st-an-hoa', code: code.body.code })).status).toBe(401);

    const row = ctl.db.prepare('SELECT broker_hash FROM stations WHERE id = ?').get('st-an-hoa') as {
      broker_hash: string;
    };
    expect(row.broker_hash).toMatch(/^\$7\$1000\$/);
    const download = () => ctl.call('GET', '/api/clips/clip-a', undefined, secret);
    expect((await download()).status).toBe(403);
    expect(
      (await ctl.call('POST', '/api/stations/st-an-hoa/revoke', undefined, tokens['kt-ninh-kieu'])).status,
    ).toBe(204);
    expect((await download()).status).toBe(401);
  });

  it('repeated wrong enrolment codes are locked out', async () => {
    const enrol = () =>
      ctl.app.request('/api/enrol', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stationId: 'st-an-hoa', code: 'WRONG-CODE-00' }),
      });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await enrol()).status);
    // Five free failures; the sixth locks.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });
});
