// Example-based tests for the timetable compiler, starting from the Can Tho 2021 campaign.
import { describe, expect, it } from 'vitest';
import { type CompileInput, type CompileOptions, compileTimetable } from '../../schedules/compile.ts';
import { loadExampleCampaign } from '../../schedules/examples.ts';
import { QuietWindow, Slot, type StationInfo, type TimetableEntry } from '../../schedules/model.ts';
import { describeTarget, targetIncludes } from '../../schedules/targets.ts';
import { zonedToUtc } from '../../schedules/time.ts';
import { quietWith, slotWith } from './fixtures.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const station: StationInfo = {
  id: 'tram-an-hoa',
  name: 'Đài truyền thanh phường An Hòa',
  district: 'q-ninh-kieu',
  ward: 'p-an-hoa',
  timezone: TZ,
};
const clips = [
  { id: 'clip-thong-diep', durationMs: 90_000 },
  { id: 'clip-10p', durationMs: 600_000 },
  { id: 'clip-4p', durationMs: 240_000 },
];

const at = (date: string, time: string, tz = TZ) => zonedToUtc(date, time, tz);
const slot = slotWith;
const quiet = quietWith;

function compile(input: Partial<CompileInput>, options: Partial<CompileOptions> = {}): TimetableEntry[] {
  return compileTimetable(
    { station, slots: [], quietWindows: [], clips, ...input },
    { from: at('2021-09-20', '00:00'), to: at('2021-10-04', '00:00'), ...options },
  );
}
const byId = (entries: TimetableEntry[]) => new Map(entries.map((e) => [e.id, e]));
const summary = (entries: TimetableEntry[]) =>
  entries.map((e) => `${e.id} ${e.status === 'scheduled' ? 'scheduled' : e.skip.code}`);
// 2021-09-24 is a Friday, 2021-09-25 a Saturday, 2021-09-26 a Sunday
const DAY = { from: at('2021-09-24', '00:00'), to: at('2021-09-25', '00:00') };

describe('Can Tho 2021 example campaign', () => {
  const example = loadExampleCampaign();
  const entries = compile(
    { slots: example.slots, quietWindows: example.quietWindows },
    { from: at('2021-09-23', '00:00'), to: at('2021-10-01', '00:00') },
  );

  it('loads and parses the bundled JSON', () => {
    expect(example.campaign.message).toBe(
      'Xét nghiệm là then chốt, vắc-xin là căn cơ để thích ứng an toàn có kiểm soát',
    );
    expect(example.slots.map((s) => s.id).sort()).toEqual(['slot-9h', 'slot-chieu', 'slot-sang']);
    expect(example.quietWindows.map((w) => w.id).sort()).toEqual([
      'qw-hoc-chieu',
      'qw-hoc-sang',
      'qw-thoi-su',
    ]);
  });

  it('gives 8 mornings + 8 evenings scheduled and 6 weekday 09:00 slots skipped', () => {
    expect(entries).toHaveLength(22);
    expect(entries.filter((e) => e.status === 'scheduled')).toHaveLength(16);
    const skipped = entries.filter((e) => e.status === 'skipped');
    expect(skipped.map((e) => e.id)).toEqual(
      ['23', '24', '27', '28', '29', '30'].map((d) => `slot-9h@2021-09-${d}`),
    );
    for (const e of skipped) {
      expect(e.status === 'skipped' && e.skip).toEqual({
        code: 'quiet-window',
        quietWindowId: 'qw-hoc-sang',
        quietReason: 'online-class',
      });
    }
  });

  it('puts 06:30 local at 23:30Z the previous day', () => {
    expect(entries[0]).toEqual({
      id: 'slot-sang@2021-09-23',
      slotId: 'slot-sang',
      campaignId: 'can-tho-2021-thich-ung',
      stationId: 'tram-an-hoa',
      clipIds: ['clip-thong-diep'],
      localDate: '2021-09-23',
      localTime: '06:30',
      startsAt: '2021-09-22T23:30:00.000Z',
      endsAt: '2021-09-22T23:31:30.000Z',
      status: 'scheduled',
    });
    expect(byId(entries).get('slot-chieu@2021-09-30')?.startsAt).toBe('2021-09-30T10:30:00.000Z');
  });

  it('has no online-class window on Sunday but relays the national news every day', () => {
    const extra = [
      slot({ id: 'slot-9h-moi-ngay', clipIds: ['clip-thong-diep'], startTime: '09:00' }),
      slot({ id: 'slot-19h30', clipIds: ['clip-thong-diep'], startTime: '19:30' }),
    ];
    const all = byId(
      compile(
        { slots: [...example.slots, ...extra], quietWindows: example.quietWindows },
        { from: at('2021-09-25', '00:00'), to: at('2021-09-27', '00:00') },
      ),
    );
    expect(all.get('slot-9h-moi-ngay@2021-09-25')?.status).toBe('skipped');
    expect(all.get('slot-9h-moi-ngay@2021-09-26')?.status).toBe('scheduled');
    const relay = all.get('slot-19h30@2021-09-26');
    expect(relay?.status === 'skipped' && relay.skip).toMatchObject({ quietWindowId: 'qw-thoi-su' });
  });
});

