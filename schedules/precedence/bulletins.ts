// Rows 1, 5 and 9 of the precedence table: where emergency, priority and normal bulletins play.

import type { AlertPlan } from '../alerts.ts';
import { alertEntryId } from '../entry-ids.ts';
import type { BlockReason } from '../model.ts';
import type { Override } from '../overrides.ts';
import { shapedMs, shapeFields } from '../repeat.ts';
import { isoInstant } from '../time.ts';
import {
  airOf,
  type Blocker,
  blockedBy,
  firstClear,
  hit,
  localAt,
  type Margins,
  newWork,
  scheduled,
  sessionsOf,
  type Work,
} from './air.ts';

/** A priority or normal bulletin waits for a session at most this long after it was received. */
export const BULLETIN_WAIT_MAX_MS = 7 * 86_400_000;

export interface BulletinContext {
  stationId: string;
  tz: string;
  m: Margins;
  gapMs: number;
}

/** Where an emergency goes on air when nothing holds it: when it started, or its clip was ready, or it came. */
export const emergencyStart = (p: AlertPlan) => Date.parse(p.startedAt ?? p.readyAt ?? p.receivedAt);

/** The entry of a bulletin, placed at `start` until decided otherwise. */
function bulletinWork(p: AlertPlan, start: number, ctx: BulletinContext): Work {
  const { alert } = p;
  // a live session lasts until it ends, at the latest until the bulletin expires
  const end = alert.clip
    ? start + shapedMs(alert.clip.durationMs, alert)
    : Math.max(start, Date.parse(alert.live?.endedAt ?? alert.expiresAt));
  const fields = {
    id: alertEntryId(alert.id),
    slotId: alert.id,
    source: { kind: 'alert', alertId: alert.id, level: alert.level } as const,
    campaignId: null,
    stationId: ctx.stationId,
    clipIds: alert.clip ? [alert.clip.id] : [],
    ...(alert.live ? { live: alert.live } : {}),
    ...(alert.clip ? shapeFields(alert) : {}),
    localDate: '',
    localTime: '',
    startsAt: '',
    endsAt: '',
  };
  const w = newWork(fields, alert.level === 'emergency' ? 1 : alert.level === 'priority' ? 5 : 9, start, end);
  return moveTo(w, start, ctx.tz);
}

/** Puts a bulletin at `start`, keeping its length. */
function moveTo(w: Work, start: number, tz: string): Work {
  w.end = start + (w.end - w.start);
  w.start = start;
  Object.assign(w.fields, localAt(start, tz));
  return w;
}

const cancelled = (p: AlertPlan) => p.alert.cancelledAt != null;
const expiry = (p: AlertPlan) => Date.parse(p.alert.expiresAt);

/**
 * Row 1: emergencies in order of their start (then id), each at the first instant from its start clear of
 * the emergencies before it and, unless the sender said ignoreQuietWindows, of the controller's quiet
 * windows; skipped when that instant is not before its expiry. Returns them and adds their air to `placed`.
 */
export function placeEmergencies(
  plans: AlertPlan[],
  quiet: Blocker[],
  placed: Blocker[],
  ctx: BulletinContext,
): Work[] {
  const out = plans.map((p) => ({ p, w: bulletinWork(p, emergencyStart(p), ctx) }));
  out.sort((a, b) => a.w.start - b.w.start || (a.w.fields.id < b.w.fields.id ? -1 : 1));
  for (const { p, w } of out) {
    const t0 = w.start;
    if (cancelled(p)) w.skip = { code: 'cancelled' };
    else if (t0 >= expiry(p)) w.skip = { code: 'expired' };
    else {
      const limit = Math.min(expiry(p), t0 + BULLETIN_WAIT_MAX_MS);
      const lists = p.alert.ignoreQuietWindows ? [placed] : [placed, quiet];
      const room = firstClear(t0, w.end - w.start, lists, limit, ctx.m);
      if (room.start === null) w.skip = room.blocker?.skip ?? { code: 'expired' };
      else {
        moveTo(w, room.start, ctx.tz);
        placed.push(airOf(w, blockedBy(w), ctx.m));
      }
    }
  }
  return out.map((o) => o.w);
}

const byReceived = (a: AlertPlan, b: AlertPlan) =>
  Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || (a.alert.id < b.alert.id ? -1 : 1);

/** Moves a session's entry later by `shift`, saying which bulletin moved it. */
function shiftEntry(x: Work, shift: number, by: string): void {
  x.start += shift;
  x.end += shift;
  const why: BlockReason = { code: 'overlap', entryId: by };
  const p = x.placement;
  x.placement = {
    requestedFrom: p?.requestedFrom ?? isoInstant(x.origStart),
    requestedUntil: isoInstant(Math.max(p ? Date.parse(p.requestedUntil) : 0, x.end)),
    movedBecause: [...(p?.movedBecause ?? []), why],
  };
}

