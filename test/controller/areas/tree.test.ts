// /api/areas: the tree of any depth with the deployment's levels, made, corrected and removed one area at a
// time, and every refusal with its reason and nothing changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeController, type TestController } from '../../support/controller.ts';
import { buildTree, FIVE_LEVELS, THREE_LEVELS, TWO_LEVELS } from './trees.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController({ now: () => new Date('2026-11-26T03:00:00Z') });
});
afterEach(() => ctl.cleanup());

const tree = async () => (await ctl.call('GET', '/api/areas')).body;
const area = (body: object) => ctl.call('POST', '/api/areas', body);

describe('the tree', () => {
  for (const [name, spec, depth] of [
    ['two', TWO_LEVELS, 2],
    ['three', THREE_LEVELS, 3],
    ['five', FIVE_LEVELS, 5],
  ] as const) {
    it(`of ${name} levels: depth-first, Vietnamese names, stations hang from any level`, async () => {
      await buildTree(ctl, spec);
      const t = await tree();
      expect(t.levels.map((l: { id: string }) => l.id)).toEqual(spec.levels.map(([id]) => id));
      expect(Math.max(...t.areas.map((a: { depth: number }) => a.depth))).toBe(depth - 1);
      expect(t.areas[0]).toMatchObject({ id: spec.root.id, name: spec.root.name, parentId: null, depth: 0 });
      const stations = (await ctl.call('GET', '/api/stations')).body as { id: string; areaPath: string[] }[];
      for (const st of stations) expect(st.areaPath[0]).toBe(spec.root.id);
    });
  }

  it('answers each area with its chain, children, stations and names through time', async () => {
    await buildTree(ctl, FIVE_LEVELS);
    const xom = (await ctl.call('GET', '/api/areas/xom-3')).body;
    expect(xom.path.map((p: { name: string }) => p.name)).toEqual([
      'Tỉnh Nghệ An',
      'Huyện Nam Đàn',
      'Xã Kim Liên',
      'Thôn Sen 1',
      'Xóm 3',
    ]);
    expect(xom.stations).toEqual([{ id: 'st-xom-3', name: 'Cụm loa xóm 3' }]);
    expect(xom.history).toHaveLength(1);
    const st = (await ctl.call('GET', '/api/stations/st-xom-3')).body;
    expect(st.areaPath).toEqual(['nghe-an', 'huyen-nam-dan', 'xa-kim-lien', 'thon-sen-1', 'xom-3']);
  });

  it('a commune may hang straight from its province when districts are not used (July 2025)', async () => {
    await buildTree(ctl, FIVE_LEVELS);
    const r = await area({ id: 'xa-moi', name: 'Xã Vạn An', level: 'commune', parentId: 'nghe-an' });
    expect(r.status).toBe(201);
    expect((await ctl.call('GET', '/api/areas/xa-moi')).body.path.map((p: { id: string }) => p.id)).toEqual([
      'nghe-an',
      'xa-moi',
    ]);
  });

  it('a new area gets an id from its name when none is given', async () => {
    await buildTree(ctl, TWO_LEVELS);
    const r = await area({ name: 'Xã Tân Phú Đông', level: 'commune', parentId: 'vinh-long' });
    expect(r.body).toMatchObject({ id: 'xa-tan-phu-dong', name: 'Xã Tân Phú Đông' });
  });
});

