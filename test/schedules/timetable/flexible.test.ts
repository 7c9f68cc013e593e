// Example tests for flexible slots: placement around quiet windows and fixed entries, no room, validation.
import { describe, expect, it } from 'vitest';
import { type QuietWindow, Slot, type TimetableEntry } from '../../../schedules/model.ts';
import { placementDetail, skipReasonCode, skipReasonDetail } from '../../../schedules/reasons.ts';
import { zonedToUtc } from '../../../schedules/time.ts';
import { type CompileOptions, compileTimetable } from '../../../schedules/timetable/compile.ts';
import { flexibleFitProblem } from '../../../schedules/timetable/flexible.ts';
import { AN_HOA, CLIPS, quietWith, slotWith, TZ } from '../fixtures.ts';

const station = AN_HOA;
const clips = CLIPS;
const at = (time: string, date = '2021-09-24') => zonedToUtc(date, time, TZ);
const iso = (time: string, date = '2021-09-24') => at(time, date).toISOString();
const slot = slotWith;
const quiet = (over: Record<string, unknown>) => quietWith({ reason: 'national-relay', ...over });
// 2021-09-24 is a Friday
const DAY: CompileOptions = { from: at('00:00'), to: at('00:00', '2021-09-25') };
const compile = (slots: Slot[], quietWindows: QuietWindow[] = [], options: Partial<CompileOptions> = {}) =>
  compileTimetable({ station, slots, quietWindows, clips }, { ...DAY, ...options });
const one = (entries: TimetableEntry[], id: string) => {
  const e = entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
};

const flex = slot({ id: 'flex', startTime: '16:30', flexibleUntil: '18:30' });
const relay = quiet({ id: 'qw-thoi-su', startTime: '16:00', endTime: '17:00' });

