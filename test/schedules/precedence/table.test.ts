// Example tests for the precedence table (schedules/precedence/precedence.ts): the table itself, and rows 1-4 (an
// emergency, a local stop or pause, a local quiet window, a quiet window), one or more tests a row.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_GAP_MINUTES } from '../../../schedules/policy.ts';
import { DEFAULT_SESSION_GAP_MS, PRECEDENCE } from '../../../schedules/precedence/precedence.ts';
import { slotWith } from '../fixtures.ts';
import { compile, get, LEAD, ms, outcome, S, skipOf, summary, TAIL, t } from './day.ts';
import { clipRef, onlineClass, overrideWith, planWith, slot } from './fixtures.ts';

describe('the table', () => {
  it('is the table in docs/precedence.md, row for row', () => {
    const doc = readFileSync(new URL('../../../docs/precedence.md', import.meta.url), 'utf8');
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

describe('any range', () => {
  it("counts an emergency days after the range that takes a normal bulletin's only session", () => {
    // Friday's normal bulletin waits for Monday 17:00, the one session before its expiry, which Monday's
    // emergency preempts: it expires where it was received, on Friday, whichever days are compiled.
    const at = (time: string, days: number) => new Date(ms(time) + days * 86_400_000).toISOString();
    const input = {
      slots: [slotWith({ id: 's-mon', startTime: '17:00', weekdays: [1] })],
      alerts: [
        planWith({ id: 'n1', level: 'normal', receivedAt: t('18:00'), expiresAt: at('17:05', 3) }),
        planWith({ id: 'e1', level: 'emergency', receivedAt: at('16:59:30', 3) }),
      ],
    };
    const friday = compile(input);
    expect(summary(friday)).toEqual(['alert:n1 11:00:00 expired']);
    const week = compile(input, { to: new Date(at('00:00', 4)) });
    expect(week.filter((e) => e.startsAt < at('00:00', 1))).toEqual(friday);
    expect(summary(week).slice(1)).toEqual([
      'alert:e1 09:59:30 scheduled',
      `s-mon@2021-09-27 10:00:00 emergency`,
    ]);
  });
});