describe('refused with the reason, nothing changed', () => {
  beforeEach(async () => {
    await buildTree(ctl, THREE_LEVELS);
  });

  it('an unknown level, a level not below its parent, a second root, an unknown parent, a taken code or id', async () => {
    const before = await tree();
    const cases: [object, number, RegExp][] = [
      [{ name: 'Ấp X', level: 'hamlet', parentId: 'xa-phong-dien' }, 400, /unknown level 'hamlet'/],
      [{ name: 'Xã Y', level: 'commune', parentId: 'kp-1' }, 400, /a commune cannot hang from a village/],
      [{ name: 'Tỉnh Z', level: 'province', parentId: null }, 409, /the tree has a root already/],
      [{ name: 'Ấp W', level: 'village', parentId: 'khong-co' }, 404, /khong-co/],
      [
        { name: 'Xã V', level: 'commune', parentId: 'can-tho', code: '31117' },
        409,
        /code 31117 already belongs/,
      ],
      [{ id: 'kp-1', name: 'Khu phố 1', level: 'village', parentId: 'xa-phong-dien' }, 409, /already exists/],
      [{ id: 'levels', name: 'Ấp', level: 'village', parentId: 'xa-phong-dien' }, 400, /reserved/],
    ];
    for (const [body, status, message] of cases) {
      const r = await area(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.message).toMatch(message);
    }
    expect(await tree()).toEqual(before);
  });

  it('levels that would leave an area without its level, or above its parent', async () => {
    const drop = await ctl.call('POST', '/api/areas/levels', {
      levels: [
        { id: 'province', name: 'Tỉnh' },
        { id: 'commune', name: 'Xã' },
      ],
    });
    expect(drop.status).toBe(400);
    expect(drop.body.message).toMatch(/still used by areas: village/);
    const swap = await ctl.call('POST', '/api/areas/levels', {
      levels: [
        { id: 'province', name: 'Tỉnh' },
        { id: 'village', name: 'Ấp' },
        { id: 'commune', name: 'Xã' },
      ],
    });
    expect(swap.status).toBe(400);
    expect((await ctl.call('GET', '/api/areas/levels')).body.map((l: { id: string }) => l.id)).toEqual([
      'province',
      'commune',
      'village',
    ]);
    // adding a level between two is fine
    const between = await ctl.call('POST', '/api/areas/levels', {
      levels: [
        { id: 'province', name: 'Tỉnh' },
        { id: 'district', name: 'Huyện' },
        { id: 'commune', name: 'Xã' },
        { id: 'village', name: 'Ấp' },
      ],
    });
    expect(between.status).toBe(200);
  });

  it('a station placed in an area that does not exist or was retired; a zone target the station lacks', async () => {
    const r = await ctl.call('POST', '/api/stations', { name: 'Đài', areaId: 'khong-co' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/area 'khong-co' does not exist/);
    const both = await ctl.call('POST', '/api/stations', {
      name: 'Đài',
      areaId: 'kp-1',
      district: 'd',
      ward: 'w',
    });
    expect(both.status).toBe(400);
    await ctl.call('PATCH', '/api/stations/st-kp-1', { zones: ['cho', 'truong'] });
    const slot = (target: object) => ({
      clipIds: ['clip-a'],
      startTime: '06:00',
      weekdays: [1],
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      target,
    });
    ctl.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
         VALUES ('clip-a', 't', 't.wav', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
      )
      .run('a'.repeat(64));
    const zone = await ctl.call(
      'POST',
      '/api/slots',
      slot({ scope: 'zone', station: 'st-kp-1', zone: 'ben-xe' }),
    );
    expect(zone.status).toBe(400);
    expect(zone.body.message).toMatch(/has no zone 'ben-xe' \(its zones: cho, truong\)/);
    expect(
      (await ctl.call('POST', '/api/slots', slot({ scope: 'zone', station: 'st-kp-1', zone: 'cho' }))).status,
    ).toBe(201);
  });
});

describe('corrections and removal', () => {
  beforeEach(async () => {
    await buildTree(ctl, THREE_LEVELS);
  });

  it('PATCH corrects a name or code in place (no new version) and changes only what it names', async () => {
    const r = await ctl.call('PATCH', '/api/areas/kp-2', { name: 'Khu phố 2 (Tân An)' });
    expect(r.body).toMatchObject({
      name: 'Khu phố 2 (Tân An)',
      code: null,
      level: 'village',
      parentId: 'phuong-ninh-kieu',
    });
    const history = (await ctl.call('GET', '/api/areas/kp-2')).body.history;
    expect(history).toEqual([expect.objectContaining({ name: 'Khu phố 2 (Tân An)', validTo: null })]);
    const taken = await ctl.call('PATCH', '/api/areas/xa-phong-dien', { code: '31117' });
    expect(taken.status).toBe(409);
    expect((await ctl.call('PATCH', '/api/areas/kp-2', {})).status).toBe(400);
  });

  it('PATCH parentId moves the area as a reorganisation would, refusing a cycle', async () => {
    const cycle = await ctl.call('PATCH', '/api/areas/phuong-ninh-kieu', { parentId: 'kp-1' });
    expect(cycle.status).toBe(400);
    expect(cycle.body.message).toMatch(/cycle/);
    const moved = await ctl.call('PATCH', '/api/areas/kp-2', { parentId: 'xa-phong-dien' });
    expect(moved.body.parentId).toBe('xa-phong-dien');
    expect((await ctl.call('GET', '/api/stations/st-kp-2')).body.areaPath).toEqual([
      'can-tho',
      'xa-phong-dien',
      'kp-2',
    ]);
  });

  it('removes an area nothing names; one in use is refused, naming the uses', async () => {
    await area({ id: 'ap-tam', name: 'Ấp tạm', level: 'village', parentId: 'xa-phong-dien' });
    expect((await ctl.call('DELETE', '/api/areas/ap-tam')).status).toBe(204);
    const used = await ctl.call('DELETE', '/api/areas/kp-1');
    expect(used.status).toBe(409);
    expect(used.body.message).toMatch(/station place\(s\) in its history[\s\S]*merge it into another/);
    expect((await ctl.call('GET', '/api/areas/kp-1')).status).toBe(200);
  });
});
