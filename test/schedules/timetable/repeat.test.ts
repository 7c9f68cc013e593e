// Repeat and chime (schedules/repeat.ts): the whole length of a repeated, chimed slot or bulletin is what quiet
// windows, overlaps, flexible placement and the precedence table see; old rules without them are unchanged.
import { describe, expect, it } from 'vitest';
import { Alert } from '../../../schedules/alerts.ts';
import { Slot } from '../../../schedules/model.ts';
import {
  CHIME_MS,
  contentMsOf,
  Repeat,
  readingsHeard,
  shapedMs,
  shapeParts,
} from '../../../schedules/repeat.ts';
import { flexibleFitProblem } from '../../../schedules/timetable/flexible.ts';
import { CLIPS, quietWith, slotWith } from '../fixtures.ts';
import { compile, get, outcome, S, skipOf, t } from '../precedence/day.ts';
import { planWith } from '../precedence/fixtures.ts';

const MIN = 60_000;
const three = { repeat: { times: 3, gapSeconds: 30 }, chime: { before: true, after: true } };
const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('the length of a repeated, chimed sound', () => {
  it('is times x clip + (times - 1) x gap + the chimes', () => {
    expect(shapedMs(10 * MIN, three)).toBe(3 * 10 * MIN + 2 * 30_000 + 2 * CHIME_MS);
    expect(shapedMs(10 * MIN, {})).toBe(10 * MIN);
    expect(shapedMs(10 * MIN, { repeat: null, chime: null })).toBe(10 * MIN);
    // a gap without a second reading adds nothing
    expect(shapedMs(10 * MIN, { repeat: { times: 1, gapSeconds: 60 } })).toBe(10 * MIN);
    expect(shapedMs(10 * MIN, { chime: { before: true, after: false } })).toBe(10 * MIN + CHIME_MS);
    expect(contentMsOf(shapedMs(10 * MIN, three), three)).toBe(10 * MIN);
  });

  it('lays its parts out in order: chime, readings with gaps between, chime', () => {
    expect(shapeParts(three).map((p) => p.kind)).toEqual([
      'chime',
      'content',
      'gap',
      'content',
      'gap',
      'content',
      'chime',
    ]);
    expect(shapeParts({ repeat: { times: 2, gapSeconds: 0 } }).map((p) => p.kind)).toEqual([
      'content',
      'content',
    ]);
  });

  it('counts the readings heard to their end when cut', () => {
    const clip = 60_000;
    const heard = (ms: number) => readingsHeard(ms, clip, three);
    expect(heard(0)).toBe(0);
    expect(heard(CHIME_MS + clip - 1000)).toBe(0);
    expect(heard(CHIME_MS + clip)).toBe(1);
    // cut in the gap after the second, or in the third: two
    expect(heard(CHIME_MS + 2 * clip + 30_000 + 10_000)).toBe(2);
    expect(heard(CHIME_MS + 3 * clip + 2 * 30_000 - 5000)).toBe(2);
    expect(heard(shapedMs(clip, three))).toBe(3);
  });
});

