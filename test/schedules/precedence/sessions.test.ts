// Example tests for the precedence table (schedules/precedence/precedence.ts), rows 5-9: bulletins placed in sessions,
// local announcements and skips, timetable entries, and combinations.
import { describe, expect, it } from 'vitest';
import { placementDetail } from '../../../schedules/reasons.ts';
import { quietWith } from '../fixtures.ts';
import { compile, get, LEAD, ms, outcome, S, skipOf, summary, TAIL, t } from './day.ts';
import { clipRef, onlineClass, overrideWith, planWith, slot } from './fixtures.ts';

describe('row 5: priority bulletin', () => {
  const morning = [
    slot('s-06', '06:00'),
    slot('s-0615', '06:15', 'clip-4p'),
    slot('s-17', '17:00', 'clip-4p'),
  ];
  const shift = 60_000 + LEAD + TAIL;
  const later = (time: string) => new Date(ms(time) + shift).toISOString();

  it("goes first in the next session and moves that session's entries later", () => {
    const out = compile({
      slots: morning,
      alerts: [planWith({ id: 'p1', level: 'priority', receivedAt: t('05:00') })],
    });
    expect(summary(out)).toEqual([
      'alert:p1 23:00:00 scheduled',
      `${S('s-06')} 23:01:03 scheduled`,
      `${S('s-0615')} 23:16:03 scheduled`,
      `${S('s-17')} 10:00:00 scheduled`,
    ]);
    const moved = get(out, S('s-0615'));
    expect(moved).toMatchObject({ localTime: '06:16:03', startsAt: later('06:15'), endsAt: later('06:19') });
    const placement = moved.status === 'scheduled' ? moved.placement : undefined;
    expect(placement).toEqual({
      requestedFrom: t('06:15'),
      requestedUntil: later('06:19'),
      movedBecause: [{ code: 'overlap', entryId: 'alert:p1' }],
    });
    expect(placement && placementDetail(placement)).toBe(`moved from ${t('06:15')}: entry alert:p1`);
  });

  it('received during a session, waits for the next one; two go in the order received', () => {
    const out = compile({
      slots: morning,
      alerts: [
        planWith({ id: 'p2', level: 'priority', receivedAt: t('06:05:30') }),
        planWith({ id: 'p1', level: 'priority', receivedAt: t('06:05') }),
      ],
    });
    expect(get(out, 'alert:p1').startsAt).toBe(t('17:00'));
    expect(get(out, 'alert:p2').startsAt).toBe(later('17:00'));
    expect(get(out, S('s-17')).startsAt).toBe(new Date(ms('17:00') + 2 * shift).toISOString());
  });

  it('an entry moved into a quiet window is skipped with its reason', () => {
    const evening = quietWith({
      id: 'qw-tin',
      startTime: '06:19:30',
      endTime: '06:40',
      reason: 'national-relay',
    });
    const out = compile({
      slots: morning,
      quietWindows: [evening],
      alerts: [planWith({ id: 'p1', level: 'priority', receivedAt: t('05:00') })],
    });
    expect(summary(out).slice(0, 3)).toEqual([
      'alert:p1 23:00:00 scheduled',
      `${S('s-06')} 23:01:03 scheduled`,
      `${S('s-0615')} 23:16:03 national-relay`,
    ]);
  });

  it('a session held by a pause is no session: the next one is taken', () => {
    const pause = overrideWith({ id: 'o-pause', kind: 'pause', startsAt: t('05:30'), endsAt: t('07:00') });
    const out = compile({
      slots: morning,
      overrides: [pause],
      alerts: [planWith({ id: 'p1', level: 'priority', receivedAt: t('05:00') })],
    });
    expect(get(out, 'alert:p1').startsAt).toBe(t('17:00'));
  });

  it('with no session before its expiry, plays at the first instant clear of rows 1-4', () => {
    const plan = planWith({ id: 'p1', level: 'priority', receivedAt: t('08:00'), expiresAt: t('12:00') });
    const out = compile({ slots: morning, quietWindows: [onlineClass], alerts: [plan] });
    expect(get(out, 'alert:p1')).toMatchObject({
      startsAt: new Date(ms('11:30') + LEAD).toISOString(),
      status: 'scheduled',
    });
    expect(get(out, S('s-17')).startsAt).toBe(t('17:00'));
    const soon = { ...plan, alert: { ...plan.alert, expiresAt: t('11:00') } };
    expect(outcome(get(compile({ quietWindows: [onlineClass], alerts: [soon] }), 'alert:p1'))).toBe(
      'online-class',
    );
  });

  it('cannot be skipped by ward staff; expired or cancelled it does not play or move anything', () => {
    const skip = overrideWith({
      id: 'o-skip',
      kind: 'skip',
      entryId: 'alert:p1',
      startsAt: t('05:00'),
      endsAt: t('07:00'),
    });
    const out = compile({
      slots: morning,
      overrides: [skip],
      alerts: [planWith({ id: 'p1', level: 'priority', receivedAt: t('05:00') })],
    });
    expect(outcome(get(out, 'alert:p1'))).toBe('scheduled');
    const gone = planWith({ id: 'p1', level: 'priority', receivedAt: t('05:00'), cancelledAt: t('05:10') });
    const old = planWith({ id: 'p2', level: 'priority', receivedAt: t('05:00'), expiresAt: t('05:00') });
    const both = compile({ slots: morning, alerts: [gone, old] });
    expect(summary(both).slice(0, 3)).toEqual([
      'alert:p1 22:00:00 cancelled',
      'alert:p2 22:00:00 expired',
      `${S('s-06')} 23:00:00 scheduled`,
    ]);
  });
});

