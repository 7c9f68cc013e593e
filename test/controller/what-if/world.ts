// The what-if tests' world: Cần Thơ (city > districts > wards, a station per ward) on Friday 4 December 2026
// at 10:00, a city campaign playing at 06:30 every day at every ward, and a ward campaign for An Hòa whose
// clip lasts two minutes, so a slot of it at 06:29 takes the city's 06:30 off the air there.
import { expect, vi } from 'vitest';
import { CAN_THO } from '../../console/session.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { buildTree } from '../areas/trees.ts';

/** 10:00 on Friday 4 December 2026 in Cần Thơ (UTC+7). */
export const NOW = new Date('2026-12-04T03:00:00Z');
export const CITY_CLIP = 'clip-sot-xuat-huyet';
export const WARD_CLIP = 'clip-ve-sinh';
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

export interface World {
  ctl: TestController;
  cityCampaign: string;
  citySlot: string;
  wardCampaign: string;
}

const addClip = (ctl: TestController, id: string, title: string, ms: number, hex: string) =>
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, 10, ?, '2026-12-01T00:00:00Z', 'approved')`,
    )
    .run(id, title, hex.repeat(64), ms);

export async function whatIfWorld(): Promise<World> {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  const ctl = await makeController({ now: () => new Date() });
  await buildTree(ctl, CAN_THO);
  addClip(ctl, CITY_CLIP, 'Phòng chống sốt xuất huyết', 44_000, 'a');
  addClip(ctl, WARD_CLIP, 'Vệ sinh môi trường', 120_000, 'b');
  const city = await ctl.call('POST', '/api/campaigns', {
    name: 'Tuyên truyền mùa mưa',
    message: 'Diệt lăng quăng',
    startDate: '2026-12-01',
    endDate: '2026-12-31',
  });
  const citySlot = await ctl.call('POST', '/api/slots', {
    campaignId: city.body.id,
    clipIds: [CITY_CLIP],
    startTime: '06:30',
    weekdays: EVERY_DAY,
    startDate: '2026-12-01',
    endDate: '2026-12-31',
    target: { scope: 'area', id: 'can-tho' },
  });
  expect(citySlot.status).toBe(201);
  const ward = await ctl.call('POST', '/api/campaigns', {
    name: 'Ngày chủ nhật xanh',
    message: 'Dọn vệ sinh khu phố',
    startDate: '2026-12-01',
    endDate: '2026-12-31',
    areaId: 'an-hoa',
  });
  expect(ward.status).toBe(201);
  return { ctl, cityCampaign: city.body.id, citySlot: citySlot.body.id, wardCampaign: ward.body.id };
}

/** The ward's slot at 06:29 as the API takes it. */
export const wardSlot = (w: World, extra: object = {}) => ({
  campaignId: w.wardCampaign,
  clipIds: [WARD_CLIP],
  startTime: '06:29',
  weekdays: EVERY_DAY,
  startDate: '2026-12-01',
  endDate: '2026-12-31',
  target: { scope: 'area', id: 'an-hoa' },
  ...extra,
});
