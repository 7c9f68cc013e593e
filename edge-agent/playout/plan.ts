// The runner's plan as data: from the stored desired state, the overrides, the bulletins, the time and what
// is already done, the timetable and the steps that carry it out (report what was missed, arm the rest).
// Pure: tested with plain values, then executed by the runner.
import type { AlertPlan } from '../../schedules/alerts.ts';
import type { ClipRef, DesiredState, TimetableEntry } from '../../schedules/model.ts';
import type { Override } from '../../schedules/overrides.ts';
import { addDays, utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';
import type { AgentConfig } from '../config/config.ts';

/** An entry is taken in hand this long before its warm-up, to verify its clips in time. */
export const PREPARE_MS = 10_000;

const HOUR = 3_600_000;

export type PlanConfig = Pick<AgentConfig, 'warmUpMs' | 'tailMs' | 'graceMs' | 'horizonHours' | 'timezone'> &
  Partial<Pick<AgentConfig, 'warmUpByLevel'>>;

/** An entry's warm-up: a bulletin's by its level where the config sets one, else the station's. */
export const warmUpFor = (e: TimetableEntry, config: Pick<PlanConfig, 'warmUpMs' | 'warmUpByLevel'>) =>
  (e.source?.kind === 'alert' ? config.warmUpByLevel?.[e.source.level] : undefined) ?? config.warmUpMs;

export interface TimetableInput {
  desired: DesiredState;
  overrides: readonly Override[];
  alerts: readonly AlertPlan[];
  config: PlanConfig;
}

/** The timetable of [from, to) from the desired state, the overrides and the bulletins, and its clips. */
export function compileFor(input: TimetableInput, from: Date, to: Date) {
  const { desired, config } = input;
  const overrides = [...input.overrides];
  const alerts = [...input.alerts];
  const more = [
    ...alerts.flatMap((a) => (a.alert.clip ? [a.alert.clip] : [])),
    ...overrides.flatMap((o) => (o.clip ? [o.clip] : [])),
  ];
  const clipRefs = new Map([...desired.clips, ...more].map((c) => [c.id, c]));
  const station = { ...desired.station, timezone: config.timezone ?? desired.station.timezone };
  const compiled = { ...desired, station, clips: [...clipRefs.values()], overrides, alerts };
  const options = { from, to, leadMs: config.warmUpMs, tailMs: config.tailMs };
  return { entries: compileTimetable(compiled, options), clipRefs: clipRefs as ReadonlyMap<string, ClipRef> };
}

/** Why an entry whose time passed before it was armed is recorded missed. */
export type MissedReason = 'clock-untrusted' | 'agent-offline' | 'late';

const MISSED: Record<MissedReason, string> = {
  'clock-untrusted': 'the agent was waiting for a trusted clock',
  'agent-offline': 'the agent was not running',
  late: 'its time passed before it could be started',
};

export type Step =
  /** Record a scheduled entry whose time passed as missed. */
  | { action: 'report-missed'; entry: TimetableEntry; reason: MissedReason; detail: string }
  /** Record an entry the compiler skipped, its time having passed. */
  | { action: 'report-skipped'; entry: TimetableEntry }
  /** Take the entry in hand at `at` (a skipped one: report it then). */
  | { action: 'arm-entry'; entry: TimetableEntry; at: number }
  /** Record nothing yet: a forward step of the wall clock passed its time, and a step back may follow. */
  | { action: 'hold-in-doubt'; entry: TimetableEntry }
  /** Plan again at `at` (the next hour, the next local midnight). */
  | { action: 'arm-replan'; at: number };

export interface PlanInput extends TimetableInput {
  now: number;
  /** Entries never to arm again: started or finished, or already taken in hand. */
  settled(entryId: string): boolean;
  /** Until the first plan with a trusted clock, what fell due before it was missed while down or waiting. */
  firstPlan: boolean;
  /** Since when the agent is up (at the first plan; else now). */
  upSince: number;
  /** When the runner was last known to be alive, as stored. */
  aliveAt: number;
  /** Wall-clock spans forward steps jumped over: held ones are in doubt (a wrong time may be corrected soon after). */
  doubt?: readonly { fromMs: number; toMs: number; held: boolean }[];
}

export interface Plan {
  /** The desired state's version, for the as-run records. */
  version: number;
  entries: TimetableEntry[];
  clipRefs: ReadonlyMap<string, ClipRef>;
  /** Each slot's own volume factor. */
  slotVolume: ReadonlyMap<string, number>;
  /** The longest scheduled entry's sound (ms). */
  longestMs: number;
  steps: Step[];
}

/** A plan that holds nothing (the clock is not trusted): the desired state's version only. */
export const idlePlan = (version: number): Plan => ({
  version,
  entries: [],
  clipRefs: new Map(),
  slotVolume: new Map(),
  longestMs: 0,
  steps: [],
});

function missed(e: TimetableEntry, start: number, input: PlanInput): Step {
  if (e.status === 'skipped') return { action: 'report-skipped', entry: e };
  const reason: MissedReason =
    input.firstPlan && start >= input.upSince
      ? 'clock-untrusted'
      : input.firstPlan && start >= input.aliveAt
        ? 'agent-offline'
        : 'late';
  return { action: 'report-missed', entry: e, reason, detail: MISSED[reason] };
}

/** The plan from `input.now` over the horizon, reaching back to when the runner was last alive (a day at most). */
export function makePlan(input: PlanInput): Plan {
  const { desired, config, now } = input;
  // What a step in doubt jumped over is compiled too, so that it is recorded once the doubt is over.
  const doubtFrom = Math.min(...(input.doubt ?? []).map((d) => d.fromMs - config.graceMs));
  const from = Math.min(
    now - config.graceMs,
    Math.max(Math.min(input.aliveAt, input.upSince, doubtFrom), now - 24 * HOUR),
  );
  const { entries, clipRefs } = compileFor(input, new Date(from), new Date(now + config.horizonHours * HOUR));
  const steps: Step[] = [];
  for (const e of entries) {
    if (input.settled(e.id)) continue;
    const start = Date.parse(e.startsAt);
    const stepped = input.doubt?.some((d) => d.held && start >= d.fromMs - config.graceMs && start < d.toMs);
    if (start < now - config.graceMs && stepped) steps.push({ action: 'hold-in-doubt', entry: e });
    else if (start < now - config.graceMs) steps.push(missed(e, start, input));
    else {
      const at = e.status === 'skipped' ? start : start - warmUpFor(e, config) - PREPARE_MS;
      steps.push({ action: 'arm-entry', entry: e, at });
    }
  }
  const tz = config.timezone ?? desired.station.timezone;
  const nextHour = Math.floor(now / HOUR) * HOUR + HOUR;
  const midnight = zonedToUtc(addDays(utcToZoned(new Date(now), tz).date, 1), '00:00', tz).getTime();
  for (const at of new Set([nextHour, midnight])) steps.push({ action: 'arm-replan', at });
  const duration = (e: TimetableEntry) => Date.parse(e.endsAt) - Date.parse(e.startsAt);
  return {
    version: desired.version,
    entries,
    clipRefs,
    slotVolume: new Map(desired.slots.flatMap((s) => (s.volume === undefined ? [] : [[s.id, s.volume]]))),
    longestMs: Math.max(0, ...entries.filter((e) => e.status === 'scheduled').map(duration)),
    steps,
  };
}

/** How many entries a plan holds, arms and holds in doubt, for the log. */
export function planSummary(plan: Plan): string {
  const count = (a: Step['action']) => plan.steps.filter((s) => s.action === a).length;
  const held = count('hold-in-doubt');
  const inDoubt = held ? `, ${held} held while a clock step is in doubt` : '';
  return `${plan.entries.length} entries, ${count('arm-entry')} armed${inDoubt}`;
}
