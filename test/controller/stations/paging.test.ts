// Lists that scale: stations, plays and the audit trail page through results with a cursor, filtered on
// the server by area (any depth), status and text, in the caller's scope; the unpaged answer stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAsRun } from '../../../controller/plays/store.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';
import { buildTree, THREE_LEVELS } from '../areas/trees.ts';

let ctl: TestController;
const clock = { now: () => new Date('2026-11-26T03:00:00Z') };
const N = 1200;

/** Every page of a list from an empty cursor to the last: the ids in order, and the page count. */
async function walk(url: string, token?: string) {
  const ids: string[] = [];
  let cursor = '';
  let pages = 0;
  for (;;) {
    const sep = url.includes('?') ? '&' : '?';
    const r = await ctl.call('GET', `${url}${sep}cursor=${encodeURIComponent(cursor)}`, undefined, token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    pages++;
    ids.push(...r.body.items.map((x: { id: string }) => x.id));
    if (!r.body.nextCursor) return { ids, pages };
    cursor = r.body.nextCursor;
  }
}

beforeAll(async () => {
  ctl = await makeController(clock);
  await buildTree(ctl, THREE_LEVELS);
  const lines = Array.from(
    { length: N },
    (_, i) =>
      `st-${String(i).padStart(5, '0')},Cụm loa ấp Hòa ${i},${['kp-1', 'kp-2', 'ap-nhon-loc'][i % 3]}`,
  );
  expect(
    (await ctl.call('POST', '/api/stations/import', { csv: ['id,name,area', ...lines].join('\n') })).status,
  ).toBe(200);
  ctl.db
    .prepare("UPDATE stations SET online = 1 WHERE id LIKE 'st-0%' AND CAST(substr(id, 4) AS INT) % 2 = 0")
    .run();
  const plays = Array.from({ length: 300 }, (_, i) =>
    asRunRecord(`run-${i}`, {
      stationId: 'st-00003',
      scheduledAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      outcome: i % 10 === 0 ? 'missed' : 'played',
    }),
  );
  storeAsRun(ctl.db, plays, clock.now());
}, 60_000);
afterAll(() => ctl.cleanup());

describe('the station list', () => {
  it('pages through every station once, in name order, 50 at a time by default', async () => {
    const first = await ctl.call('GET', '/api/stations?cursor=');
    expect(first.body.items).toHaveLength(50);
    expect(first.body.items[0]).toMatchObject({ areaPath: expect.any(Array), lastPlay: null });
    const all = await walk('/api/stations?limit=500');
    expect(all.ids).toHaveLength(N + 4);
    expect(new Set(all.ids).size).toBe(N + 4);
    expect(all.pages).toBe(3);
  });

  it('filters by area at any depth, status and text without diacritics', async () => {
    const ward = await walk('/api/stations?limit=500&area=phuong-ninh-kieu');
    expect(ward.ids).toHaveLength(1 + 2 + 800);
    const village = await walk('/api/stations?limit=500&area=kp-2');
    expect(village.ids).toHaveLength(1 + 400);
    const online = await walk('/api/stations?limit=500&status=online');
    expect(online.ids).toHaveLength(N / 2);
    const text = await ctl.call('GET', `/api/stations?cursor=&q=${encodeURIComponent('ap hoa 117')}`);
    expect(text.body.items.map((s: { id: string }) => s.id).sort()).toEqual([
      'st-00117',
      'st-01170',
      'st-01171',
      'st-01172',
      'st-01173',
      'st-01174',
      'st-01175',
      'st-01176',
      'st-01177',
      'st-01178',
      'st-01179',
    ]);
    const missed = await ctl.call('GET', '/api/stations?cursor=&status=missed');
    expect(missed.body.items).toEqual([]); // the missed plays were in November, not today
  });

  it("keeps to a user's area scope and fills its pages", async () => {
    const token = await ctl.tokenFor('kt-phong-dien', 'technician', { areas: ['xa-phong-dien'] });
    const first = await ctl.call('GET', '/api/stations?cursor=&limit=100', undefined, token);
    expect(first.body.items).toHaveLength(100);
    const mine = await walk('/api/stations?limit=300', token);
    expect(mine.ids).toHaveLength(1 + 400);
  });

  it('answers the whole unpaged list as before, and refuses a cursor it did not give', async () => {
    const all = await ctl.call('GET', '/api/stations');
    expect(all.body).toHaveLength(N + 4);
    const bad = await ctl.call('GET', '/api/stations?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/cursor/);
  });
});

describe('plays and the audit trail', () => {
  it('plays page newest first and filter by area, status and station text', async () => {
    const all = await walk('/api/plays?limit=70');
    expect(all.ids).toHaveLength(300);
    expect(new Set(all.ids).size).toBe(300);
    expect(all.ids[0]).toBe('run-299');
    expect((await walk('/api/plays?limit=70&status=missed')).ids).toHaveLength(30);
    expect((await walk('/api/plays?limit=70&area=kp-2')).ids).toHaveLength(0);
    expect((await walk('/api/plays?limit=70&area=kp-1&q=hoa%203')).ids).toHaveLength(300);
    const station = await ctl.call('GET', '/api/stations?cursor=&q=st-00003');
    expect(station.body.items[0].lastPlay).toMatchObject({ outcome: 'played' });
  });

  it('the audit trail pages newest first', async () => {
    const all = await ctl.call('GET', '/api/audit?limit=1000');
    const paged = await walk('/api/audit?limit=3');
    expect(paged.ids).toEqual(all.body.map((e: { id: number }) => e.id));
    const refused = await ctl.call('GET', '/api/audit?cursor=&status=refused');
    expect(refused.body.items.every((e: { status: number }) => e.status >= 400)).toBe(true);
  });
});
