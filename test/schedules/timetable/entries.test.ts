// Example tests for the timetable compiler: skipped and overlapping entries, lead and tail margins, range
// boundaries, a station with daylight saving time.
import { describe, expect, it } from 'vitest';
import type { StationInfo } from '../../../schedules/model.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import { at, byId, clips, compile, DAY, quiet, slot, station, summary } from './fixtures.ts';

describe('skips', () => {
  it('reports the first unknown clip and leaves the entry without duration', () => {
    const s = slot({ id: 's', startTime: '08:00', clipIds: ['clip-4p', 'clip-x', 'clip-y'] });
    const [entry] = compile({ slots: [s] }, DAY);
    expect(entry?.status === 'skipped' && entry.skip).toEqual({ code: 'clip-unknown', clipId: 'clip-x' });
    expect(entry?.endsAt).toBe(entry?.startsAt);
  });

  it('sums clip durations back to back', () => {
    const s = slot({ id: 's', startTime: '08:00', clipIds: ['clip-4p', 'clip-10p', 'clip-4p'] });
    expect(compile({ slots: [s] }, DAY)[0]?.endsAt).toBe(at('2021-09-24', '08:18').toISOString());
  });

  it('lets the earlier entry win an overlap even against higher priority', () => {
    const early = slot({ id: 'z-early', startTime: '08:00' }); // 08:00-08:10
    const late = slot({ id: 'a-late', startTime: '08:05', priority: 100 });
    const after = slot({ id: 'after', startTime: '08:12' }); // the skipped entry does not block it
    const touching = slot({ id: 'touching', startTime: '08:22' }); // starts exactly when 'after' ends
    const out = compile({ slots: [late, early, after, touching] }, DAY);
    expect(summary(out)).toEqual([
      'z-early@2021-09-24 scheduled',
      'a-late@2021-09-24 overlap',
      'after@2021-09-24 scheduled',
      'touching@2021-09-24 scheduled',
    ]);
    const lost = out[1];
    expect(lost?.status === 'skipped' && lost.skip).toEqual({
      code: 'overlap',
      entryId: 'z-early@2021-09-24',
    });
  });

  it('breaks ties at the same instant by priority, then by slot id', () => {
    const low = slot({ id: 'a-low', startTime: '08:00', priority: 1 });
    const high = slot({ id: 'b-high', startTime: '08:00', priority: 5 });
    const same = slot({ id: 'c-high', startTime: '08:00', priority: 5 });
    const out = byId(compile({ slots: [low, same, high] }, DAY));
    expect(out.get('b-high@2021-09-24')?.status).toBe('scheduled');
    for (const id of ['a-low@2021-09-24', 'c-high@2021-09-24']) {
      const e = out.get(id);
      expect(e?.status === 'skipped' && e.skip).toEqual({ code: 'overlap', entryId: 'b-high@2021-09-24' });
    }
  });

  it('does not let quiet-skipped or clip-unknown entries block others', () => {
    const blocked = slot({ id: 'blocked', startTime: '07:55' }); // runs into the 08:00 window
    const unknown = slot({ id: 'unknown', startTime: '07:56', clipIds: ['clip-x'] });
    const next = slot({ id: 'next', startTime: '07:58', clipIds: ['clip-thong-diep'] }); // ends 07:59:30
    const w = quiet({ id: 'qw', startTime: '08:00', endTime: '09:00' });
    expect(summary(compile({ slots: [blocked, unknown, next], quietWindows: [w] }, DAY))).toEqual([
      'blocked@2021-09-24 quiet-window',
      'unknown@2021-09-24 clip-unknown',
      'next@2021-09-24 scheduled',
    ]);
  });
});

describe('lead and tail margins', () => {
  const classes = quiet({ id: 'qw-hoc', startTime: '07:00', endTime: '11:30', reason: 'online-class' });
  const before = slot({ id: 'before', startTime: '06:55', clipIds: ['clip-4p'] }); // ends 06:59
  const afterClass = slot({ id: 'after', startTime: '11:31', clipIds: ['clip-4p'] });

  it('widen the on-air interval against quiet windows', () => {
    const input = { slots: [before, afterClass], quietWindows: [classes] };
    expect(summary(compile(input, DAY))).toEqual([
      'before@2021-09-24 scheduled',
      'after@2021-09-24 scheduled',
    ]);
    expect(summary(compile(input, { ...DAY, tailMs: 60_000, leadMs: 60_000 }))).toEqual([
      'before@2021-09-24 scheduled', // 06:59 + 1 min touches 07:00
      'after@2021-09-24 scheduled', // 11:31 - 1 min touches 11:30
    ]);
    expect(summary(compile(input, { ...DAY, tailMs: 60_001 }))).toEqual([
      'before@2021-09-24 quiet-window',
      'after@2021-09-24 scheduled',
    ]);
    expect(summary(compile(input, { ...DAY, leadMs: 60_001 }))).toEqual([
      'before@2021-09-24 scheduled',
      'after@2021-09-24 quiet-window',
    ]);
  });

  it('widen the on-air interval against other entries, without changing startsAt/endsAt', () => {
    const a = slot({ id: 'a', startTime: '08:00' }); // 08:00-08:10
    const b = slot({ id: 'b', startTime: '08:11' });
    expect(summary(compile({ slots: [a, b] }, { ...DAY, leadMs: 30_000, tailMs: 30_000 }))).toEqual([
      'a@2021-09-24 scheduled',
      'b@2021-09-24 scheduled',
    ]);
    const out = compile({ slots: [a, b] }, { ...DAY, leadMs: 30_000, tailMs: 31_000 });
    expect(summary(out)).toEqual(['a@2021-09-24 scheduled', 'b@2021-09-24 overlap']);
    expect(out[0]?.endsAt).toBe(at('2021-09-24', '08:10').toISOString());
  });
});

