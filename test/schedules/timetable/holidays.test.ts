// Quiet windows that follow holidays and lunar dates: a window kept only at Tết skips the slots it covers,
// online classes spared at Tết let them play, and the station's compile is the preview's.
import { describe, expect, it } from 'vitest';
import { DesiredState, type QuietWindow, type Slot } from '../../../schedules/model.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import { at, clips, quiet, slot, station, summary } from './fixtures.ts';

// Tết Bính Ngọ: Tuesday 17 to Thursday 19 February 2026; Rằm tháng Giêng: Tuesday 3 March 2026.
const YEAR = { startDate: '2026-01-01', endDate: '2026-12-31', target: { scope: 'station', id: station.id } };
const WEEK = { from: at('2026-02-16', '00:00'), to: at('2026-02-23', '00:00') };
const compile = (slots: Slot[], quietWindows: QuietWindow[], range = WEEK) =>
  compileTimetable({ station, slots, quietWindows, clips }, range);

const morning = slot({ ...YEAR, id: 'sang', startTime: '06:30' });
const nine = slot({ ...YEAR, id: 'chin-gio', startTime: '09:00', weekdays: [1, 2, 3, 4, 5] });

describe('quiet windows that follow holidays', () => {
  it('keep Tết mornings quiet and no other morning', () => {
    const tet = quiet({
      ...YEAR,
      id: 'qw-tet',
      reason: 'local-event',
      startTime: '05:00',
      endTime: '11:00',
      days: { holidays: ['tet'] },
    });
    expect(summary(compile([morning], [tet]))).toEqual([
      'sang@2026-02-16 scheduled',
      'sang@2026-02-17 quiet-window',
      'sang@2026-02-18 quiet-window',
      'sang@2026-02-19 quiet-window',
      'sang@2026-02-20 scheduled',
      'sang@2026-02-21 scheduled',
      'sang@2026-02-22 scheduled',
    ]);
    const skipped = compile([morning], [tet]).find((e) => e.id === 'sang@2026-02-17');
    expect(skipped?.status === 'skipped' && skipped.skip).toEqual({
      code: 'quiet-window',
      quietWindowId: 'qw-tet',
      quietReason: 'local-event',
    });
  });

  it('still keep to their weekdays: a Tết window on weekends only stays open on a weekday Tết', () => {
    const weekendTet = quiet({
      ...YEAR,
      id: 'qw-tet-weekend',
      startTime: '05:00',
      endTime: '11:00',
      weekdays: [6, 7],
      days: { holidays: ['tet'] },
    });
    expect(compile([morning], [weekendTet]).every((e) => e.status === 'scheduled')).toBe(true);
  });

  it('spare online classes at Tết: the 09:00 slot plays on Tết days only', () => {
    const classes = quiet({
      ...YEAR,
      id: 'qw-hoc',
      reason: 'online-class',
      startTime: '07:00',
      endTime: '11:00',
      weekdays: [1, 2, 3, 4, 5],
      exceptDays: { holidays: ['tet', 'hung-kings'] },
    });
    expect(summary(compile([nine], [classes]))).toEqual([
      'chin-gio@2026-02-16 quiet-window',
      'chin-gio@2026-02-17 scheduled',
      'chin-gio@2026-02-18 scheduled',
      'chin-gio@2026-02-19 scheduled',
      'chin-gio@2026-02-20 quiet-window',
    ]);
  });

  it('follow a typed lunar date: Rằm tháng Giêng, 15/1 âm lịch', () => {
    const ram = quiet({
      ...YEAR,
      id: 'qw-ram',
      startTime: '06:00',
      endTime: '07:00',
      days: { lunar: [{ month: 1, day: 15 }] },
    });
    const range = { from: at('2026-03-02', '00:00'), to: at('2026-03-05', '00:00') };
    expect(summary(compile([morning], [ram], range))).toEqual([
      'sang@2026-03-02 scheduled',
      'sang@2026-03-03 quiet-window',
      'sang@2026-03-04 scheduled',
    ]);
  });

  it('run past midnight from their day: a window from 22:00 on 30 Tết covers the first minutes of Tết', () => {
    // giao thừa: the night of 16 to 17 February 2026 (29 tháng Chạp Ất Tỵ, a 29-day month)
    const eve = quiet({
      ...YEAR,
      id: 'qw-giao-thua',
      startTime: '22:00',
      endTime: '01:00',
      days: { lunar: [{ month: 12, day: 29, year: 2025 }] },
    });
    const midnight = slot({ ...YEAR, id: 'nua-dem', startTime: '00:10' });
    const range = { from: at('2026-02-16', '00:00'), to: at('2026-02-19', '00:00') };
    expect(summary(compile([midnight], [eve], range))).toEqual([
      'nua-dem@2026-02-16 scheduled',
      'nua-dem@2026-02-17 quiet-window',
      'nua-dem@2026-02-18 scheduled',
    ]);
  });

  it('compile the same at the station as in the preview: the desired state carries the rules unchanged', () => {
    const windows = [
      quiet({ ...YEAR, id: 'qw-tet', startTime: '05:00', endTime: '11:00', days: { holidays: ['tet'] } }),
      quiet({
        ...YEAR,
        id: 'qw-hoc',
        reason: 'online-class',
        startTime: '07:00',
        endTime: '11:00',
        weekdays: [1, 2, 3, 4, 5],
        exceptDays: { holidays: ['tet'], lunar: [{ month: 1, day: 4, year: 2026 }] },
      }),
    ];
    const preview = compile([morning, nine], windows);
    // what the agent does: the retained JSON, validated, then the same compiler
    const wire = JSON.parse(
      JSON.stringify({
        version: 1,
        issuedAt: '2026-02-01T00:00:00.000Z',
        station,
        slots: [morning, nine],
        quietWindows: windows,
        clips: clips.map((c, i) => ({ ...c, sha256: String(i).repeat(64), bytes: 1 })),
      }),
    );
    const desired = DesiredState.parse(wire);
    expect(desired.quietWindows[1]?.exceptDays).toEqual(windows[1]?.exceptDays);
    const atStation = compileTimetable(desired, WEEK);
    expect(atStation).toEqual(preview);
    // and whatever range is asked: Tết day by day gives what the week gave
    const day = compile([morning, nine], windows, {
      from: at('2026-02-20', '00:00'),
      to: at('2026-02-21', '00:00'),
    });
    expect(day).toEqual(preview.filter((e) => e.localDate === '2026-02-20'));
    expect(summary(day)).toEqual(['sang@2026-02-20 scheduled', 'chin-gio@2026-02-20 scheduled']);
  });
});
