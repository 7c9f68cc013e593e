// POST /api/areas/reorganise: merge, split, rename and move, each previewed with ?dryRun=true (nothing
// changes) and then applied in one transaction with its record; every bad input refused with the reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';
import { buildTree, THREE_LEVELS } from './trees.ts';

let ctl: TestController;
let now = new Date('2026-11-26T03:00:00Z');
let admin: string;
/** Moves the clock on; the admin signs in again (tokens expire). */
const later = async (iso: string) => {
  now = new Date(iso);
  admin = (await ctl.loginAs('admin', ADMIN_PASSWORD)).token as string;
};
beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  ctl = await makeController({ now: () => now });
  admin = ctl.token;
  await buildTree(ctl, THREE_LEVELS);
  // a third commune with two villages, to merge with Phong Điền
  for (const body of [
    { id: 'xa-nhon-ai', name: 'Xã Nhơn Ái', code: '31264', level: 'commune', parentId: 'can-tho' },
    { id: 'ap-nhon-thanh', name: 'Ấp Nhơn Thạnh', level: 'village', parentId: 'xa-nhon-ai' },
  ])
    expect((await ctl.call('POST', '/api/areas', body)).status).toBe(201);
  for (const [id, areaId] of [
    ['st-nhon-ai', 'xa-nhon-ai'],
    ['st-nhon-thanh', 'ap-nhon-thanh'],
  ])
    expect((await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, areaId })).status).toBe(201);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 'Tiêm chủng', 't.wav', 'wav', ?, 10, 60000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
  const ok = async (url: string, body: object) => {
    const r = await ctl.call('POST', url, body);
    if (r.status !== 201) throw new Error(`${url}: ${JSON.stringify(r.body)}`);
  };
  await ok('/api/campaigns', {
    id: 'camp-pd',
    name: 'Phòng dịch Phong Điền',
    startDate: '2026-11-01',
    endDate: '2026-12-31',
    areaId: 'xa-phong-dien',
  });
  const slot = (id: string, target: object, extra: object = {}) => ({
    id,
    clipIds: ['clip-a'],
    startTime: '06:30',
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: '2026-11-01',
    endDate: '2026-12-31',
    target,
    ...extra,
  });
  await ok('/api/slots', slot('slot-pd', { scope: 'area', id: 'xa-phong-dien' }, { campaignId: 'camp-pd' }));
  await ok('/api/slots', slot('slot-na', { scope: 'area', id: 'xa-nhon-ai' }, { startTime: '17:00' }));
  await ok('/api/slots', slot('slot-tp', { scope: 'area', id: 'can-tho' }, { startTime: '11:00' }));
  await ok('/api/quiet-windows', {
    id: 'qw-na',
    weekdays: [1, 2, 3, 4, 5],
    startTime: '07:00',
    endTime: '11:30',
    startDate: '2026-09-05',
    endDate: '2027-01-15',
    reason: 'online-class',
    target: { scope: 'area', id: 'xa-nhon-ai' },
  });
  await ok('/api/airtime-policies', {
    id: 'pol-na',
    target: { scope: 'area', id: 'xa-nhon-ai' },
    policy: { maxMinutesPerSession: 45 },
  });
  await ctl.tokenFor('cb-nhon-ai', 'ward', { areas: ['xa-nhon-ai'] });
  await ctl.tokenFor('kt-pd', 'technician', { areas: ['xa-phong-dien', 'xa-nhon-ai'] });
});
afterEach(() => ctl.cleanup());

const reorganise = (body: object, dryRun = false) =>
  ctl.call('POST', `/api/areas/reorganise${dryRun ? '?dryRun=true' : ''}`, body, admin);
const snapshot = () => ({
  areas: ctl.db.prepare('SELECT * FROM areas ORDER BY id').all(),
  stations: ctl.db.prepare('SELECT id, area_id FROM stations ORDER BY id').all(),
  slots: ctl.db.prepare('SELECT body FROM slots ORDER BY id').all(),
  windows: ctl.db.prepare('SELECT body FROM quiet_windows ORDER BY id').all(),
  policies: ctl.db.prepare('SELECT body FROM airtime_policies ORDER BY id').all(),
  users: ctl.db.prepare('SELECT username, areas FROM users ORDER BY id').all(),
  campaigns: ctl.db.prepare('SELECT id, area_id FROM campaigns ORDER BY id').all(),
  history: ctl.db.prepare('SELECT * FROM area_history ORDER BY area_id, valid_from').all(),
});

