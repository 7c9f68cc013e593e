// The one precedence table between emergency bulletins, local overrides, priority bulletins, quiet windows
// and the timetable, the ranks the agent uses to decide what may cut what is on air, and the step of the
// compiler that follows the table (applyPrecedence).

import type { Alert, AlertPlan } from '../alerts.ts';
import type { StationInfo, TimetableEntry } from '../model.ts';
import type { QuietInterval } from '../timetable/expand.ts';
import { airOf, type Blocker, type Decided, fromEntry, hit, scheduled, toEntry, type Work } from './air.ts';
import { placeEmergencies, placeNormal, placePriority } from './bulletins.ts';
import { applySkips, placeAnnouncements, silences, skipFor, skipsByEntry } from './local.ts';
import type { PrecedenceRules } from './rules.ts';

/**
 * Highest first. `rank` orders what holds the air: an entry fired while one of a larger rank number is
 * on air cuts it; equal ranks follow the agent's slot-edge choice. `plays` says when it plays or what it
 * does, `cuts` what it cuts when it comes while something is on air, `keptOffBy` what keeps it off air.
 * docs/precedence.md ("## The table") shows this table cell for cell (a test checks it); applyPrecedence
 * follows it.
 */
export const PRECEDENCE = [
  {
    rank: 1,
    what: 'emergency bulletin, or a live session of any level',
    plays:
      'at once: from `startedAt ?? readyAt ?? receivedAt` until its `expiresAt`; a second emergency waits for the first to end',
    cuts: 'everything (a live session below emergency: all but emergencies, which it waits for)',
    keptOffBy:
      "the controller's quiet windows unless the sender set `ignoreQuietWindows` (it waits for the window's end if that comes before its expiry, else it is skipped with the window's reason); its expiry (`expired`); its cancellation (`cancelled`)",
  },
  {
    rank: 2,
    what: 'local stop or pause',
    plays:
      'silence from `startsAt` to `endsAt` (a stop ends when the entry it cut would have ended); entries that touch it are skipped `local-stop` or `local-pause`',
    cuts: 'everything below it',
    keptOffBy: 'nothing',
  },
  {
    rank: 3,
    what: 'local quiet window',
    plays: 'silence from `startsAt` to `endsAt`; entries that touch it are skipped `local-quiet`',
    cuts: '-',
    keptOffBy: '-',
  },
  {
    rank: 4,
    what: 'quiet window',
    plays:
      'silence on its days and hours; entries that touch it are skipped with its reason (`online-class` ...)',
    cuts: '-',
    keptOffBy: '-',
  },
  {
    rank: 5,
    what: 'priority bulletin',
    plays:
      "first in the station's next session after it was received: where the session's first entry started; that session's entries move later by its length + warm-up + tail (an entry moved into a silence, a quiet window or another entry is skipped with that reason). With no session starting before its expiry (at most 7 days ahead) whose spot is clear, at the first instant from reception clear of rows 1-4 and of other entries",
    cuts: '-',
    keptOffBy:
      "rows 1-4 (the session's spot must be clear of them), its expiry (`expired`), its cancellation (`cancelled`)",
  },
  {
    rank: 6,
    what: 'local announcement',
    plays: "at its `startsAt`, for its clip's length",
    cuts: 'timetable entries and normal bulletins: those whose air time overlaps it are skipped `local-announcement`',
    keptOffBy: 'rows 1-5 (skipped with their reason); an earlier announcement it overlaps (`overlap`)',
  },
  {
    rank: 7,
    what: 'local skip',
    plays:
      'the named entry is skipped (`local-skip`); for a normal bulletin (`alert:<id>`) this declines it; an emergency or priority bulletin cannot be skipped (ignored)',
    cuts: '-',
    keptOffBy: '-',
  },
  {
    rank: 8,
    what: 'timetable entry',
    plays: 'as compiled: earlier start wins, priority breaks ties, flexible slots go around fixed ones',
    cuts: '-',
    keptOffBy: 'rows 1-7',
  },
  {
    rank: 9,
    what: 'normal bulletin',
    plays:
      "last in the station's next session after it was received: warm-up + tail after the session's last entry ends (after an earlier normal bulletin there)",
    cuts: '-',
    keptOffBy:
      'everything above: if its spot is not clear (a silence, a quiet window, another entry) it is skipped with that reason; no session, or a spot not before its expiry (`expired`); its cancellation (`cancelled`)',
  },
] as const;

/** An emergency bulletin's rank: nothing cuts it, ward staff cannot stop, skip or silence it. */
export const EMERGENCY_RANK = 1;