describe('a slot that repeats', () => {
  it('is refused outside 1..5 times and 0..120 s of gap, or on a relay', () => {
    expect(Repeat.safeParse({ times: 6, gapSeconds: 0 }).error?.issues[0]?.message).toBe(
      'repeat.times must be 1 to 5',
    );
    expect(Repeat.safeParse({ times: 0 }).success).toBe(false);
    expect(Repeat.safeParse({ times: 2, gapSeconds: 121 }).error?.issues[0]?.message).toBe(
      'repeat.gapSeconds must be 0 to 120',
    );
    expect(Repeat.safeParse({ times: 2.5 }).success).toBe(false);
    expect(Repeat.parse({ times: 2 })).toEqual({ times: 2, gapSeconds: 0 });
    const relay = { url: 'http://vov.example/vov1', endTime: '09:00' };
    const bad = Slot.safeParse({
      ...slotWith({ id: 'r', startTime: '08:00' }),
      relay,
      clipIds: [],
      ...three,
    });
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['repeat'],
      message: 'a relay plays its stream once: no repeat or chime',
    });
  });

  it('carries its repeat and chime on its entry, which lasts the whole of it', () => {
    const out = compile({ slots: [slotWith({ id: 's', startTime: '08:00', ...three })] });
    const e = get(out, S('s'));
    expect(e).toMatchObject({ status: 'scheduled', startsAt: t('08:00'), ...three });
    expect(e.endsAt).toBe(at(t('08:00'), shapedMs(10 * MIN, three)));
  });

  it('without repeat or chime compiles as before: no new fields', () => {
    const e = get(compile({ slots: [slotWith({ id: 's', startTime: '08:00' })] }), S('s'));
    expect(e.endsAt).toBe(t('08:10'));
    expect('repeat' in e || 'chime' in e).toBe(false);
  });

  it('is kept off by a quiet window its later readings would reach', () => {
    const qw = quietWith({ id: 'qw', startTime: '08:25', endTime: '09:00' });
    const once = compile({ slots: [slotWith({ id: 's', startTime: '08:00' })], quietWindows: [qw] });
    expect(outcome(get(once, S('s')))).toBe('scheduled');
    const thrice = compile({
      slots: [slotWith({ id: 's', startTime: '08:00', ...three })],
      quietWindows: [qw],
    });
    expect(skipOf(get(thrice, S('s')))?.code).toBe('quiet-window');
  });

  it('holds the air against a slot that would start during its readings', () => {
    const slots = [
      slotWith({ id: 'a', startTime: '08:00', ...three }),
      slotWith({ id: 'b', startTime: '08:20' }),
    ];
    const out = compile({ slots });
    expect(skipOf(get(out, S('b')))).toEqual({ code: 'overlap', entryId: S('a') });
  });

  it('flexible: is placed by its whole length, and refused when it can never fit', () => {
    const fixed = slotWith({ id: 'a', startTime: '08:15' });
    const flex = slotWith({ id: 'f', startTime: '08:00', flexibleUntil: '10:00', ...three });
    const e = get(compile({ slots: [fixed, flex] }), S('f'));
    // 32 min of sound does not fit before 08:15: it goes after a's 08:25 end, warm-up and tail clear
    expect(e.status === 'scheduled' && e.startsAt > t('08:25')).toBe(true);
    expect(Date.parse(e.endsAt) - Date.parse(e.startsAt)).toBe(shapedMs(10 * MIN, three));
    const tight = { ...flex, flexibleUntil: '08:31' };
    expect(flexibleFitProblem(tight, CLIPS)).toMatch(/read 3 times/);
    expect(flexibleFitProblem({ ...tight, repeat: null, chime: null }, CLIPS)).toBeNull();
  });
});

describe('a bulletin that repeats', () => {
  const repeated = (level: Alert['level']) => {
    const p = planWith({ id: 'b1', level, receivedAt: t('10:05') });
    return { ...p, alert: Alert.parse({ ...p.alert, ...three }) };
  };

  it('an emergency holds the air for all its readings, cutting what would play meanwhile', () => {
    const out = compile({
      slots: [slotWith({ id: 's', startTime: '10:07' })],
      alerts: [repeated('emergency')],
    });
    const e = get(out, 'alert:b1');
    expect(e).toMatchObject({ startsAt: t('10:05'), ...three });
    expect(e.endsAt).toBe(at(t('10:05'), shapedMs(MIN, three)));
    expect(skipOf(get(out, S('s')))).toMatchObject({ code: 'preempted', by: 'emergency' });
  });

  it('a priority bulletin goes first in its session with its whole length', () => {
    const out = compile({
      slots: [slotWith({ id: 's', startTime: '11:00' })],
      alerts: [repeated('priority')],
    });
    const e = get(out, 'alert:b1');
    expect(Date.parse(e.endsAt) - Date.parse(e.startsAt)).toBe(shapedMs(MIN, three));
    expect(e.endsAt <= get(out, S('s')).startsAt).toBe(true);
  });

  it('a live session cannot repeat', () => {
    const p = planWith({ id: 'b1', level: 'normal', receivedAt: t('10:05') });
    const live = { url: 'http://tram.example/live', sessionId: 'l1', speaker: 'Chủ tịch' };
    const bad = Alert.safeParse({ ...p.alert, clip: undefined, live, repeat: { times: 2 } });
    expect(bad.error?.issues[0]?.message).toBe('a live session is heard once: no repeat or chime');
  });
});
