// The timetable difference a what-if answers, entry by entry, on hand-made timetables (pure: no store).
import { describe, expect, it } from 'vitest';
import { diffTimetables } from '../../../controller/rules/what-if/diff.ts';
import type { TimetableEntry } from '../../../schedules/model.ts';

const entry = (id: string, startsAt: string, extra: object = {}): TimetableEntry =>
  ({
    id,
    slotId: id.split('@')[0] as string,
    campaignId: null,
    stationId: 'st-1',
    clipIds: ['clip-1'],
    localDate: '2026-12-05',
    localTime: '06:30:00',
    startsAt,
    endsAt: startsAt,
    status: 'scheduled',
    ...extra,
  }) as TimetableEntry;
const AT = '2026-12-04T23:30:00.000Z';
const LATER = '2026-12-04T23:33:00.000Z';
const own = (e: TimetableEntry) => e.slotId === 'slot-new';

describe('diffTimetables', () => {
  it('names a pushed-off entry, a skipped one, a moved one and one playing again, with their causes', () => {
    const before = [
      entry('city@2026-12-05', AT),
      entry('quiet@2026-12-05', AT),
      entry('flex@2026-12-05', AT),
      entry('held@2026-12-05', AT, {
        status: 'skipped',
        skip: { code: 'overlap', entryId: 'old@2026-12-05' },
      }),
    ];
    const after = [
      entry('city@2026-12-05', AT, {
        status: 'skipped',
        skip: { code: 'overlap', entryId: 'slot-new@2026-12-05' },
      }),
      entry('quiet@2026-12-05', AT, {
        status: 'skipped',
        skip: { code: 'quiet-window', quietWindowId: 'qw-1', quietReason: 'online-class' },
      }),
      entry('flex@2026-12-05', LATER, {
        placement: {
          requestedFrom: AT,
          requestedUntil: LATER,
          movedBecause: [{ code: 'overlap', entryId: 'slot-new@2026-12-05' }],
        },
      }),
      entry('held@2026-12-05', AT),
      entry('slot-new@2026-12-05', AT),
    ];
    const { changes, own: plays } = diffTimetables(before, after, own);
    const seen = changes.map((c) => [c.entry.id, c.change, c.cause]);
    expect(seen).toEqual([
      ['city@2026-12-05', 'pushed-off', { kind: 'entry', entryId: 'slot-new@2026-12-05' }],
      ['quiet@2026-12-05', 'skipped', { kind: 'quiet-window', quietWindowId: 'qw-1' }],
      ['flex@2026-12-05', 'moved', { kind: 'entry', entryId: 'slot-new@2026-12-05' }],
      ['held@2026-12-05', 'plays-again', { kind: 'entry', entryId: 'old@2026-12-05' }],
    ]);
    expect(changes.find((c) => c.change === 'moved')?.movedTo).toBe(LATER);
    expect(plays).toEqual({ before: 0, after: 1, starts: [AT] });
  });

  it("lists the change's own entries kept off air, not those skipped for the same reason as before", () => {
    const skip = { code: 'quiet-window', quietWindowId: 'qw-1', quietReason: 'online-class' } as const;
    const before = [entry('slot-new@2026-12-05', AT, { status: 'skipped', skip })];
    const after = [
      entry('slot-new@2026-12-05', AT, { status: 'skipped', skip }),
      entry('slot-new@2026-12-06', LATER, { status: 'skipped', skip }),
    ];
    const { changes, own: plays } = diffTimetables(before, after, own);
    expect(changes.map((c) => [c.entry.id, c.change, c.own])).toEqual([
      ['slot-new@2026-12-06', 'skipped', true],
    ]);
    expect(plays).toEqual({ before: 0, after: 0, starts: [] });
  });

  it('answers nothing for identical timetables', () => {
    const t = [entry('city@2026-12-05', AT)];
    expect(diffTimetables(t, t, own).changes).toEqual([]);
  });
});
