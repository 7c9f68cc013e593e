// Reports name the areas as they were: a report of September 2021 says the old ward; one across a merge
// shows the former communes before it and the merged one after; an area merged away keeps its report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeAsRun } from '../../../controller/plays/store.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';

let ctl: TestController;
let now = new Date('2021-08-01T00:00:00Z');
let admin = '';
const at = async (iso: string) => {
  now = new Date(iso);
  admin = (await ctl.loginAs('admin', ADMIN_PASSWORD)).token as string;
};
const call = (method: string, url: string, body?: unknown) => ctl.call(method, url, body, admin);

beforeEach(async () => {
  now = new Date('2021-08-01T00:00:00Z');
  ctl = await makeController({ now: () => now });
  admin = ctl.token;
  await call('POST', '/api/areas/levels', {
    levels: [
      { id: 'city', name: 'Thành phố' },
      { id: 'commune', name: 'Phường/xã' },
    ],
  });
  for (const body of [
    { id: 'can-tho', name: 'Thành phố Cần Thơ', level: 'city', parentId: null },
    { id: 'p-an-hoa', name: 'Phường An Hòa', level: 'commune', parentId: 'can-tho' },
    { id: 'p-an-nghiep', name: 'Phường An Nghiệp', level: 'commune', parentId: 'can-tho' },
  ])
    await call('POST', '/api/areas', body);
  await call('POST', '/api/stations', { id: 'st-a', name: 'Đài An Hòa', areaId: 'p-an-hoa' });
  await call('POST', '/api/stations', { id: 'st-b', name: 'Đài An Nghiệp', areaId: 'p-an-nghiep' });
  // a record a day at each station, September 2021 to June 2026
  const records = [];
  for (
    let t = Date.parse('2021-09-01T00:00:00Z');
    t < Date.parse('2026-06-01T00:00:00Z');
    t += 7 * 86_400_000
  )
    for (const st of ['st-a', 'st-b']) {
      const iso = new Date(t).toISOString();
      records.push(
        asRunRecord(`${st}-${iso}`, {
          stationId: st,
          entryId: `slot@${iso}`,
          slotId: 'slot',
          scheduledAt: iso,
        }),
      );
    }
  storeAsRun(ctl.db, records, now);
});
afterEach(() => ctl.cleanup());

const report = async (id: string, from: string, to: string, level?: string) =>
  (await call('GET', `/api/reports/areas/${id}?from=${from}&to=${to}${level ? `&level=${level}` : ''}`)).body;
const rows = (r: { byArea: { name: string; records: number }[] }) => r.byArea.map((a) => [a.name, a.records]);

describe('reports of the past', () => {
  it('name the areas as they were named then, and show both sides of a merge', async () => {
    await at('2023-01-01T00:00:00Z');
    await call('POST', '/api/areas/reorganise', {
      operation: 'rename',
      area: 'p-an-hoa',
      name: 'Phường An Hòa 2',
    });
    await at('2025-07-01T00:00:00Z');
    const merged = await call('POST', '/api/areas/reorganise', {
      operation: 'merge',
      areas: ['p-an-hoa', 'p-an-nghiep'],
      into: { id: 'p-ninh-kieu', name: 'Phường Ninh Kiều' },
    });
    expect(merged.status).toBe(200);

    const sept2021 = await report('can-tho', '2021-09-01T00:00:00Z', '2021-10-01T00:00:00Z');
    expect(rows(sept2021)).toEqual([
      ['Phường An Hòa', 5],
      ['Phường An Nghiệp', 5],
    ]);
    expect(sept2021.byArea[0].path).toEqual(['Thành phố Cần Thơ', 'Phường An Hòa']);

    const across = await report('can-tho', '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z');
    expect(rows(across).map(([name]) => name)).toEqual([
      'Phường An Hòa 2',
      'Phường An Nghiệp',
      'Phường Ninh Kiều',
    ]);
    expect(across.total.records).toBe(rows(across).reduce((n, [, r]) => n + (r as number), 0));
    // grouped by the city level, one row whatever happened below
    expect(rows(await report('can-tho', '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z', 'city'))).toEqual([
      ['Thành phố Cần Thơ', across.total.records],
    ]);
    // the ward merged away still has its report, under the names it had
    const old = await report('p-an-hoa', '2021-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    expect(old.area).toMatchObject({ name: 'Phường An Hòa 2', retiredAt: '2025-07-01T00:00:00.000Z' });
    expect(rows(old).map(([name]) => name)).toEqual(['Phường An Hòa', 'Phường An Hòa 2']);
    // and the merged ward's report starts with the merge
    expect(rows(await report('p-ninh-kieu', '2021-01-01T00:00:00Z', '2026-06-01T00:00:00Z'))).toEqual([
      ['Phường Ninh Kiều', across.byArea[2].records + 2 * 22],
    ]);
  });

  it('refuses a period that ends before it starts, and an unknown area', async () => {
    expect(
      (await call('GET', '/api/reports/areas/can-tho?from=2022-01-01T00:00:00Z&to=2021-01-01T00:00:00Z'))
        .status,
    ).toBe(400);
    expect(
      (await call('GET', '/api/reports/areas/khong-co?from=2021-01-01T00:00:00Z&to=2022-01-01T00:00:00Z'))
        .status,
    ).toBe(404);
  });
});
