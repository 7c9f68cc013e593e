// The stop button's consequences, shown before it acts (what it cuts, what it holds back, until when),
// and the stop itself: refused when an emergency is on air or what is on air changed since it was shown.
import { alertIdOf } from '../../schedules/entry-ids.ts';
import type { Override } from '../../schedules/overrides.ts';
import type { Session } from './auth.ts';
import { LocalError } from './errors.ts';
import { type EntryView, entryView } from './timetable.ts';
import type { LocalAgent, LocalDeps } from './types.ts';

const DAY = 24 * 3_600_000;

/** The emergency bulletin on air now, if one is. */
export function emergencyOnAir(agent: LocalAgent) {
  const playing = agent.status().playing;
  const alertId = playing ? alertIdOf(playing) : null;
  if (!alertId) return null;
  const held = agent.alerts().find((a) => a.alert.id === alertId);
  return held?.alert.level === 'emergency' ? held.alert : null;
}

export interface StopEffect {
  /** What is on air now (null: nothing to stop). */
  onAir: EntryView | null;
  /** The emergency bulletin on air, by title: it cannot be stopped here. */
  emergency: string | null;
  /** When the station plays again by itself (the end of the entry it cuts, and the tail). */
  until: string | null;
  /** The entries the stop holds back besides the one on air, in time order. */
  held: EntryView[];
  /** The first entry that still plays after it. */
  next: EntryView | null;
}

/** What a stop made now would do, compiled with the stop as if it were made (the one precedence step). */
export function stopEffect(deps: LocalDeps): StopEffect {
  const { agent, config, clock } = deps;
  const now = clock.now().getTime();
  const emergency = emergencyOnAir(agent);
  const playing = agent.status().playing;
  const from = new Date(now - DAY);
  const to = new Date(now + 2 * DAY);
  const onAirEntry = playing ? agent.timetable(from, to).find((e) => e.id === playing) : undefined;
  const onAir = onAirEntry ? entryView(onAirEntry) : null;
  if (!onAir || emergency)
    return { onAir, emergency: emergency?.title ?? null, until: null, held: [], next: null };
  const until = new Date(Date.parse(onAir.endsAt) + config.tailMs).toISOString();
  const trial: Override = {
    id: 'ov-stop-trial',
    stationId: config.stationId,
    kind: 'stop',
    startsAt: new Date(now).toISOString(),
    endsAt: until,
    reason: 'trial',
    createdBy: 'trial',
    createdAt: new Date(now).toISOString(),
    entryId: onAir.id,
    clip: null,
    volume: null,
    cancelledAt: null,
    cancelledBy: null,
  };
  const before = new Map(agent.timetable(new Date(now), to).map((e) => [e.id, e.status]));
  const after = agent.timetable(new Date(now), to, [trial]).filter((e) => e.id !== onAir.id);
  const held = after.filter((e) => e.status === 'skipped' && before.get(e.id) === 'scheduled').map(entryView);
  const next = after.find((e) => e.status === 'scheduled' && Date.parse(e.startsAt) > now);
  return { onAir, emergency: null, until, held, next: next ? entryView(next) : null };
}

/** The stop button, confirmed: `entryId` is what the confirmation showed on air. */
export function stopNow(
  deps: LocalDeps,
  session: Session,
  body: { reason: string; entryId?: string | null },
) {
  const { agent } = deps;
  const emergency = emergencyOnAir(agent);
  if (emergency)
    throw new LocalError(409, 'emergency_on_air', {
      vi: `Bản tin khẩn cấp "${emergency.title}" đang phát: không thể dừng tại đài.`,
      en: `The emergency bulletin "${emergency.title}" is on air; it cannot be stopped at the station.`,
    });
  const playing = agent.status().playing;
  if (!playing)
    throw new LocalError(409, 'nothing_on_air', {
      vi: 'Không có chương trình nào đang phát để dừng.',
      en: 'Nothing is on air to stop.',
    });
  if (body.entryId && body.entryId !== playing)
    throw new LocalError(409, 'on_air_changed', {
      vi: 'Chương trình đang phát đã thay đổi sau khi trang hiện xác nhận; hãy xem lại rồi bấm dừng lần nữa.',
      en: 'What is on air changed after the confirmation was shown; look again and press stop again.',
    });
  const override = agent.overrides.create({ kind: 'stop', createdBy: session.name, reason: body.reason });
  deps.log.info(`override ${override.id} (stop) by ${session.name}: ${override.reason}`);
  return override;
}