describe('flexible slots', () => {
  it('play at the window start when it is clear, and say so', () => {
    const [e] = compile([flex]);
    expect(e).toMatchObject({
      id: 'flex@2021-09-24',
      status: 'scheduled',
      localTime: '16:30:00',
      startsAt: iso('16:30'),
      endsAt: iso('16:40'),
      placement: { requestedFrom: iso('16:30'), requestedUntil: iso('18:30'), movedBecause: [] },
    });
    expect(e?.status === 'scheduled' && e.placement && placementDetail(e.placement)).toBeNull();
  });

  it('move past a quiet window, leaving room for the warm-up', () => {
    const plain = compile([flex], [relay]);
    expect(plain[0]).toMatchObject({ status: 'scheduled', startsAt: iso('17:00'), localTime: '17:00:00' });
    const [e] = compile([flex], [relay], { leadMs: 2000, tailMs: 1000 });
    expect(e).toMatchObject({ status: 'scheduled', startsAt: iso('17:00:02'), localTime: '17:00:02' });
    const movedBecause = [
      { code: 'quiet-window', quietWindowId: 'qw-thoi-su', quietReason: 'national-relay' },
    ];
    expect(e?.status === 'scheduled' && e.placement?.movedBecause).toEqual(movedBecause);
    expect(e?.status === 'scheduled' && e.placement && placementDetail(e.placement)).toBe(
      `moved from ${iso('16:30')}: quiet window qw-thoi-su (national-relay)`,
    );
  });

  it('move past an earlier fixed entry, with its tail and their own warm-up between', () => {
    const fixed = slot({ id: 'fixed', startTime: '16:25' }); // 16:25-16:35
    const out = compile([flex, fixed], [], { leadMs: 2000, tailMs: 1000 });
    expect(one(out, 'fixed@2021-09-24').status).toBe('scheduled');
    const e = one(out, 'flex@2021-09-24');
    expect(e.startsAt).toBe(iso('16:35:03'));
    expect(e.status === 'scheduled' && e.placement?.movedBecause).toEqual([
      { code: 'overlap', entryId: 'fixed@2021-09-24' },
    ]);
  });

  it('take the first gap that is long enough, naming everything that pushed them', () => {
    const short = slot({ id: 'a-short', startTime: '17:05', clipIds: ['clip-4p'] }); // 17:05-17:09
    const long = slot({ id: 'b-long', startTime: '17:15' }); // 17:15-17:25
    const out = compile([flex, short, long], [relay]);
    // 17:00-17:05 and 17:09-17:15 are too short for 10 minutes
    const e = one(out, 'flex@2021-09-24');
    expect(e.startsAt).toBe(iso('17:25'));
    expect(e.status === 'scheduled' && e.placement?.movedBecause.map((b) => b.code)).toEqual([
      'quiet-window',
      'overlap',
      'overlap',
    ]);
  });

  it('never displace a fixed entry, even one of lower priority', () => {
    const fixed = slot({ id: 'fixed', startTime: '16:30', priority: 0 });
    const urgent = slot({ id: 'flex', startTime: '16:30', flexibleUntil: '18:30', priority: 100 });
    const out = compile([urgent, fixed]);
    expect(one(out, 'fixed@2021-09-24').startsAt).toBe(iso('16:30'));
    expect(one(out, 'flex@2021-09-24').startsAt).toBe(iso('16:40'));
  });

  it('are placed by window start, then priority, then slot id; each blocks the next', () => {
    const b = slot({ id: 'b', startTime: '16:30', flexibleUntil: '18:30', priority: 1 });
    const a = slot({ id: 'a', startTime: '16:30', flexibleUntil: '18:30' });
    const c = slot({ id: 'c', startTime: '16:30', flexibleUntil: '18:30' });
    const early = slot({ id: 'z', startTime: '16:20', flexibleUntil: '16:45', clipIds: ['clip-4p'] });
    const out = compile([c, a, b, early]);
    expect(out.map((e) => [e.id, e.startsAt])).toEqual([
      ['z@2021-09-24', iso('16:20')],
      ['b@2021-09-24', iso('16:30')],
      ['a@2021-09-24', iso('16:40')],
      ['c@2021-09-24', iso('16:50')],
    ]);
  });

  it('ignore entries that were skipped themselves', () => {
    const blocked = slot({ id: 'blocked', startTime: '16:55' }); // runs into the relay: skipped
    const out = compile([flex, blocked], [quiet({ id: 'qw', startTime: '17:00', endTime: '17:30' })]);
    expect(one(out, 'blocked@2021-09-24').status).toBe('skipped');
    expect(one(out, 'flex@2021-09-24').startsAt).toBe(iso('16:30'));
  });

  it('are skipped with no-room when nothing in the window fits', () => {
    const long = quiet({ id: 'qw-dai', startTime: '16:00', endTime: '18:25' });
    const [e] = compile([flex], [long]);
    expect(e).toMatchObject({
      status: 'skipped',
      startsAt: iso('16:30'),
      endsAt: iso('16:40'),
      localTime: '16:30',
    });
    const skip = e?.status === 'skipped' ? e.skip : null;
    expect(skip).toEqual({
      code: 'no-room',
      windowStart: iso('16:30'),
      windowEnd: iso('18:30'),
      blockedBy: [{ code: 'quiet-window', quietWindowId: 'qw-dai', quietReason: 'national-relay' }],
    });
    if (!skip) return;
    expect(skipReasonCode(skip)).toBe('no-room');
    expect(skipReasonDetail(skip)).toBe(
      `no room between ${iso('16:30')} and ${iso('18:30')}: blocked by quiet window qw-dai (national-relay)`,
    );
    // the last possible start is 18:20: with the window ending at 18:20 it just fits
    const fits = compile([flex], [quiet({ id: 'qw-dai', startTime: '16:00', endTime: '18:20' })]);
    expect(fits[0]?.startsAt).toBe(iso('18:20'));
  });

  it('are skipped with no-room when the clips are longer than the window', () => {
    const tight = slot({ id: 'tight', startTime: '16:30', flexibleUntil: '16:39:59' });
    const [e] = compile([tight]);
    expect(e?.status === 'skipped' && e.skip).toEqual({
      code: 'no-room',
      windowStart: iso('16:30'),
      windowEnd: iso('16:39:59'),
      blockedBy: [],
    });
    expect(flexibleFitProblem(tight, clips)).toBe(
      'the clips last 10 min but the window 16:30-16:39:59 is only 10 min',
    );
    expect(
      flexibleFitProblem(slot({ id: 'x', startTime: '16:30', flexibleUntil: '16:40' }), clips),
    ).toBeNull();
    expect(flexibleFitProblem(slot({ id: 'x', startTime: '16:30' }), clips)).toBeNull();
  });

  it('report an unknown clip as fixed slots do', () => {
    const [e] = compile([slot({ id: 'x', startTime: '16:30', flexibleUntil: '18:30', clipIds: ['nope'] })]);
    expect(e?.status === 'skipped' && e.skip).toEqual({ code: 'clip-unknown', clipId: 'nope' });
  });

  it('count in the range where they are placed, whatever range is compiled', () => {
    const fixed = slot({ id: 'fixed', startTime: '16:25', clipIds: ['clip-10p', 'clip-10p', 'clip-10p'] });
    // the agent re-plans at 16:40 while 'fixed' (16:25-16:55) plays: flex still waits for it
    const whole = compile([flex, fixed], [], { leadMs: 2000, tailMs: 1000 });
    const late = compile([flex, fixed], [], { from: at('16:40'), leadMs: 2000, tailMs: 1000 });
    expect(one(whole, 'flex@2021-09-24').startsAt).toBe(iso('16:55:03'));
    expect(late).toEqual(whole.filter((e) => e.slotId === 'flex'));
    expect(compile([flex], [], { to: at('16:30') })).toEqual([]);
  });
});

describe('flexibleUntil validation', () => {
  it('must be after startTime on the same day', () => {
    for (const flexibleUntil of ['16:30', '16:30:00', '16:00', '01:00']) {
      const r = Slot.safeParse({ ...flex, flexibleUntil });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['flexibleUntil']);
    }
    expect(Slot.safeParse({ ...flex, flexibleUntil: '16:30:01' }).success).toBe(true);
    expect(Slot.safeParse({ ...flex, flexibleUntil: null }).success).toBe(true);
    expect(Slot.safeParse({ ...flex, flexibleUntil: '6pm' }).success).toBe(false);
  });

  it('absent or null leaves a fixed slot', () => {
    const fixed = slot({ id: 'f', startTime: '16:30', flexibleUntil: null });
    expect(compile([fixed], [relay])[0]?.status).toBe('skipped');
    expect('flexibleUntil' in slot({ id: 'g', startTime: '16:30' })).toBe(false);
  });
});