describe('merge', () => {
  const MERGE = {
    operation: 'merge',
    areas: ['xa-phong-dien', 'xa-nhon-ai'],
    into: { id: 'xa-phong-dien-moi', name: 'Xã Phong Điền', code: '31299' },
  };

  it('previews every change and changes nothing; then applies it in one go', async () => {
    const before = snapshot();
    const p = await reorganise(MERGE, true);
    expect(p.status).toBe(200);
    expect(p.body.dryRun).toBe(true);
    expect(snapshot()).toEqual(before);
    expect(p.body.areas.map((a: { id: string; change: string }) => `${a.id} ${a.change}`).sort()).toEqual([
      'ap-nhon-loc moved',
      'ap-nhon-thanh moved',
      'xa-nhon-ai retired',
      'xa-phong-dien retired',
      'xa-phong-dien-moi created',
    ]);
    const st = (id: string) => p.body.stations.find((s: { id: string }) => s.id === id);
    expect(st('st-nhon-ai')).toMatchObject({
      before: { areaId: 'xa-nhon-ai', path: ['Thành phố Cần Thơ', 'Xã Nhơn Ái'] },
      after: { areaId: 'xa-phong-dien-moi', path: ['Thành phố Cần Thơ', 'Xã Phong Điền'] },
      // the merged commune's rules now reach both former communes' stations
      slots: { gained: ['slot-pd'], lost: [] },
    });
    expect(st('st-nhon-loc').slots).toEqual({ gained: ['slot-na'], lost: [] });
    expect(st('st-nhon-loc').quietWindows.gained).toEqual(['qw-na']);
    expect(st('st-nhon-loc').policy).toEqual({
      before: null,
      after: { enforcement: 'warn', maxMinutesPerSession: 45 },
    });
    expect(st('st-ninh-kieu')).toBeUndefined();
    expect(p.body.slots).toEqual(
      expect.arrayContaining([
        {
          id: 'slot-pd',
          change: 'retargeted',
          before: { scope: 'area', id: 'xa-phong-dien' },
          after: { scope: 'area', id: 'xa-phong-dien-moi' },
          stations: { before: 1, after: 3 },
        },
      ]),
    );
    expect(p.body.quietWindows[0]).toMatchObject({ id: 'qw-na', stations: { before: 2, after: 3 } });
    expect(p.body.policies[0]).toMatchObject({
      id: 'pol-na',
      after: { scope: 'area', id: 'xa-phong-dien-moi' },
    });
    expect(p.body.campaigns).toEqual([
      { id: 'camp-pd', name: 'Phòng dịch Phong Điền', before: 'xa-phong-dien', after: 'xa-phong-dien-moi' },
    ]);
    expect(p.body.users).toEqual(
      expect.arrayContaining([
        { username: 'cb-nhon-ai', before: ['xa-nhon-ai'], after: ['xa-phong-dien-moi'] },
        { username: 'kt-pd', before: ['xa-phong-dien', 'xa-nhon-ai'], after: ['xa-phong-dien-moi'] },
      ]),
    );

    await later('2026-11-27T00:00:00Z');
    const applied = await reorganise(MERGE);
    expect(applied.status).toBe(200);
    expect(applied.body.reorganisationId).toEqual(expect.any(Number));
    const station = (await ctl.call('GET', '/api/stations/st-nhon-thanh', undefined, admin)).body;
    expect(station.areaPath).toEqual(['can-tho', 'xa-phong-dien-moi', 'ap-nhon-thanh']);
    expect((await ctl.call('GET', '/api/slots/slot-na', undefined, admin)).body.target).toEqual({
      scope: 'area',
      id: 'xa-phong-dien-moi',
    });
    // the former communes are kept, retired, with their names for history
    const old = (await ctl.call('GET', '/api/areas/xa-nhon-ai', undefined, admin)).body;
    expect(old).toMatchObject({ name: 'Xã Nhơn Ái', retiredAt: '2026-11-27T00:00:00.000Z' });
    expect(old.history.at(-1).validTo).toBe('2026-11-27T00:00:00.000Z');
    // who and when
    const record = ctl.db.prepare('SELECT actor, at, operation FROM area_reorganisations').get() as Record<
      string,
      string
    >;
    expect(record).toMatchObject({ actor: 'admin', at: '2026-11-27T00:00:00.000Z' });
    const audit = await ctl.call('GET', '/api/audit?objectType=areas', undefined, admin);
    expect(audit.body[0]).toMatchObject({
      action: 'POST /api/areas/reorganise',
      actor: 'user:admin',
      status: 200,
    });
    // the stations affected got a new desired state with their new chain
    const sent = ctl.published.filter((s) => s.station.id === 'st-nhon-thanh').at(-1);
    expect(sent?.station.areaPath).toEqual(['can-tho', 'xa-phong-dien-moi', 'ap-nhon-thanh']);
    // the technician of both former communes acts in the merged one
    const kt = (await ctl.loginAs('kt-pd', 'mat-khau-thu-nghiem')).token as string;
    expect(
      (await ctl.call('GET', '/api/stations', undefined, kt)).body.map((s: { id: string }) => s.id).sort(),
    ).toEqual(['st-nhon-ai', 'st-nhon-loc', 'st-nhon-thanh']);
  });

  it('into an existing commune: the others retire into it', async () => {
    const r = await reorganise({
      operation: 'merge',
      areas: ['xa-phong-dien', 'xa-nhon-ai'],
      into: 'xa-phong-dien',
    });
    expect(r.status).toBe(200);
    expect(r.body.areas.map((a: { id: string; change: string }) => `${a.id} ${a.change}`).sort()).toEqual([
      'ap-nhon-thanh moved',
      'xa-nhon-ai retired',
    ]);
    expect((await ctl.call('GET', '/api/stations/st-nhon-ai')).body.areaId).toBe('xa-phong-dien');
  });

  it('refuses areas of different levels, the root, an area named twice, a taken code, a retired area', async () => {
    const before = snapshot();
    const cases: [object, number, RegExp][] = [
      [{ ...MERGE, areas: ['xa-phong-dien', 'kp-1'] }, 400, /different levels/],
      [{ ...MERGE, areas: ['can-tho', 'xa-nhon-ai'] }, 400, /root/],
      [{ ...MERGE, areas: ['xa-nhon-ai', 'xa-nhon-ai'] }, 400, /named twice/],
      [
        { ...MERGE, into: { name: 'Xã Mới', code: '31117' } },
        409,
        /code 31117 already belongs to 'phuong-ninh-kieu'/,
      ],
      [{ ...MERGE, into: { id: 'kp-1', name: 'Xã Mới' } }, 409, /area 'kp-1' already exists/],
      [{ ...MERGE, areas: ['xa-nhon-ai', 'khong-co'] }, 404, /area 'khong-co' does not exist/],
      [{ ...MERGE, into: 'kp-1' }, 400, /kp-1' is a village/],
    ];
    for (const [body, status, message] of cases) {
      const r = await reorganise(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.message).toMatch(message);
    }
    expect(snapshot()).toEqual(before);
    await reorganise(MERGE);
    const again = await reorganise({ ...MERGE, into: 'xa-phong-dien-moi' });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/was merged or split on 2026-11-26/);
  });
});

