// Example tests for the precedence table (schedules/precedence.ts): one or more per row, and combinations.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CompileInput, type CompileOptions, compileTimetable } from '../../schedules/compile.ts';
import type { StationInfo, TimetableEntry } from '../../schedules/model.ts';
import type { Override } from '../../schedules/overrides.ts';
import { DEFAULT_SESSION_GAP_MINUTES } from '../../schedules/policy.ts';
import { type AlertPlan, DEFAULT_SESSION_GAP_MS, PRECEDENCE } from '../../schedules/precedence.ts';
import { placementDetail, skipReasonCode } from '../../schedules/reasons.ts';
import { zonedToUtc } from '../../schedules/time.ts';
import { quietWith, slotWith } from './fixtures.ts';
import { clipRef, overrideWith, planWith } from './precedence-fixtures.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const station: StationInfo = { id: 's1', name: 'Trạm s1', district: 'd1', ward: 'w1', timezone: TZ };
const clips = [
  { id: 'clip-10p', durationMs: 600_000 },
  { id: 'clip-4p', durationMs: 240_000 },
];
// Friday 2021-09-24, local time
const t = (time: string) => zonedToUtc('2021-09-24', time, TZ).toISOString();
const ms = (time: string) => Date.parse(t(time));
const LEAD = 2000;
const TAIL = 1000;

const slot = (id: string, startTime: string, clip = 'clip-10p') =>
  slotWith({ id, startTime, clipIds: [clip] });
const onlineClass = quietWith({ id: 'qw-hoc', startTime: '07:00', endTime: '11:30', reason: 'online-class' });

interface Case extends Partial<Omit<CompileInput, 'overrides' | 'alerts'>> {
  overrides?: Override[];
  alerts?: AlertPlan[];
}
function compile(input: Case, options: Partial<CompileOptions> = {}): TimetableEntry[] {
  return compileTimetable(
    { station, slots: [], quietWindows: [], clips, ...input },
    {
      from: new Date(t('00:00')),
      to: new Date(zonedToUtc('2021-09-25', '00:00', TZ)),
      leadMs: LEAD,
      tailMs: TAIL,
      ...options,
    },
  );
}
const outcome = (e: TimetableEntry) => (e.status === 'scheduled' ? 'scheduled' : skipReasonCode(e.skip));
const summary = (entries: TimetableEntry[]) =>
  entries.map((e) => `${e.id} ${e.startsAt.slice(11, 19)} ${outcome(e)}`);