/** The precedence rank of an entry that plays: 1 emergency, 5 priority, 6 announcement, 8 slot, 9 normal. */
export function entryRank(e: Pick<TimetableEntry, 'source'>): number {
  const s = e.source;
  if (!s) return 8;
  if (s.kind === 'announcement') return 6;
  return s.level === 'emergency' ? EMERGENCY_RANK : s.level === 'priority' ? 5 : 9;
}

/** Entries less than this far apart form one session; the air-time policy's default sessionGapMinutes. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60_000;

export type { AlertPlan } from '../alerts.ts';
export type { Decided } from './air.ts';
export { type PrecedenceInput, type PrecedenceRules, precedenceRules } from './rules.ts';

export interface PrecedenceOptions {
  station: StationInfo;
  /** The controller's quiet windows, expanded over every instant the rules reach. */
  quiet: QuietInterval[];
  leadMs: number;
  tailMs: number;
  sessionGapMs: number;
}

/**
 * The compiled slot entries (decided as the compiler does: quiet windows, overlaps, flexible placement)
 * with the overrides and bulletins applied, row by row of PRECEDENCE: emergencies; the slot entries they,
 * a stop or pause, or a local quiet window keep off air; priority bulletins and the sessions they move;
 * announcements; skips; normal bulletins. Returns every entry (with its sound's start and end, ms),
 * unsorted and uncut.
 */
export function applyPrecedence(
  entries: Decided[],
  rules: PrecedenceRules,
  options: PrecedenceOptions,
): Decided[] {
  const { station } = options;
  const m = { lead: options.leadMs, tail: options.tailMs };
  const ctx = { stationId: station.id, tz: station.timezone, m, gapMs: options.sessionGapMs };
  // speaking live cannot wait for a session: a live session of any level goes on air at once (row 1),
  // clear of emergencies and quiet windows unless an emergency overrides them; its level names the cut
  const live = (p: AlertPlan) => p.alert.live !== undefined && p.alert.level !== 'emergency';
  const level = (l: Alert['level']) => rules.alerts.filter((p) => p.alert.level === l && !live(p));
  // entries the compiler skipped keep their reason: only scheduled ones are worked on
  const slots: Work[] = [];
  const skipped: Decided[] = [];
  for (const d of entries) {
    if (d.entry.status === 'scheduled') slots.push(fromEntry(d, entryRank(d.entry)));
    else skipped.push(d);
  }
  const own = rules.alerts.length > 0 || rules.overrides.some((o) => o.kind === 'announce');
  const quiet: Blocker[] = own
    ? options.quiet.map((q) => ({
        start: q.start,
        end: q.end,
        skip: { code: 'quiet-window', quietWindowId: q.window.id, quietReason: q.window.reason },
      }))
    : [];
  const stopPause = silences(rules.overrides, ['stop', 'pause']);
  const localQuiet = silences(rules.overrides, ['quiet']);

  const emergencyAir: Blocker[] = [];
  const emergencies = [
    ...placeEmergencies(level('emergency'), quiet, emergencyAir, ctx),
    ...placeEmergencies(rules.alerts.filter(live), quiet, emergencyAir, ctx),
  ];
  // rows 1-3 over the compiled entries (row 4, quiet windows, the compiler has applied)
  const rows1to3 = [emergencyAir, stopPause, localQuiet].filter((l) => l.length > 0);
  if (rows1to3.length > 0) {
    for (const w of slots) {
      const b = hit(w.start, w.end, rows1to3, m);
      if (b) w.skip = b.skip;
    }
  }
  const rows1to4 = [emergencyAir, stopPause, localQuiet, quiet];
  const priorityAir: Blocker[] = [];
  const priority = placePriority(level('priority'), rows1to4, priorityAir, slots, ctx);
  const announcementAir: Blocker[] = [];
  const announcements = placeAnnouncements(
    rules.overrides,
    [...rows1to4, priorityAir],
    announcementAir,
    slots,
    ctx,
  );
  const skips = skipsByEntry(rules.overrides);
  applySkips(skips, slots);
  const normals = level('normal');
  const slotAir = normals.length
    ? slots.filter(scheduled).map((w) => airOf(w, { code: 'overlap', entryId: w.fields.id }, m))
    : [];
  const normal = placeNormal(
    normals,
    [...rows1to4, priorityAir, announcementAir, slotAir],
    slots,
    (id, from, to) => skipFor(skips, id, [[from, to]]),
    ctx,
  );
  return [
    ...skipped,
    ...[...slots, ...emergencies, ...priority, ...announcements, ...normal].map((w) =>
      toEntry(w, station.timezone),
    ),
  ];
}