describe('quiet windows', () => {
  // Friday-only night window, 22:00 to 05:00 the next morning
  const night = quiet({ id: 'qw-dem', weekdays: [5], startTime: '22:00', endTime: '05:00' });
  const slots = ['02:00', '04:58', '05:00', '21:58', '23:00'].map((t) =>
    slot({ id: `s-${t.replace(':', '')}`, clipIds: ['clip-thong-diep'], startTime: t }),
  );

  it('runs past midnight, dated by the day it starts', () => {
    const out = compile(
      { slots, quietWindows: [night] },
      { from: at('2021-09-24', '00:00'), to: at('2021-09-26', '00:00') },
    );
    expect(summary(out)).toEqual([
      's-0200@2021-09-24 scheduled', // Friday early morning: Thursday has no window
      's-0458@2021-09-24 scheduled',
      's-0500@2021-09-24 scheduled',
      's-2158@2021-09-24 scheduled', // ends 21:59:30
      's-2300@2021-09-24 quiet-window',
      's-0200@2021-09-25 quiet-window',
      's-0458@2021-09-25 quiet-window',
      's-0500@2021-09-25 scheduled', // touching the end is not intersecting
      's-2158@2021-09-25 scheduled',
      's-2300@2021-09-25 scheduled',
    ]);
  });

  it('still blocks when the window started before the compiled range', () => {
    const out = compile(
      { slots, quietWindows: [night] },
      { from: at('2021-09-25', '00:00'), to: at('2021-09-25', '12:00') },
    );
    expect(summary(out)).toEqual([
      's-0200@2021-09-25 quiet-window',
      's-0458@2021-09-25 quiet-window',
      's-0500@2021-09-25 scheduled',
    ]);
  });

  it('treats endTime equal to startTime as a full day', () => {
    const allDay = quiet({ id: 'qw-ca-ngay', weekdays: [5], startTime: '12:00', endTime: '12:00:00' });
    const out = byId(
      compile(
        { slots, quietWindows: [allDay] },
        { from: at('2021-09-24', '00:00'), to: at('2021-09-26', '00:00') },
      ),
    );
    expect(out.get('s-0500@2021-09-24')?.status).toBe('scheduled');
    expect(out.get('s-2300@2021-09-24')?.status).toBe('skipped');
    expect(out.get('s-0500@2021-09-25')?.status).toBe('skipped');
  });

  it('respects the window date range and picks the earliest-starting window when several hit', () => {
    const a = quiet({ id: 'qw-b', startTime: '08:00', endTime: '09:00', reason: 'local-event' });
    const b = quiet({ id: 'qw-a', startTime: '08:05', endTime: '09:00' });
    const c = quiet({ id: 'qw-c', startTime: '08:00', endTime: '08:30', startDate: '2021-09-25' });
    const s = slot({ id: 's', startTime: '07:59' });
    const out = byId(
      compile(
        { slots: [s], quietWindows: [b, c, a] },
        { from: at('2021-09-24', '00:00'), to: at('2021-09-26', '00:00') },
      ),
    );
    const fri = out.get('s@2021-09-24');
    expect(fri?.status === 'skipped' && fri.skip).toEqual({
      code: 'quiet-window',
      quietWindowId: 'qw-b',
      quietReason: 'local-event',
    });
    const sat = out.get('s@2021-09-25');
    expect(sat?.status === 'skipped' && sat.skip).toMatchObject({ quietWindowId: 'qw-b' }); // tie at 08:00 -> smaller id
  });
});