const get = (entries: TimetableEntry[], id: string) => {
  const e = entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id} in ${summary(entries).join(', ')}`);
  return e;
};
const skipOf = (e: TimetableEntry) => (e.status === 'skipped' ? e.skip : null);
const S = (id: string) => `${id}@2021-09-24`;

describe('the table', () => {
  it('is the table in docs/precedence.md, row for row', () => {
    const doc = readFileSync(new URL('../../docs/precedence.md', import.meta.url), 'utf8');
    const section = doc.split('\n## The table\n')[1]?.split('\n## ')[0] ?? '';
    const rows = section
      .split('\n')
      .filter((l) => /^\| \d/.test(l))
      .map((l) =>
        l
          .slice(1, -1)
          .split(' | ')
          .map((c) => c.trim()),
      );
    expect(rows).toEqual(PRECEDENCE.map((r) => [String(r.rank), r.what, r.plays, r.cuts, r.keptOffBy]));
  });

  it('uses the air-time policy session gap by default', () => {
    expect(DEFAULT_SESSION_GAP_MS).toBe(DEFAULT_SESSION_GAP_MINUTES * 60_000);
  });
});

describe('row 1: emergency bulletin', () => {
  it('plays at once and cuts what is on air', () => {
    const out = compile({
      slots: [slot('s-10', '10:00')],
      alerts: [planWith({ id: 'e1', level: 'emergency', receivedAt: t('10:05') })],
    });
    expect(get(out, 'alert:e1')).toEqual({
      id: 'alert:e1',
      slotId: 'e1',
      source: { kind: 'alert', alertId: 'e1', level: 'emergency' },
      campaignId: null,
      stationId: 's1',
      clipIds: ['clip-e1'],
      localDate: '2021-09-24',
      localTime: '10:05:00',
      startsAt: t('10:05'),
      endsAt: t('10:06'),
      status: 'scheduled',
    });
    expect(skipOf(get(out, S('s-10')))).toEqual({ code: 'preempted', by: 'emergency', entryId: 'alert:e1' });
    expect(outcome(get(out, S('s-10')))).toBe('emergency');
  });

  it('starts when its clip was ready, or when it went on air', () => {
    const ready = planWith({ id: 'e1', level: 'emergency', receivedAt: t('10:05'), readyAt: t('10:06') });
    expect(get(compile({ alerts: [ready] }), 'alert:e1').startsAt).toBe(t('10:06'));
    const started = { ...ready, startedAt: t('10:07') };
    expect(get(compile({ alerts: [started] }), 'alert:e1').startsAt).toBe(t('10:07'));
  });

  it('still plays inside a pause and a local quiet window, which hold everything else', () => {
    const out = compile({
      slots: [slot('s-10', '10:00'), slot('s-11', '11:00')],
      overrides: [
        overrideWith({ id: 'o-pause', kind: 'pause', startsAt: t('09:00'), endsAt: t('12:00') }),
        overrideWith({ id: 'o-quiet', kind: 'quiet', startsAt: t('09:00'), endsAt: t('12:00') }),
      ],
      alerts: [planWith({ id: 'e1', level: 'emergency', receivedAt: t('10:05') })],
    });
    expect(summary(out)).toEqual([
      `${S('s-10')} 03:00:00 emergency`,
      'alert:e1 03:05:00 scheduled',
      `${S('s-11')} 04:00:00 local-pause`,
    ]);
  });

  it('waits for the end of an online-class window, unless the sender said ignoreQuietWindows', () => {
    const plan = planWith({ id: 'e1', level: 'emergency', receivedAt: t('08:00') });
    const held = compile({ quietWindows: [onlineClass], alerts: [plan] });
    expect(get(held, 'alert:e1').startsAt).toBe(new Date(ms('11:30') + LEAD).toISOString());
    const loud = planWith({ id: 'e1', level: 'emergency', receivedAt: t('08:00'), ignoreQuietWindows: true });
    const out = compile({ quietWindows: [onlineClass], alerts: [loud] });
    expect(get(out, 'alert:e1')).toMatchObject({ startsAt: t('08:00'), status: 'scheduled' });
  });

  it("is skipped with the window's reason when the window outlasts its expiry", () => {
    const plan = planWith({ id: 'e1', level: 'emergency', receivedAt: t('08:00'), expiresAt: t('09:00') });
    const e = get(compile({ quietWindows: [onlineClass], alerts: [plan] }), 'alert:e1');
    expect(e.startsAt).toBe(t('08:00'));
    expect(skipOf(e)).toEqual({ code: 'quiet-window', quietWindowId: 'qw-hoc', quietReason: 'online-class' });
  });

  it('expired or cancelled: no play, nothing cut', () => {
    const expired = planWith({ id: 'e1', level: 'emergency', receivedAt: t('10:05'), expiresAt: t('10:05') });
    const cancelled = planWith({
      id: 'e2',
      level: 'emergency',
      receivedAt: t('10:06'),
      cancelledAt: t('10:06'),
    });
    const out = compile({ slots: [slot('s-10', '10:00')], alerts: [expired, cancelled] });
    expect(summary(out)).toEqual([
      `${S('s-10')} 03:00:00 scheduled`,
      'alert:e1 03:05:00 expired',
      'alert:e2 03:06:00 cancelled',
    ]);
  });

  it('a second emergency waits for the first to end', () => {
    const out = compile({
      alerts: [
        planWith({ id: 'e2', level: 'emergency', receivedAt: t('10:00:30') }),
        planWith({ id: 'e1', level: 'emergency', receivedAt: t('10:00') }),
      ],
    });
    expect(get(out, 'alert:e2').startsAt).toBe(new Date(ms('10:01') + TAIL + LEAD).toISOString());
  });

  it('cannot be skipped by ward staff, and only plays where it is addressed', () => {
    const skip = overrideWith({
      id: 'o-skip',
      kind: 'skip',
      entryId: 'alert:e1',
      startsAt: t('09:00'),
      endsAt: t('12:00'),
    });
    const out = compile({
      overrides: [skip],
      alerts: [planWith({ id: 'e1', level: 'emergency', receivedAt: t('10:05') })],
    });
    expect(outcome(get(out, 'alert:e1'))).toBe('scheduled');
    const elsewhere = planWith({
      id: 'e1',
      level: 'emergency',
      receivedAt: t('10:05'),
      targets: [{ scope: 'district', id: 'd2' }],
    });
    expect(compile({ alerts: [elsewhere] })).toEqual([]);
  });
});

describe('row 2: local stop or pause', () => {
  it('stop cuts the entry on air; the next one plays', () => {
    const stop = overrideWith({
      id: 'o-stop',
      kind: 'stop',
      entryId: S('s-10'),
      startsAt: t('10:03'),
      endsAt: t('10:10'),
    });
    const out = compile({
      slots: [slot('s-10', '10:00'), slot('s-1030', '10:30', 'clip-4p')],
      overrides: [stop],
    });
    expect(summary(out)).toEqual([`${S('s-10')} 03:00:00 local-stop`, `${S('s-1030')} 03:30:00 scheduled`]);
    expect(skipOf(get(out, S('s-10')))).toEqual({
      code: 'override',
      overrideId: 'o-stop',
      overrideKind: 'stop',
    });
  });

  it('pause skips every entry whose air time touches it, and no more', () => {
    const slots = [slot('s-09', '09:00'), slot('s-10', '10:00'), slot('s-12', '12:00')];
    // ends exactly where 12:00's warm-up begins: 12:00 plays
    const pause = overrideWith({ id: 'o-pause', kind: 'pause', startsAt: t('09:30'), endsAt: t('11:59:58') });
    expect(summary(compile({ slots, overrides: [pause] }))).toEqual([
      `${S('s-09')} 02:00:00 scheduled`,
      `${S('s-10')} 03:00:00 local-pause`,
      `${S('s-12')} 05:00:00 scheduled`,
    ]);
    const longer = { ...pause, endsAt: t('11:59:59') };
    expect(outcome(get(compile({ slots, overrides: [longer] }), S('s-12')))).toBe('local-pause');
  });

  it('has no effect when cancelled (here or at the controller), for another station, or of kind volume', () => {
    const slots = [slot('s-10', '10:00')];
    const base = { kind: 'pause' as const, startsAt: t('09:00'), endsAt: t('12:00') };
    const overrides = [
      overrideWith({ id: 'o-1', ...base, cancelledAt: t('09:30') }),
      overrideWith({ id: 'o-2', ...base, stationId: 's2' }),
      overrideWith({ id: 'o-3', ...base }),
      overrideWith({ id: 'o-4', ...base, kind: 'volume', volume: 0.5 }),
    ];
    const plain = compile({ slots });
    expect(compile({ slots, overrides, cancelledOverrides: ['o-3'] })).toEqual(plain);
    expect(outcome(get(compile({ slots, overrides }), S('s-10')))).toBe('local-pause');
  });
});

describe('row 3: local quiet window', () => {
  it('skips what touches it with local-quiet', () => {
    const q = overrideWith({ id: 'o-quiet', kind: 'quiet', startsAt: t('10:09'), endsAt: t('10:30') });
    const out = compile({ slots: [slot('s-10', '10:00'), slot('s-11', '11:00')], overrides: [q] });
    expect(summary(out)).toEqual([`${S('s-10')} 03:00:00 local-quiet`, `${S('s-11')} 04:00:00 scheduled`]);
  });
});

describe('row 4: quiet window', () => {
  it('keeps timetable entries, announcements and bulletins below an emergency off air', () => {
    const announce = overrideWith({
      id: 'a1',
      kind: 'announce',
      clip: clipRef('local-a1', 120_000),
      startsAt: t('08:00'),
      endsAt: t('08:02'),
    });
    const out = compile({
      slots: [slot('s-09', '09:00')],
      quietWindows: [onlineClass],
      overrides: [announce],
    });
    expect(summary(out)).toEqual([`local:a1 01:00:00 online-class`, `${S('s-09')} 02:00:00 online-class`]);
  });
});

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