describe('row 6: local announcement', () => {
  const announce = (id: string, at: string, durationMs = 120_000) =>
    overrideWith({
      id,
      kind: 'announce',
      clip: clipRef(`local-${id}`, durationMs),
      startsAt: t(at),
      endsAt: new Date(ms(at) + durationMs).toISOString(),
    });

  it('plays at its time and preempts the timetable entry it overlaps', () => {
    const out = compile({ slots: [slot('s-10', '10:00')], overrides: [announce('a1', '10:05')] });
    expect(get(out, 'local:a1')).toEqual({
      id: 'local:a1',
      slotId: 'a1',
      source: { kind: 'announcement', overrideId: 'a1' },
      campaignId: null,
      stationId: 's1',
      clipIds: ['local-a1'],
      localDate: '2021-09-24',
      localTime: '10:05:00',
      startsAt: t('10:05'),
      endsAt: t('10:07'),
      status: 'scheduled',
    });
    expect(skipOf(get(out, S('s-10')))).toEqual({
      code: 'preempted',
      by: 'announcement',
      entryId: 'local:a1',
    });
  });

  it('is itself kept off by a pause, a priority bulletin, or an earlier announcement', () => {
    const pause = overrideWith({ id: 'o-pause', kind: 'pause', startsAt: t('09:00'), endsAt: t('09:30') });
    const out = compile({
      slots: [slot('s-06', '06:00', 'clip-4p')],
      overrides: [
        pause,
        announce('a1', '09:10'),
        announce('a2', '06:00:30'),
        announce('a3', '12:00'),
        announce('a4', '12:01'),
      ],
      alerts: [planWith({ id: 'p1', level: 'priority', receivedAt: t('05:00') })],
    });
    expect(summary(out)).toEqual([
      'alert:p1 23:00:00 scheduled',
      'local:a2 23:00:30 priority-bulletin',
      `${S('s-06')} 23:01:03 scheduled`,
      'local:a1 02:10:00 local-pause',
      'local:a3 05:00:00 scheduled',
      'local:a4 05:01:00 overlap',
    ]);
  });

  it('produces nothing once cancelled', () => {
    const a = { ...announce('a1', '10:05'), cancelledAt: t('10:00') };
    expect(compile({ slots: [slot('s-10', '10:00')], overrides: [a] })).toEqual(
      compile({ slots: [slot('s-10', '10:00')] }),
    );
  });
});