describe('range boundaries', () => {
  const s = slot({ id: 's', startTime: '23:55' }); // runs 10 min past midnight

  it('includes an entry starting exactly at from and excludes one starting exactly at to', () => {
    const out = compile({ slots: [s] }, { from: at('2021-09-24', '23:55'), to: at('2021-09-25', '23:55') });
    expect(out.map((e) => e.id)).toEqual(['s@2021-09-24']);
  });

  it('excludes an entry that started before from, includes one that runs past to', () => {
    const out = compile({ slots: [s] }, { from: at('2021-09-24', '23:56'), to: at('2021-09-26', '00:00') });
    expect(out.map((e) => e.id)).toEqual(['s@2021-09-25']);
    expect(out[0]?.endsAt).toBe('2021-09-25T17:05:00.000Z');
  });

  it('lets an entry that started before from still block one in range, as the full day would', () => {
    const early = slot({ id: 'early', startTime: '23:50' }); // 23:50-00:00, dated the day before
    const late = slot({ id: 'late', startTime: '23:55' });
    const out = compile(
      { slots: [early, late] },
      { from: at('2021-09-24', '23:51'), to: at('2021-09-25', '23:51'), tailMs: 1000 },
    );
    expect(summary(out)).toEqual(['late@2021-09-24 overlap', 'early@2021-09-25 scheduled']);
    expect(out[0]?.status === 'skipped' && out[0].skip).toEqual({
      code: 'overlap',
      entryId: 'early@2021-09-24',
    });
  });

  it('blocks an entry on a quiet window that starts after to', () => {
    const w = quiet({ id: 'qw', weekdays: [6], startTime: '00:02', endTime: '01:00' });
    const [entry] = compile(
      { slots: [s], quietWindows: [w] },
      { from: at('2021-09-24', '00:00'), to: at('2021-09-25', '00:00') },
    );
    expect(entry?.status === 'skipped' && entry.skip).toMatchObject({
      code: 'quiet-window',
      quietWindowId: 'qw',
    });
  });

  it('returns nothing for an empty or inverted range', () => {
    expect(compile({ slots: [s] }, { from: DAY.to, to: DAY.to })).toEqual([]);
    expect(compile({ slots: [s] }, { from: DAY.to, to: DAY.from })).toEqual([]);
  });

  it('respects the slot date range and weekdays', () => {
    const weekend = slot({
      id: 'w',
      startTime: '08:00',
      weekdays: [6, 7],
      startDate: '2021-09-26',
      endDate: '2021-10-02',
    });
    expect(compile({ slots: [weekend] }).map((e) => e.localDate)).toEqual(['2021-09-26', '2021-10-02']);
  });
});

describe('DST station', () => {
  const berlin: StationInfo = { ...station, timezone: 'Europe/Berlin' };
  const s = slot({ id: 's', startTime: '02:30', startDate: '2021-03-27', endDate: '2021-11-01' });
  const run = (from: string, to: string) =>
    compileTimetable(
      { station: berlin, slots: [s], quietWindows: [], clips },
      { from: at(from, '00:00', 'Europe/Berlin'), to: at(to, '00:00', 'Europe/Berlin') },
    );

  it('shifts a slot in the spring gap forward and plays a repeated time once', () => {
    expect(run('2021-03-27', '2021-03-30').map((e) => [e.id, e.startsAt])).toEqual([
      ['s@2021-03-27', '2021-03-27T01:30:00.000Z'],
      ['s@2021-03-28', '2021-03-28T01:30:00.000Z'],
      ['s@2021-03-29', '2021-03-29T00:30:00.000Z'],
    ]);
    expect(run('2021-10-31', '2021-11-01').map((e) => [e.id, e.startsAt])).toEqual([
      ['s@2021-10-31', '2021-10-31T00:30:00.000Z'],
    ]);
  });
});