describe('split', () => {
  const SPLIT = {
    operation: 'split',
    area: 'xa-nhon-ai',
    into: [
      { id: 'xa-nhon-ai-a', name: 'Xã Nhơn Ái A', stations: ['st-nhon-ai'] },
      { id: 'xa-nhon-ai-b', name: 'Xã Nhơn Ái B', children: ['ap-nhon-thanh'] },
    ],
  };

  it('gives each station and village to one part; rules go to the first and are copied to the others', async () => {
    const p = await reorganise(SPLIT, true);
    expect(p.status).toBe(200);
    expect(p.body.slots).toEqual([
      expect.objectContaining({
        id: 'slot-na',
        change: 'retargeted',
        after: { scope: 'area', id: 'xa-nhon-ai-a' },
      }),
      expect.objectContaining({
        id: 'slot-na-xa-nhon-ai-b',
        change: 'copied',
        copyOf: 'slot-na',
        after: { scope: 'area', id: 'xa-nhon-ai-b' },
        stations: { before: 0, after: 1 },
      }),
    ]);
    expect(p.body.users).toEqual(
      expect.arrayContaining([
        { username: 'cb-nhon-ai', before: ['xa-nhon-ai'], after: ['xa-nhon-ai-a', 'xa-nhon-ai-b'] },
      ]),
    );
    // nothing is gained or lost at the stations: the same rules reach them by the parts
    const thanh = p.body.stations.find((s: { id: string }) => s.id === 'st-nhon-thanh');
    expect(thanh.slots).toEqual({ gained: ['slot-na-xa-nhon-ai-b'], lost: ['slot-na'] });
    expect(thanh.after.path).toEqual(['Thành phố Cần Thơ', 'Xã Nhơn Ái B', 'Ấp Nhơn Thạnh']);
    const r = await reorganise(SPLIT);
    expect(r.status).toBe(200);
    expect((await ctl.call('GET', '/api/slots/slot-na-xa-nhon-ai-b')).body.target).toEqual({
      scope: 'area',
      id: 'xa-nhon-ai-b',
    });
  });

  it('refuses a station under two parts, one not assigned, one that is not there', async () => {
    const before = snapshot();
    const part = (over: object) => ({ ...SPLIT, into: [SPLIT.into[0], { ...SPLIT.into[1], ...over }] });
    const cases: [object, RegExp][] = [
      [part({ stations: ['st-nhon-ai'] }), /station 'st-nhon-ai' is put under two areas/],
      [part({ children: [] }), /none is given for: ap-nhon-thanh/],
      [part({ stations: ['st-kp-1'] }), /station 'st-kp-1' does not hang from 'xa-nhon-ai'/],
      [
        { ...SPLIT, into: [{ ...SPLIT.into[0], code: '31117' }, SPLIT.into[1]] },
        /code 31117 already belongs/,
      ],
    ];
    for (const [body, message] of cases) {
      const r = await reorganise(body);
      expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.body.message).toMatch(message);
    }
    expect(snapshot()).toEqual(before);
  });
});

