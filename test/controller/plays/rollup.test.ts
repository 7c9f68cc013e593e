// The day summaries count what the rows count: on random as-run logs (records sent twice, batches of any
// size, instants near midnight) with a rename, a station moved and a merge in the middle of a day, every
// area and station report over random periods is the same read through the summaries as read row by row.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHistory } from '../../../controller/areas/history.ts';
import { areaReport } from '../../../controller/plays/area-report.ts';
import { areaDaysCsv } from '../../../controller/plays/csv.ts';
import { readPeriod } from '../../../controller/plays/period.ts';
import { stationReport } from '../../../controller/plays/station-report.ts';
import { storeAsRun } from '../../../controller/plays/store.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';

const DAY = 86_400_000;
const START = Date.parse('2025-08-31T17:00:00Z'); // 1 September 2025, 00:00 in Hà Nội
const DAYS = 45; // September and half of October: whole months and days around them
const STATIONS = ['st-1', 'st-2', 'st-3', 'st-4', 'st-5', 'st-6'];
const OUTCOMES = [
  ...['played', 'played', 'played', 'skipped', 'failed', 'missed', 'interrupted'],
  ...['relay', 'relay-failed', 'live'],
] as const;
const REASONS = ['online-class', 'overlap', 'late', null];

let ctl: TestController | undefined;
afterEach(() => ctl?.cleanup());

/** A small seeded generator, so that a failing world can be built again from its seed. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

async function world(seed: number) {
  const rnd = random(seed);
  let now = new Date(START - DAY);
  ctl = await makeController({ now: () => now });
  const c = ctl;
  const call = async (method: string, url: string, body?: unknown) => {
    const admin = (await c.loginAs('admin', ADMIN_PASSWORD)).token as string;
    const r = await c.call(method, url, body, admin);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  };
  await call('POST', '/api/areas/levels', {
    levels: [
      { id: 'city', name: 'Thành phố' },
      { id: 'commune', name: 'Phường/xã' },
    ],
  });
  await call('POST', '/api/areas', { id: 'ct', name: 'Thành phố Cần Thơ', level: 'city', parentId: null });
  for (const id of ['p-1', 'p-2', 'p-3', 'p-4'])
    await call('POST', '/api/areas', { id, name: `Phường ${id}`, level: 'commune', parentId: 'ct' });
  for (const [i, id] of STATIONS.entries())
    await call('POST', '/api/stations', {
      id,
      name: `Đài ${id}`,
      areaId: i < 4 ? `p-${(i % 3) + 1}` : 'p-4',
    });
  // three changes in the middle of days (a rename, a station moved, a merge), at random hours; p-4 keeps still
  const midDay = (d: number) => new Date(START + d * DAY + (1 + Math.floor(rnd() * 22)) * 3_600_000);
  now = midDay(4 + Math.floor(rnd() * 5));
  await call('POST', '/api/areas/reorganise', { operation: 'rename', area: 'p-1', name: 'Phường Mới' });
  now = midDay(12 + Math.floor(rnd() * 5));
  await call('PATCH', '/api/stations/st-2', { areaId: 'p-3' });
  now = midDay(20 + Math.floor(rnd() * 5));
  await call('POST', '/api/areas/reorganise', {
    operation: 'merge',
    areas: ['p-2', 'p-3'],
    into: { id: 'p-23', name: 'Phường Hợp Nhất' },
  });
  now = new Date(START + (DAYS + 1) * DAY);

  // records: about 6 a day a station, some within a minute of midnight, sent in random batches, some twice
  const records: AsRunRecord[] = [];
  for (const st of STATIONS)
    for (let d = 0; d < DAYS; d++)
      for (let k = 0; k < 4 + Math.floor(rnd() * 5); k++) {
        const edge = rnd() < 0.15;
        const t = START + d * DAY + (edge ? (rnd() < 0.5 ? 0 : DAY - 60_000) : Math.floor(rnd() * DAY));
        const outcome = OUTCOMES[Math.floor(rnd() * OUTCOMES.length)] as string;
        const start = t + 2000;
        records.push(
          asRunRecord(`${st}-${d}-${k}`, {
            stationId: st,
            scheduledAt: new Date(t).toISOString(),
            outcome: outcome as AsRunRecord['outcome'],
            reason: outcome === 'played' ? null : (REASONS[Math.floor(rnd() * REASONS.length)] ?? null),
            audioStartAt: outcome === 'played' ? new Date(start).toISOString() : null,
            audioEndAt:
              outcome === 'played'
                ? new Date(start + 1000 + Math.floor(rnd() * 300_000)).toISOString()
                : null,
            // relays and live sessions count the sound heard, drops and silence left out
            ...(outcome === 'relay' || outcome === 'live' || outcome === 'relay-failed'
              ? { heardMs: Math.floor(rnd() * 1_800_000) }
              : {}),
          }),
        );
      }
  for (let i = 0; i < records.length; ) {
    const n = 1 + Math.floor(rnd() * 40);
    const batch = records.slice(i, i + n);
    storeAsRun(c.db, rnd() < 0.2 ? [...batch, ...batch.slice(0, 3)] : batch, now);
    i += n;
  }
  storeAsRun(c.db, records.slice(0, 50), now); // a station sending again what it had sent
  return { db: c.db, records, rnd };
}

/** A random instant of the period: often a local midnight, sometimes any millisecond. */
const instant = (rnd: () => number) => {
  const d = Math.floor(rnd() * (DAYS + 2)) - 1;
  const within = rnd() < 0.5 ? 0 : Math.floor(rnd() * DAY);
  return new Date(START + d * DAY + within).toISOString();
};

