// Example tests for the timetable compiler: the Can Tho 2021 campaign, quiet windows and their exceptions, targets.
import { describe, expect, it } from 'vitest';
import { loadExampleCampaign } from '../../../schedules/examples.ts';
import { QuietWindow, Slot, StationInfo } from '../../../schedules/model.ts';
import { describeTarget, targetIncludes } from '../../../schedules/targets.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import { at, byId, compile, DAY, quiet, slot, station, summary } from './fixtures.ts';

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
  it('an area reaches every station of its chain, whatever the depth; a station and its zones only itself', () => {
    for (const area of ['tp-can-tho', 'q-ninh-kieu', 'p-an-hoa'])
      expect(targetIncludes({ scope: 'area', id: area }, station), area).toBe(true);
    expect(targetIncludes({ scope: 'area', id: 'q-cai-rang' }, station)).toBe(false);
    expect(targetIncludes({ scope: 'station', id: 'tram-an-hoa' }, station)).toBe(true);
    expect(targetIncludes({ scope: 'station', id: 'tram-khac' }, station)).toBe(false);
    expect(targetIncludes({ scope: 'zone', station: 'tram-an-hoa', zone: 'cho' }, station)).toBe(true);
    expect(targetIncludes({ scope: 'zone', station: 'tram-khac', zone: 'cho' }, station)).toBe(false);
    const village = { ...station, areaPath: ['tinh', 'huyen', 'xa', 'thon', 'xom'] };
    expect(targetIncludes({ scope: 'area', id: 'thon' }, village)).toBe(true);
    expect(targetIncludes({ scope: 'area', id: 'xom-2' }, village)).toBe(false);
    expect(describeTarget({ scope: 'area', id: 'q-ninh-kieu' })).toBe('area q-ninh-kieu');
    expect(describeTarget({ scope: 'zone', station: 'st', zone: 'cho' })).toBe('zone st/cho');
  });

  it("reads the version before the tree: city, district and ward, against an old desired state's station", () => {
    const old = StationInfo.parse({ id: 'st', name: 'st', district: 'q-ninh-kieu', ward: 'q-ninh-kieu-2' });
    expect(old.areaPath).toEqual(['q-ninh-kieu', 'q-ninh-kieu-2']);
    expect(targetIncludes({ scope: 'city' }, old)).toBe(true);
    expect(targetIncludes({ scope: 'district', id: 'q-ninh-kieu' }, old)).toBe(true);
    expect(targetIncludes({ scope: 'ward', id: 'q-ninh-kieu-2' }, old)).toBe(true);
    // a ward target never matches the station's district of the same name
    expect(targetIncludes({ scope: 'ward', id: 'q-ninh-kieu' }, old)).toBe(false);
    expect(targetIncludes({ scope: 'district', id: 'q-cai-rang' }, old)).toBe(false);
  });

  it('compiles only the slots and quiet windows addressed to the station', () => {
    const targets = {
      district: { scope: 'area', id: 'q-ninh-kieu' },
      otherDistrict: { scope: 'area', id: 'q-cai-rang' },
      ward: { scope: 'area', id: 'p-an-hoa' },
      otherWard: { scope: 'area', id: 'p-xuan-khanh' },
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

describe('quiet window exceptions', () => {
  it('a school holiday inside the term lets the slot play that day', () => {
    const station = { id: 'st', name: 'st', areaPath: ['root', 'd', 'w'], timezone: 'Asia/Ho_Chi_Minh' };
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