describe('rename and move', () => {
  it('a rename keeps the old name in history; the preview names the stations whose chain reads anew', async () => {
    const p = await reorganise(
      { operation: 'rename', area: 'xa-nhon-ai', name: 'Xã Nhơn Ái Mới', code: '31265' },
      true,
    );
    expect(p.body.areas).toEqual([
      expect.objectContaining({
        id: 'xa-nhon-ai',
        change: 'renamed',
        after: expect.objectContaining({ code: '31265' }),
      }),
    ]);
    expect(p.body.stations.map((s: { id: string }) => s.id).sort()).toEqual(['st-nhon-ai', 'st-nhon-thanh']);
    await later('2026-12-01T00:00:00Z');
    await reorganise({ operation: 'rename', area: 'xa-nhon-ai', name: 'Xã Nhơn Ái Mới', code: '31265' });
    const h = (await ctl.call('GET', '/api/areas/xa-nhon-ai', undefined, admin)).body.history;
    expect(h.map((v: { name: string; validTo: string | null }) => [v.name, v.validTo])).toEqual([
      ['Xã Nhơn Ái', '2026-12-01T00:00:00.000Z'],
      ['Xã Nhơn Ái Mới', null],
    ]);
  });

  it('a move lists the rules gained and lost; a cycle, the root, a level above and a campaign left behind are refused', async () => {
    const p = await reorganise({ operation: 'move', area: 'ap-nhon-thanh', parent: 'xa-phong-dien' }, true);
    const st = p.body.stations.find((s: { id: string }) => s.id === 'st-nhon-thanh');
    expect(st.slots).toEqual({ gained: ['slot-pd'], lost: ['slot-na'] });
    expect(st.quietWindows).toEqual({ gained: [], lost: ['qw-na'] });
    expect(st.policies).toEqual({ gained: [], lost: ['pol-na'] });
    const cases: [object, number, RegExp][] = [
      [{ operation: 'move', area: 'xa-nhon-ai', parent: 'ap-nhon-thanh' }, 400, /would make a cycle/],
      [{ operation: 'move', area: 'can-tho', parent: 'xa-nhon-ai' }, 400, /root/],
      [
        { operation: 'move', area: 'xa-nhon-ai', parent: 'xa-phong-dien' },
        400,
        /a commune cannot hang from a commune/,
      ],
      [
        { operation: 'move', area: 'ap-nhon-loc', parent: 'xa-nhon-ai' },
        409,
        /slot-loc \(campaign camp-pd\)/,
      ],
    ];
    const loc = await ctl.call('POST', '/api/slots', {
      id: 'slot-loc',
      campaignId: 'camp-pd',
      clipIds: ['clip-a'],
      startTime: '19:00',
      weekdays: [1],
      startDate: '2026-11-01',
      endDate: '2026-12-31',
      target: { scope: 'area', id: 'ap-nhon-loc' },
    });
    expect(loc.status).toBe(201);
    const before = snapshot();
    for (const [body, status, message] of cases) {
      const r = await reorganise(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.message).toMatch(message);
    }
    expect(snapshot()).toEqual(before);
  });

  it('a technician reorganises only inside their areas', async () => {
    const kt = (await ctl.loginAs('kt-pd', 'mat-khau-thu-nghiem')).token as string;
    const outside = await ctl.call(
      'POST',
      '/api/areas/reorganise',
      { operation: 'move', area: 'kp-1', parent: 'xa-nhon-ai' },
      kt,
    );
    expect(outside.status).toBe(403);
    const inside = await ctl.call(
      'POST',
      '/api/areas/reorganise?dryRun=true',
      { operation: 'move', area: 'ap-nhon-thanh', parent: 'xa-phong-dien' },
      kt,
    );
    expect(inside.status).toBe(200);
  });
});