/**
 * Row 5: each priority bulletin (by reception, then id) starts where the first entry of the first session
 * starting at or after its reception started, if that spot is clear of `above` (rows 1-4) and of the
 * other entries; the session's entries move later by its length plus lead and tail, and a moved entry that
 * then touches `above`, another entry or a bulletin is skipped with that reason. Without such a session
 * before its expiry it takes the first clear instant. Adds the scheduled ones' air to `placed`.
 */
export function placePriority(
  plans: AlertPlan[],
  above: Blocker[][],
  placed: Blocker[],
  slots: Work[],
  ctx: BulletinContext,
): Work[] {
  const { m } = ctx;
  const out: Work[] = [];
  for (const p of [...plans].sort(byReceived)) {
    const received = Date.parse(p.receivedAt);
    const w = bulletinWork(p, received, ctx);
    out.push(w);
    if (cancelled(p)) w.skip = { code: 'cancelled' };
    if (received >= expiry(p)) w.skip ??= { code: 'expired' };
    if (w.skip) continue;
    const limit = Math.min(expiry(p), received + BULLETIN_WAIT_MAX_MS);
    const length = w.end - w.start;
    const live = slots.filter(scheduled);
    const hard = [...above, placed];
    let session: Work[] | undefined;
    for (const s of sessionsOf(live, ctx.gapMs)) {
      const first = s[0] as Work;
      if (first.start < received) continue;
      if (first.start >= limit) break;
      const members = new Set(s);
      const others = live.filter((x) => !members.has(x)).map((x) => airOf(x, blockedBy(x), m));
      if (hit(first.start, first.start + length, [...hard, others], m)) continue;
      session = s;
      moveTo(w, first.start, ctx.tz);
      const shift = length + m.lead + m.tail;
      for (const x of s) shiftEntry(x, shift, w.fields.id);
      placed.push(airOf(w, blockedBy(w), m));
      for (const x of s) {
        const b = hit(x.start, x.end, [...above, placed, others], m);
        if (b) x.skip = b.skip;
      }
      break;
    }
    if (session) continue;
    const room = firstClear(
      received,
      length,
      [...hard, live.map((x) => airOf(x, blockedBy(x), m))],
      limit,
      m,
    );
    if (room.start === null) w.skip = room.blocker?.skip ?? { code: 'expired' };
    else {
      moveTo(w, room.start, ctx.tz);
      placed.push(airOf(w, blockedBy(w), m));
    }
  }
  return out;
}

/**
 * Row 9: each normal bulletin (by reception, then id) goes last in the first session starting at or after
 * its reception: lead + tail after the session's last entry (or the normal bulletin placed there before
 * it) ends. Skipped when declined (a skip override on its entry), when no session starts before its expiry,
 * when the spot is not before expiry, or with the reason of whatever the spot touches in `above`.
 */
export function placeNormal(
  plans: AlertPlan[],
  above: Blocker[][],
  slots: Work[],
  declined: (id: string, from: number, to: number) => Override | undefined,
  ctx: BulletinContext,
): Work[] {
  if (plans.length === 0) return [];
  const { m } = ctx;
  const sessions = sessionsOf(slots.filter(scheduled), ctx.gapMs);
  const ends = sessions.map((s) => Math.max(...s.map((x) => x.end)));
  const placed: Blocker[] = [];
  const out: Work[] = [];
  for (const p of [...plans].sort(byReceived)) {
    const received = Date.parse(p.receivedAt);
    const w = bulletinWork(p, received, ctx);
    out.push(w);
    const limit = Math.min(expiry(p), received + BULLETIN_WAIT_MAX_MS);
    const i = sessions.findIndex((s) => (s[0] as Work).start >= received);
    const first = sessions[i]?.[0];
    const found = first !== undefined && first.start < limit;
    // A withdrawn bulletin stays where it was received: where it would have gone depends on the
    // sessions compiled, and its record must not.
    if (cancelled(p)) {
      w.skip = { code: 'cancelled' };
      continue;
    }
    if (found) moveTo(w, (ends[i] as number) + m.tail + m.lead, ctx.tz);
    const decline = declined(w.fields.id, received, expiry(p));
    if (decline) w.skip = { code: 'override', overrideId: decline.id, overrideKind: 'skip' };
    else if (!found || w.start >= expiry(p)) w.skip = { code: 'expired' };
    else {
      const b = hit(w.start, w.end, [...above, placed], m);
      if (b) w.skip = b.skip;
      else {
        placed.push(airOf(w, blockedBy(w), m));
        ends[i] = w.end;
      }
    }
  }
  return out;
}
