// Local overrides by ward staff: validated, stored on the agent (they survive a reboot), ended by time or cancel.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { announcementEntryId } from '../schedules/entry-ids.ts';
import type { ClipRef, TimetableEntry } from '../schedules/model.ts';
import {
  Override,
  type OverrideKind,
  type OverrideReport,
  overrideActive,
  overrideProblem,
} from '../schedules/overrides.ts';
import { EMERGENCY_RANK, entryRank } from '../schedules/precedence/precedence.ts';
import { type ReasonCode, reasonText } from '../schedules/reason-words.ts';
import type { AgentBus } from './bus.ts';
import type { AgentConfig } from './config/config.ts';
import { recentOverrides } from './playout/inputs.ts';
import type { Runner } from './playout/runner.ts';
import type { AgentStore } from './state/store.ts';

export class OverrideError extends Error {
  override name = 'OverrideError';
  /** The refusal in both languages, for ward staff on the station page (English alone when unset). */
  readonly words: { vi: string; en: string } | null;
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    vi?: string,
  ) {
    super(message);
    this.words = vi ? { vi, en: message } : null;
  }
}

export interface OverrideInput {
  kind: OverrideKind;
  /** Who makes it: the name given when signing in on the station's page. */
  createdBy: string;
  reason: string;
  /** ISO; default now (a stop is always now). */
  startsAt?: string;
  /** Required for pause, quiet and volume; worked out for stop, skip and announce. */
  endsAt?: string;
  entryId?: string;
  clipId?: string;
  volume?: number;
}

export interface OverrideDeps {
  stationId: string;
  config: Pick<AgentConfig, 'warmUpMs' | 'tailMs'>;
  clock: Clock;
  store: AgentStore;
  log: Logger;
  bus: AgentBus;
  /** The entry in hand, the plan's entries and the timetable as the runner compiles it. */
  runner: Pick<Runner, 'inHand' | 'entry' | 'timetable'>;
  /** A clip the station can play: from the desired state or recorded at the station. */
  clip(id: string): ClipRef | null;
}

const DAY = 24 * 3_600_000;
const OWNER = 'overrides';
const iso = (ms: number) => new Date(ms).toISOString();
const isEmergency = (e: TimetableEntry | null) => e !== null && entryRank(e) === EMERGENCY_RANK;
/** The overrides that silence the station, and how the as-run detail words a cut by them. */
const SILENCE: Partial<Record<OverrideKind, { reason: ReasonCode; words: string }>> = {
  stop: { reason: 'local-stop', words: 'stopped' },
  pause: { reason: 'local-pause', words: 'paused' },
  quiet: { reason: 'local-quiet', words: 'local quiet window' },
};