describe('row 7: local skip', () => {
  it('skips the named entry, in its time only', () => {
    const slots = [slot('s-10', '10:00'), slot('s-11', '11:00')];
    const skip = overrideWith({
      id: 'o-skip',
      kind: 'skip',
      entryId: S('s-10'),
      startsAt: t('09:50'),
      endsAt: t('10:10'),
    });
    const out = compile({ slots, overrides: [skip] });
    expect(summary(out)).toEqual([`${S('s-10')} 03:00:00 local-skip`, `${S('s-11')} 04:00:00 scheduled`]);
    const stale = { ...skip, startsAt: t('08:00'), endsAt: t('09:00') };
    expect(compile({ slots, overrides: [stale] })).toEqual(compile({ slots }));
  });

  it('declines a normal bulletin', () => {
    const decline = overrideWith({
      id: 'o-no',
      kind: 'skip',
      entryId: 'alert:n1',
      startsAt: t('05:30'),
      endsAt: t('23:00'),
    });
    const out = compile({
      slots: [slot('s-06', '06:00')],
      overrides: [decline],
      alerts: [planWith({ id: 'n1', level: 'normal', receivedAt: t('05:00') })],
    });
    expect(skipOf(get(out, 'alert:n1'))).toEqual({
      code: 'override',
      overrideId: 'o-no',
      overrideKind: 'skip',
    });
  });
});

describe('row 8: timetable entries', () => {
  it('are exactly as compiled without overrides and bulletins', () => {
    const slots = [slot('s-06', '06:00'), slot('s-0605', '06:05'), slot('s-09', '09:00')];
    const plain = compile({ slots, quietWindows: [onlineClass] });
    expect(compile({ slots, quietWindows: [onlineClass], overrides: [], alerts: [] })).toEqual(plain);
    expect(summary(plain)).toEqual([
      `${S('s-06')} 23:00:00 scheduled`,
      `${S('s-0605')} 23:05:00 overlap`,
      `${S('s-09')} 02:00:00 online-class`,
    ]);
  });
});

describe('row 9: normal bulletin', () => {
  const morning = [slot('s-06', '06:00'), slot('s-0615', '06:15', 'clip-4p')];
  const spotAfter = (end: number) => new Date(end + TAIL + LEAD).toISOString();

  it('goes last in the next session, after an earlier normal bulletin there', () => {
    const out = compile({
      slots: morning,
      alerts: [
        planWith({ id: 'n2', level: 'normal', receivedAt: t('05:01') }),
        planWith({ id: 'n1', level: 'normal', receivedAt: t('05:00') }),
      ],
    });
    const n1 = get(out, 'alert:n1');
    expect(n1).toMatchObject({
      startsAt: spotAfter(ms('06:19')),
      status: 'scheduled',
      source: { level: 'normal' },
    });
    expect(get(out, 'alert:n2')).toMatchObject({
      startsAt: spotAfter(Date.parse(n1.endsAt)),
      status: 'scheduled',
    });
  });

  it('is skipped when its spot touches a quiet window or another entry, or no session comes before expiry', () => {
    const relay = quietWith({
      id: 'qw-tin',
      startTime: '06:19:30',
      endTime: '06:40',
      reason: 'national-relay',
    });
    const plan = planWith({ id: 'n1', level: 'normal', receivedAt: t('05:00') });
    expect(outcome(get(compile({ slots: morning, quietWindows: [relay], alerts: [plan] }), 'alert:n1'))).toBe(
      'national-relay',
    );
    const long = planWith({ id: 'n1', level: 'normal', receivedAt: t('05:00'), durationMs: 40 * 60_000 });
    const next = compile({ slots: [...morning, slot('s-0650', '06:50', 'clip-4p')], alerts: [long] });
    expect(skipOf(get(next, 'alert:n1'))).toEqual({ code: 'overlap', entryId: S('s-0650') });
    const soon = planWith({ id: 'n1', level: 'normal', receivedAt: t('06:30'), expiresAt: t('12:00') });
    expect(outcome(get(compile({ slots: morning, alerts: [soon] }), 'alert:n1'))).toBe('expired');
  });

  it('follows the session gap it is given', () => {
    const plan = planWith({ id: 'n1', level: 'normal', receivedAt: t('05:00') });
    const out = compile({ slots: morning, alerts: [plan] }, { sessionGapMs: 60_000 });
    expect(get(out, 'alert:n1').startsAt).toBe(spotAfter(ms('06:10')));
  });
});
