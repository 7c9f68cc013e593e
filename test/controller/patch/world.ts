// The world PATCH property cases live in (stations, clips, campaigns) and random values shared by fixtures.
import fc from 'fast-check';
import type { TestController } from '../../support/controller.ts';

export type Json = Record<string, unknown>;

const pad = (n: number) => String(n).padStart(2, '0');
export const dayOf2027 = (min: number, max: number) =>
  fc.integer({ min, max }).map((d) => new Date(Date.UTC(2027, 0, 1 + d)).toISOString().slice(0, 10));
// Starts in the first half of 2027 and ends in the second, so any mix of the two is a valid range.
export const startDate = dayOf2027(0, 180);
export const endDate = dayOf2027(181, 364);
export const time = (fromHour: number, toHour: number) =>
  fc
    .tuple(fc.integer({ min: fromHour, max: toHour }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${pad(h)}:${pad(m)}`);
export const weekdays = fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 });
export const words = (list: string[]) =>
  fc.array(fc.constantFrom(...list), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
export const NAME_WORDS = [
  'Đài',
  'truyền',
  'thanh',
  'phường',
  'An',
  'Hòa',
  'Cái',
  'Răng',
  'xã',
  'Mỹ',
  'Khánh',
];
export const note = fc.string({ minLength: 1, maxLength: 60 });

/**
 * Three stations in two districts (placed the old way, which makes the tree city > d1 > w1, w2 and
 * city > d2 > w3): every target below names something that exists.
 */
const STATIONS = [
  ['st-1', 'd1', 'w1'],
  ['st-2', 'd1', 'w2'],
  ['st-3', 'd2', 'w3'],
] as const;
export const D1_TARGETS = [
  { scope: 'area', id: 'd1' },
  { scope: 'area', id: 'w1' },
  { scope: 'station', id: 'st-2' },
];
const TARGETS = [
  { scope: 'area', id: 'city' },
  ...D1_TARGETS,
  { scope: 'area', id: 'd2' },
  { scope: 'area', id: 'w3' },
];
/** Areas of the world's tree. */
export const AREAS = ['city', 'd1', 'd2', 'w1', 'w2', 'w3'];
export const target = fc.constantFrom(...TARGETS);

export async function ok(res: Promise<{ status: number; body: unknown }>, status = 201) {
  const r = await res;
  if (r.status !== status) throw new Error(`setup answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as Json;
}

export async function stationsAndClips(ctl: TestController) {
  for (const [id, district, ward] of STATIONS)
    await ok(ctl.call('POST', '/api/stations', { id, name: id, district, ward }));
  // approved clips straight into the table: the slots are under test here, not clip processing
  for (const id of ['clip-a', 'clip-b'])
    ctl.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
         VALUES (?, 't', 't.wav', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
      )
      .run(id, id.slice(-1).repeat(64));
  for (const [id, areaId] of [
    ['camp-city', null],
    ['camp-d1', 'd1'],
  ])
    await ok(
      ctl.call('POST', '/api/campaigns', {
        id,
        name: id,
        startDate: '2027-01-01',
        endDate: '2027-12-31',
        areaId,
      }),
    );
}

export const getOne = (base: string) => async (ctl: TestController, id: string) =>
  (await ok(ctl.call('GET', `${base}/${id}`), 200)) as Json;
export const fromList = (base: string) => async (ctl: TestController, id: string) =>
  ((await ok(ctl.call('GET', base), 200)) as unknown as Json[]).find((o) => String(o.id) === id) as Json;
export const made = (base: string) => async (ctl: TestController, body: Json) =>
  String((await ok(ctl.call('POST', base, body))).id);