export function createOverrides(deps: OverrideDeps) {
  const { config, clock, store, runner, bus } = deps;
  const list = () => recentOverrides(store, clock.now().getTime());

  /** A timetable entry by id: of the plan in force, else as compiled for the next two days. */
  function entry(id: string): TimetableEntry | null {
    const now = clock.now();
    const soon = () => runner.timetable(now, new Date(now.getTime() + 2 * DAY));
    return runner.entry(id) ?? soon().find((e) => e.id === id) ?? null;
  }

  /** The entry an announcement would get, compiled with it; null if it falls outside the timetable's range. */
  function announcementEntry(o: Override): TimetableEntry | null {
    const span = runner.timetable(new Date(Date.parse(o.startsAt) - 1000), new Date(Date.parse(o.endsAt)), [
      o,
    ]);
    return span.find((e) => e.id === announcementEntryId(o.id)) ?? null;
  }

  /** Stored: a silence in force now cuts what is on air (never an emergency); then re-plan and report. */
  function applied(o: Override): void {
    const silence = SILENCE[o.kind];
    const held = runner.inHand();
    if (silence && overrideActive(o, clock.now().getTime()) && held && !isEmergency(held)) {
      const detail = `${silence.words} by ${o.createdBy}: ${o.reason}`;
      bus.emit('cutRequested', { entryId: held.id, outcome: 'interrupted', reason: silence.reason, detail });
    }
    const who = o.cancelledAt ? `cancelled by ${o.cancelledBy}` : `by ${o.createdBy}`;
    deps.log.info(`override ${o.id} (${o.kind}) ${who}: ${o.reason}`);
    bus.emit('overrideChanged', o);
  }

  /** Fills in the times and targets each kind works out for itself; refuses what cannot be. */
  function complete(input: OverrideInput, now: number) {
    const startsAt = input.kind === 'stop' ? iso(now) : (input.startsAt ?? iso(now));
    switch (input.kind) {
      case 'stop': {
        const e = runner.inHand();
        if (!e) throw new OverrideError(409, 'nothing is playing', 'Hiện không có gì đang phát.');
        if (isEmergency(e))
          throw new OverrideError(
            409,
            'an emergency bulletin is on air; it cannot be stopped at the station',
            'Đang phát bản tin khẩn cấp: không dừng được tại đài.',
          );
        // an entry that runs past its planned end (a late start, a slot edge that lets it finish) is stopped
        // until its tail from now at least
        const endsAt = Math.max(Date.parse(e.endsAt), now) + config.tailMs;
        return { startsAt, endsAt: iso(endsAt), entryId: e.id };
      }
      case 'skip': {
        const e = input.entryId ? entry(input.entryId) : null;
        if (!e)
          throw new OverrideError(
            404,
            `no entry ${input.entryId ?? '(none given)'} in the timetable`,
            'Không có lượt phát này trong lịch của đài.',
          );
        if (e.source?.kind === 'alert' && e.source.level !== 'normal')
          throw new OverrideError(
            409,
            `a ${e.source.level} bulletin cannot be skipped or declined`,
            'Bản tin ưu tiên hoặc khẩn cấp không bỏ qua hay từ chối được.',
          );
        if (runner.inHand()?.id === e.id)
          throw new OverrideError(
            409,
            'this entry is on air: stop it instead',
            'Lượt này đang phát: hãy dùng nút dừng phát.',
          );
        if (Date.parse(e.startsAt) <= now)
          throw new OverrideError(409, 'this entry has already started', 'Lượt phát này đã bắt đầu.');
        return { startsAt, endsAt: iso(Date.parse(e.endsAt) + config.tailMs), entryId: e.id };
      }
      case 'announce': {
        const clip = input.clipId ? deps.clip(input.clipId) : null;
        if (!clip)
          throw new OverrideError(
            404,
            `no clip ${input.clipId ?? '(none given)'} on this station`,
            'Đài chưa có tệp âm thanh này.',
          );
        const start = Date.parse(startsAt);
        if (start < now - 60_000)
          throw new OverrideError(400, 'startsAt is already past', 'Thời điểm đã chọn đã qua.');
        return { startsAt, endsAt: iso(start + clip.durationMs + config.tailMs), clip };
      }
      default:
        if (!input.endsAt)
          throw new OverrideError(
            400,
            `a ${input.kind} override needs endsAt`,
            'Hãy chọn thời điểm kết thúc.',
          );
        return { startsAt, endsAt: input.endsAt };
    }
  }

  function cancel(id: string, by: string): Override {
    const o = store.getOverride(id);
    if (!o) throw new OverrideError(404, `no override ${id}`, 'Không tìm thấy lệnh điều khiển này.');
    const now = clock.now().getTime();
    if (o.cancelledAt !== null || Date.parse(o.endsAt) <= now)
      throw new OverrideError(409, `override ${id} has already ended`, 'Lệnh điều khiển này đã kết thúc.');
    const cancelled = { ...o, cancelledAt: iso(now), cancelledBy: by.slice(0, 120) };
    store.putOverride(cancelled);
    applied(cancelled);
    return cancelled;
  }

  return {
    /** Cancels, when a desired state is applied, the overrides the controller cancelled. */
    start(): void {
      bus.on('desiredApplied', OWNER, ({ state }) => {
        for (const id of state.cancelledOverrides ?? []) {
          const o = store.getOverride(id);
          if (o && o.cancelledAt === null && Date.parse(o.endsAt) > clock.now().getTime())
            cancel(id, 'controller');
        }
      });
    },
    stop(): void {
      bus.removeListeners(OWNER);
    },
    /** Not ended, or ended within the last week; newest first. */
    list,
    create(input: OverrideInput): Override {
      const now = clock.now().getTime();
      const parsed = Override.safeParse({
        id: `ov-${randomBytes(6).toString('hex')}`,
        stationId: deps.stationId,
        kind: input.kind,
        reason: input.reason,
        createdBy: input.createdBy,
        createdAt: iso(now),
        volume: input.volume ?? null,
        ...complete(input, now),
      });
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new OverrideError(
          400,
          `${i?.path.join('.') || 'override'}: ${i?.message}`,
          'Thông tin nhập chưa hợp lệ: hãy xem lại các ô.',
        );
      }
      const o = parsed.data;
      const problem = overrideProblem(o, new Date(now));
      if (problem) throw new OverrideError(400, problem.en, problem.vi);
      if (o.kind === 'announce') {
        const e = announcementEntry(o);
        if (e?.status === 'skipped')
          throw new OverrideError(
            409,
            `the announcement cannot play then: ${e.skip.code === 'quiet-window' ? `quiet window (${e.skip.quietReason})` : e.skip.code}`,
            `Thông báo không phát được vào lúc đó: ${reasonText('vi', e.skip.code === 'quiet-window' ? e.skip.quietReason : e.skip.code).toLocaleLowerCase('vi')}.`,
          );
      }
      store.putOverride(o);
      applied(o);
      return o;
    },
    cancel,
    report(): OverrideReport {
      return { at: clock.now().toISOString(), overrides: list().slice(0, 500) };
    },
  };
}

export type Overrides = ReturnType<typeof createOverrides>;
