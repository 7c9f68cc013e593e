// The runner's plan as data (edge-agent/playout/plan.ts), tested with plain values: no store, timers or mocks.
import { describe, expect, it } from 'vitest';
import { makePlan, type PlanInput, PREPARE_MS, type Step } from '../../../edge-agent/playout/plan.ts';
import type { AlertPlan } from '../../../schedules/alerts.ts';
import { alertRecord, clipBytes, clipRef, overrideRecord, STATION } from '../../support/records.ts';
import { desired, onlineClass, slot } from '../helpers.ts';

const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const ms = (local: string, date = '2025-03-03') => new Date(`${date}T${local}+07:00`).getTime();
const config = { warmUpMs: 2000, tailMs: 1000, graceMs: 60_000, horizonHours: 24, timezone: undefined };
const state = desired(3, {
  slots: [
    slot('sang', '07:00', [clip.id]),
    slot('chin-gio', '09:00', [clip.id]),
    slot('trua', '12:00', [clip.id], { volume: 0.5 }),
  ],
  quietWindows: [onlineClass],
  clips: [clip],
});

/** A plan at `now` for a runner that has been up and alive all along. */
const input = (now: number, extra: Partial<PlanInput> = {}): PlanInput => ({
  desired: state,
  overrides: [],
  alerts: [],
  config,
  now,
  settled: () => false,
  firstPlan: false,
  upSince: now,
  aliveAt: now,
  ...extra,
});

/** The steps in short: what each does, to which entry, when. */
const brief = (steps: Step[]) =>
  steps.map((s) =>
    s.action === 'arm-replan'
      ? [s.action, new Date(s.at).toISOString()]
      : s.action === 'arm-entry'
        ? [s.action, s.entry.id, new Date(s.at).toISOString()]
        : s.action === 'report-missed'
          ? [s.action, s.entry.id, s.reason]
          : [s.action, s.entry.id],
  );
const iso = (local: string, date?: string) => new Date(ms(local, date)).toISOString();

describe('the runner plan', () => {
  it('arms each entry at its warm-up less the preparation, a skipped one at its time, and the next re-plans', () => {
    // the horizon (24 h) ends before tomorrow's 07:00
    const plan = makePlan(input(ms('06:30')));
    const armAt = (local: string) => new Date(ms(local) - config.warmUpMs - PREPARE_MS).toISOString();
    expect(brief(plan.steps)).toEqual([
      ['arm-entry', 'sang@2025-03-03', armAt('07:00')],
      ['arm-entry', 'chin-gio@2025-03-03', iso('09:00')], // in the online class: reported skipped then
      ['arm-entry', 'trua@2025-03-03', armAt('12:00')],
      ['arm-replan', iso('07:00')],
      ['arm-replan', iso('00:00', '2025-03-04')],
    ]);
    expect(plan.version).toBe(3);
    expect(plan.slotVolume).toEqual(new Map([['trua', 0.5]]));
    expect(plan.longestMs).toBe(30_000);
    expect(plan.clipRefs.get(clip.id)).toEqual(clip);
  });

  it('arms nothing twice: settled entries get no step', () => {
    const plan = makePlan(input(ms('06:30'), { settled: (id) => id.startsWith('sang@') }));
    expect(brief(plan.steps).map(([, id]) => id)).not.toContain('sang@2025-03-03');
    expect(plan.entries.map((e) => e.id)).toContain('sang@2025-03-03');
  });

  it('reports what fell due before the plan: missed while waiting for the clock, while down, or late', () => {
    const now = ms('12:30');
    const reasons = (extra: Partial<PlanInput>) =>
      brief(makePlan(input(now, extra)).steps).filter(([action]) => action?.startsWith('report'));
    // up since 08:00, last alive at 06:00: the 07:00 entry fell while down, 12:00 while waiting for the clock
    expect(reasons({ firstPlan: true, upSince: ms('08:00'), aliveAt: ms('06:00') })).toEqual([
      ['report-missed', 'sang@2025-03-03', 'agent-offline'],
      ['report-skipped', 'chin-gio@2025-03-03'],
      ['report-missed', 'trua@2025-03-03', 'clock-untrusted'],
    ]);
    // a later plan (a clock jump) reaches back a day at most and calls whatever it finds late
    expect(reasons({ upSince: now, aliveAt: ms('06:00') })).toEqual([
      ['report-missed', 'sang@2025-03-03', 'late'],
      ['report-skipped', 'chin-gio@2025-03-03'],
      ['report-missed', 'trua@2025-03-03', 'late'],
    ]);
    // within its grace an entry is still armed, not missed
    const inGrace = brief(makePlan(input(ms('12:00:30'))).steps);
    expect(inGrace[0]).toEqual(['arm-entry', 'trua@2025-03-03', iso('11:59:48')]);
  });

  it('plans the overrides and bulletins it is given by the precedence rules', () => {
    const now = ms('06:30');
    const pause = overrideRecord({
      id: 'ov-nghi',
      stationId: STATION,
      kind: 'pause',
      startsAt: iso('06:45'),
      endsAt: iso('07:30'),
      reason: 'đám tang',
      createdBy: 'Bà Lan',
      createdAt: iso('06:29'),
    });
    const alarm = clipRef('clip-canh-bao', clipBytes('canh-bao'), 5000);
    const alert = alertRecord('al-lu', alarm, { issuedAt: iso('06:29'), expiresAt: iso('08:00') });
    const bulletin: AlertPlan = { alert, receivedAt: iso('06:29'), readyAt: iso('06:31') };
    const plan = makePlan(input(now, { overrides: [pause], alerts: [bulletin] }));
    const sang = plan.entries.find((e) => e.id === 'sang@2025-03-03');
    expect(sang).toMatchObject({ status: 'skipped', skip: { code: 'override', overrideKind: 'pause' } });
    expect(plan.entries.find((e) => e.id === 'alert:al-lu')).toMatchObject({
      status: 'scheduled',
      startsAt: iso('06:31'),
    });
    expect(plan.clipRefs.get(alarm.id)).toEqual(alarm);
  });
});