describe('day summaries', () => {
  it('give the same reports as the rows, over random logs, periods and levels', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const { db, rnd, records } = await world(seed);
        expect(db.prepare('SELECT count(*) FROM plays').pluck().get()).toBe(records.length);
        for (let i = 0; i < 25; i++) {
          let [from, to] = [instant(rnd), instant(rnd)].sort();
          if (from === to) to = new Date(Date.parse(to as string) + DAY).toISOString();
          const q = { from: from as string, to: to as string };
          for (const level of [undefined, 'commune', 'city']) {
            const viaSummaries = areaReport(db, 'ct', { ...q, level });
            expect(viaSummaries).toEqual(areaReport(db, 'ct', { ...q, level, rowsOnly: true }));
          }
          expect(areaDaysCsv(db, 'ct', q)).toEqual(areaDaysCsv(db, 'ct', { ...q, rowsOnly: true }));
          for (const st of STATIONS)
            expect(stationReport(db, st, q)).toEqual(stationReport(db, st, { ...q, rowsOnly: true }));
        }
        // September: read from the summaries, the same as its rows; the whole period: every record counted
        const month = { from: new Date(START).toISOString(), to: new Date(START + 30 * DAY).toISOString() };
        const whole = areaReport(db, 'ct', month);
        expect(whole).toEqual(areaReport(db, 'ct', { ...month, rowsOnly: true }));
        const iso = (days: number) => new Date(START + days * DAY).toISOString();
        // around a whole month: days before it, the month, days and a part of a day after it
        for (const q of [
          { from: iso(-0.5), to: iso(40.2) },
          { from: iso(0), to: iso(44) },
          { from: iso(3), to: iso(33) },
        ]) {
          expect(areaReport(db, 'ct', q)).toEqual(areaReport(db, 'ct', { ...q, rowsOnly: true }));
          expect(stationReport(db, 'st-1', q)).toEqual(stationReport(db, 'st-1', { ...q, rowsOnly: true }));
        }
        const all = { from: month.from, to: new Date(START + DAYS * DAY).toISOString() };
        const total = areaReport(db, 'ct', all).total;
        expect(total.records).toBe(records.length);
        // relays and live sessions: the minutes heard, not the hours they were on air
        const heard = (o: string) =>
          records.filter((r) => r.outcome === o).reduce((ms, r) => ms + (r.heardMs ?? 0), 0);
        expect(total.minutesRelayed).toBe(Math.round(heard('relay') / 600) / 100);
        expect(total.minutesLive).toBe(Math.round(heard('live') / 600) / 100);
        expect(total.relayFailed).toBe(records.filter((r) => r.outcome === 'relay-failed').length);
        const read = readPeriod(db, { stations: STATIONS, ...month, history: loadHistory(db) }, () => {});
        expect(read.summaryDays).toBe(30);
        ctl?.cleanup();
        ctl = undefined;
      }),
      { numRuns: 4 },
    );
  }, 180_000);
});
