// Polling the province for what it offers (the device firmware polls too, and a commune's controller is
// often behind NAT: docs/province.md): its bulletins and its schedules, each item on its own, so one bad
// item is refused with its reason and the others still come in.
import type { Admission } from '../../clips/admit.ts';
import type { ControllerDeps } from '../../deps.ts';
import type { ProvinceClient } from '../client.ts';
import type { ProvinceSettings } from '../settings.ts';
import { addInbox, lastRefusedAt } from '../store.ts';
import { inward, itemsOf, ProvinceRefusal } from '../wire.ts';
import { digestOf, rawIdOf, takeBulletin } from './bulletins.ts';
import { cancelMissing, takeSchedule } from './schedules.ts';

/** A document refused is not tried again for this long, unless the province changes it. */
export const REFUSED_HOLD_MS = 60_000;

export interface PollResult {
  bulletins: number;
  schedules: number;
  cancelled: number;
  refused: number;
}

/**
 * One item: taken, or refused and recorded (once per hold) with its reason; an error that is not a
 * refusal (the database, a bug) goes up.
 */
async function one(
  deps: ControllerDeps,
  kind: 'bulletin' | 'schedule',
  raw: unknown,
  take: () => Promise<unknown>,
): Promise<'taken' | 'same' | 'refused'> {
  const digest = digestOf(raw);
  const refusedAt = lastRefusedAt(deps.db, digest);
  if (refusedAt && deps.clock.now().getTime() - Date.parse(refusedAt) < REFUSED_HOLD_MS) return 'same';
  try {
    return (await take()) === null ? 'same' : 'taken';
  } catch (e) {
    if (!(e instanceof ProvinceRefusal)) throw e;
    addInbox(deps.db, {
      kind,
      province_id: rawIdOf(raw, kind === 'bulletin' ? 'BanTinID' : 'LichPhatID'),
      digest,
      outcome: 'refused',
      reason: e.message,
      reason_vi: e.messageVi,
      alert_id: null,
      campaign_id: null,
      received_at: deps.clock.now().toISOString(),
    });
    deps.log.warn(`province ${kind} refused: ${e.message}`);
    return 'refused';
  }
}

/** The list at `path`, or a refusal of the whole answer when it is not a list. */
async function listAt(client: ProvinceClient, path: string): Promise<unknown[]> {
  const items = itemsOf(await client.list(path));
  if (!items)
    throw new ProvinceRefusal(
      `${path}: the answer is not a list (an array, or an object with Data)`,
      `${path}: câu trả lời không phải danh sách`,
    );
  return items;
}

/** MucDoUuTien of an item as sent, for the order they are taken in (an emergency first); 9 when unreadable. */
const rankOf = (settings: ProvinceSettings, raw: unknown) => {
  const v = (inward(settings, raw) as { MucDoUuTien?: unknown } | null)?.MucDoUuTien;
  return typeof v === 'number' ? v : 9;
};

/** Asks the province for its bulletins and takes them, emergencies first. */
export async function pollBulletins(
  deps: ControllerDeps,
  settings: ProvinceSettings,
  client: ProvinceClient,
  admission: () => Admission,
): Promise<Pick<PollResult, 'bulletins' | 'refused'>> {
  const out = { bulletins: 0, refused: 0 };
  const items = await listAt(client, settings.paths.bulletins);
  const ordered = items
    .map((raw, i) => ({ raw, i, rank: rankOf(settings, raw) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const { raw } of ordered) {
    const r = await one(deps, 'bulletin', raw, () => takeBulletin(deps, settings, admission, raw));
    if (r === 'taken') out.bulletins++;
    if (r === 'refused') out.refused++;
  }
  return out;
}

/** Asks the province for its schedules, takes them, and cancels those it no longer lists. */
export async function pollSchedules(
  deps: ControllerDeps,
  settings: ProvinceSettings,
  client: ProvinceClient,
  admission: () => Admission,
): Promise<Omit<PollResult, 'bulletins'>> {
  const out = { schedules: 0, cancelled: 0, refused: 0 };
  const listed = new Set<string>();
  for (const raw of await listAt(client, settings.paths.schedules)) {
    const id = rawIdOf(inward(settings, raw), 'LichPhatID');
    if (id) listed.add(id);
    const r = await one(deps, 'schedule', raw, () => takeSchedule(deps, settings, admission, raw));
    if (r === 'taken') out.schedules++;
    if (r === 'refused') out.refused++;
  }
  out.cancelled = cancelMissing(deps, listed).length;
  return out;
}
