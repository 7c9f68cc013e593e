// The migration to the area tree, proven on a copy of a realistic city/district/ward database made by the
// version before it (legacy/make-fixture.ts): every station's week (with overrides and bulletins), air
// time, desired-state content, each person's view and the campaign reports are the same after it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const expected = JSON.parse(readFileSync(path.join(HERE, 'legacy/expected.json'), 'utf8'));
const PASSWORD = 'mat-khau-co-dinh-1';
type Json = Record<string, unknown>;

let ctl: TestController;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  ctl = await makeController({ now: () => new Date(expected.now) }, {}, {}, (file) => {
    const db = new Database(file);
    db.exec(readFileSync(path.join(HERE, 'legacy/legacy.sql'), 'utf8'));
    db.close();
  });
  for (const user of Object.keys(expected.views))
    tokens[user] = (await ctl.loginAs(user, user === 'admin' ? ADMIN_PASSWORD : PASSWORD)).token as string;
});
afterAll(() => ctl.cleanup());

const get = async (url: string, user = 'admin') => (await ctl.call('GET', url, undefined, tokens[user])).body;
const q = `from=${encodeURIComponent(expected.week.from)}&to=${encodeURIComponent(expected.week.to)}`;
const stationIds = (expected.stations as { id: string }[]).map((s) => s.id);
const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

describe('a city/district/ward database upgraded to the tree', () => {
  it('has a root for the city, a district level and a ward level, stations under their wards', async () => {
    const tree = await get('/api/areas');
    expect(tree.levels.map((l: { id: string }) => l.id)).toEqual(['city', 'district', 'ward']);
    const byId = new Map(tree.areas.map((a: Json) => [a.id, a]));
    expect(byId.get('city')).toMatchObject({ parentId: null, level: 'city' });
    expect(byId.get('ninh-kieu')).toMatchObject({ parentId: 'city', level: 'district' });
    expect(byId.get('an-hoa')).toMatchObject({ parentId: 'ninh-kieu', level: 'ward' });
    // the town of Phong Điền shared its district's id: the ward gets its own
    expect(byId.get('phong-dien')).toMatchObject({ parentId: 'city', level: 'district' });
    expect(byId.get('phong-dien-ward')).toMatchObject({
      parentId: 'phong-dien',
      level: 'ward',
      name: 'phong-dien',
    });
    for (const s of expected.stations as { id: string; district: string; ward: string }[]) {
      const st = await get(`/api/stations/${s.id}`);
      const ward = s.ward === 'phong-dien' ? 'phong-dien-ward' : s.ward;
      expect(st.areaPath, s.id).toEqual(['city', s.district, ward]);
    }
    // targets stored as the tree knows them
    expect((await get('/api/slots/slot-pd-thi-tran')).target).toEqual({
      scope: 'area',
      id: 'phong-dien-ward',
    });
    expect((await get('/api/slots/slot-pd-huyen')).target).toEqual({ scope: 'area', id: 'phong-dien' });
    expect((await get('/api/slots/slot-sang-tp')).target).toEqual({ scope: 'area', id: 'city' });
    expect(ctl.db.prepare('SELECT COUNT(*) AS n FROM station_places').get()).toEqual({
      n: stationIds.length,
    });
  });

  it("compiles every station's week entry by entry as before, overrides and bulletins included", async () => {
    let entries = 0;
    for (const id of stationIds) {
      const week = await get(`/api/stations/${id}/timetable?${q}`);
      expect(week, id).toEqual(expected.timetables[id]);
      entries += week.length;
    }
    expect(entries).toBeGreaterThan(200);
  });

  it('puts the same policy in force at every station, with the same breaches', async () => {
    for (const id of stationIds) {
      // the fixture was recorded before breaches said it in Vietnamese too (messageVi)
      const { breaches, ...rest } = await get(`/api/stations/${id}/airtime?${q}`);
      const english = breaches.map(({ messageVi: _, ...b }: { messageVi: string }) => b);
      expect({ ...rest, breaches: english }, id).toEqual(expected.airtime[id]);
    }
  });

  it('sends every station the same slots, quiet windows and clips', async () => {
    for (const id of stationIds) {
      const d = await get(`/api/stations/${id}/desired`);
      expect({ slots: ids(d.slots), quietWindows: ids(d.quietWindows), clips: ids(d.clips) }, id).toEqual({
        slots: [...expected.desired[id].slots].sort(),
        quietWindows: [...expected.desired[id].quietWindows].sort(),
        clips: [...expected.desired[id].clips].sort(),
      });
    }
  });

  it('shows every person the same stations, rules, campaigns and bulletins, and refuses the same ones', async () => {
    for (const user of Object.keys(expected.views)) {
      const stationStatus: Record<string, number> = {};
      for (const id of stationIds)
        stationStatus[id] = (await ctl.call('GET', `/api/stations/${id}`, undefined, tokens[user])).status;
      expect(
        {
          stations: ids(await get('/api/stations', user)),
          slots: ids(await get('/api/slots', user)),
          quietWindows: ids(await get('/api/quiet-windows', user)),
          policies: ids(await get('/api/airtime-policies', user)),
          campaigns: ids(await get('/api/campaigns', user)),
          alerts: ids(await get('/api/alerts', user)),
          stationStatus,
        },
        user,
      ).toEqual(expected.views[user]);
    }
  });

  it("keeps each bulletin's target stations and each campaign's report", async () => {
    for (const id of expected.alerts)
      expect(
        ids(
          (await get(`/api/alerts/${id}`)).stations.map((s: { stationId: string }) => ({ id: s.stationId })),
        ),
      ).toEqual(expected.alertStations[id]);
    for (const [id, report] of Object.entries(expected.reports) as [string, Json][]) {
      const now = await get(`/api/reports/campaigns/${id}`);
      expect(now.total, id).toEqual(report.total);
      expect(now.byDay, id).toEqual(report.byDay);
      // by ward then, by the ward's area now (named by its old id)
      const tally = ({
        district: _d,
        ward: _w,
        areaId: _a,
        name: _n,
        level: _l,
        code: _c,
        path: _p,
        ...t
      }: Json) => t;
      const old = (report.byArea as Json[]).map((a) => [
        a.ward === 'phong-dien' ? 'phong-dien-ward' : a.ward,
        tally(a),
      ]);
      expect(now.byArea.map((a: Json) => [a.areaId, tally(a)]).sort(), id).toEqual(old.sort());
    }
  });

  it('a ward staff member placed the old way still sends to their ward only', async () => {
    const r = await ctl.call(
      'POST',
      '/api/alerts',
      {
        level: 'normal',
        title: 'Họp dân',
        reason: 'Thông báo',
        clipId: 'clip-ngan',
        targets: [{ scope: 'area', id: 'tan-an' }],
      },
      tokens['cb-an-hoa'],
    );
    expect(r.status).toBe(403);
  });
});