describe('targets', () => {
  it('matches city, district, ward and station scopes', () => {
    expect(targetIncludes({ scope: 'city' }, station)).toBe(true);
    expect(targetIncludes({ scope: 'district', id: 'q-ninh-kieu' }, station)).toBe(true);
    expect(targetIncludes({ scope: 'district', id: 'q-cai-rang' }, station)).toBe(false);
    expect(targetIncludes({ scope: 'ward', id: 'p-an-hoa' }, station)).toBe(true);
    expect(targetIncludes({ scope: 'ward', id: 'q-ninh-kieu' }, station)).toBe(false);
    expect(targetIncludes({ scope: 'station', id: 'tram-an-hoa' }, station)).toBe(true);
    expect(targetIncludes({ scope: 'station', id: 'tram-khac' }, station)).toBe(false);
    expect(describeTarget({ scope: 'district', id: 'q-ninh-kieu' })).toBe('district q-ninh-kieu');
    expect(describeTarget({ scope: 'city' })).toBe('city');
  });

  it('compiles only the slots and quiet windows addressed to the station', () => {
    const targets = {
      district: { scope: 'district', id: 'q-ninh-kieu' },
      otherDistrict: { scope: 'district', id: 'q-cai-rang' },
      ward: { scope: 'ward', id: 'p-an-hoa' },
      otherWard: { scope: 'ward', id: 'p-xuan-khanh' },
      station: { scope: 'station', id: 'tram-an-hoa' },
      otherStation: { scope: 'station', id: 'tram-khac' },
    };
    const slots = Object.entries(targets).map(([name, target], i) =>
      slot({ id: name, startTime: `0${i}:00`, target }),
    );
    expect(compile({ slots }, DAY).map((e) => e.slotId)).toEqual(['district', 'ward', 'station']);

    const s = slot({ id: 's', startTime: '10:00' });
    const blockOther = quiet({ id: 'qw', startTime: '09:00', endTime: '11:00', target: targets.otherWard });
    expect(compile({ slots: [s], quietWindows: [blockOther] }, DAY)[0]?.status).toBe('scheduled');
    const blockMine = quiet({ id: 'qw', startTime: '09:00', endTime: '11:00', target: targets.station });
    expect(compile({ slots: [s], quietWindows: [blockMine] }, DAY)[0]?.status).toBe('skipped');
  });
});

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

describe('quiet window exceptions', () => {
  it('a school holiday inside the term lets the slot play that day', () => {
    const station = { id: 'st', name: 'st', district: 'd', ward: 'w', timezone: 'Asia/Ho_Chi_Minh' };
    const slot = Slot.parse({
      id: 's',
      clipIds: ['c'],
      startTime: '09:00',
      weekdays: [1, 2],
      startDate: '2026-11-30',
      endDate: '2026-12-01',
      target: { scope: 'city' },
    });
    const term = QuietWindow.parse({
      id: 'q',
      weekdays: [1, 2],
      startTime: '07:00',
      endTime: '11:30',
      startDate: '2026-09-05',
      endDate: '2027-01-15',
      reason: 'online-class',
      exceptDates: ['2026-12-01'],
      target: { scope: 'city' },
    });
    const entries = compileTimetable(
      { station, slots: [slot], quietWindows: [term], clips: [{ id: 'c', durationMs: 60_000 }] },
      { from: new Date('2026-11-29T17:00:00Z'), to: new Date('2026-12-01T17:00:00Z') },
    );
    expect(entries.map((e) => [e.localDate, e.status])).toEqual([
      ['2026-11-30', 'skipped'],
      ['2026-12-01', 'scheduled'],
    ]);
  });
});
