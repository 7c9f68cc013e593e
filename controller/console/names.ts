// What people read where the records hold ids: a timetable entry (`slot-…@2026-12-05`, `alert:…`,
// `local:…`) named by its campaign, clips and local day, or its bulletin's title; an audit entry's object
// (slot, clip, campaign, area, station, bulletin, ...) and actor by name. Looked up through the API with
// the person's own session, only for the few a page shows; the id stays for `title=`.
import { parseEntryId } from '../../schedules/entry-ids.ts';
import type { Page } from './context.ts';
import { dayText } from './local-time.ts';

type Lookup = (path: string) => Promise<Record<string, unknown> | null>;

/** GET through the API, each path once, answering null for anything but 200. */
function lookup(page: Page): Lookup {
  const cache = new Map<string, Promise<Record<string, unknown> | null>>();
  return (path) => {
    let hit = cache.get(path);
    if (!hit) {
      hit = page.api('GET', path).then((r) => (r.status === 200 ? r.body : null));
      cache.set(path, hit);
    }
    return hit;
  };
}

/** Names for the given entry ids: `name(id)` answers a name, or the id itself when it cannot be read. */
export async function entryNames(page: Page, entryIds: (string | null | undefined)[]) {
  const get = lookup(page);
  const names = new Map<string, string>();
  await Promise.all(
    [...new Set(entryIds.filter((x): x is string => !!x))].map(async (id) => {
      const name = await nameOf(page, get, id);
      if (name) names.set(id, name);
    }),
  );
  return (id: string) => names.get(id) ?? id;
}

async function nameOf(page: Page, get: Lookup, entryId: string): Promise<string | null> {
  const p = parseEntryId(entryId);
  if (!p) return null;
  if (p.kind === 'announcement') return page.t('override.announce');
  if (p.kind === 'alert') {
    const a = await get(`/api/alerts/${encodeURIComponent(p.alertId)}`);
    return a ? `${page.t('alerts')}: ${String(a.title)}` : null;
  }
  const slot = await get(`/api/slots/${encodeURIComponent(p.slotId)}`);
  if (!slot) return null;
  const [campaign, ...clips] = await Promise.all([
    get(`/api/campaigns/${encodeURIComponent(String(slot.campaignId))}`),
    ...((slot.clipIds as string[]) ?? []).map((k) => get(`/api/clips/${encodeURIComponent(k)}`)),
  ]);
  const titles = clips.map((k, i) => (k ? String(k.title) : (slot.clipIds as string[])[i])).join(', ');
  const what = campaign ? `${String(campaign.name)}: ${titles}` : titles;
  return `${what} (${String(slot.startTime).slice(0, 5)} ${dayText(p.localDate).slice(0, 5)})`;
}

/** Where an audit entry's object (by the API's tag) is read, and the field that names it. */
const OBJECT_READS: Record<string, [string, string]> = {
  clips: ['/api/clips/', 'title'],
  campaigns: ['/api/campaigns/', 'name'],
  alerts: ['/api/alerts/', 'title'],
  stations: ['/api/stations/', 'name'],
  areas: ['/api/areas/', 'name'],
};
/** What kind of object it is, for one that is gone (deleted) or has no name of its own. */
const OBJECT_WORDS: Record<string, [string, string]> = {
  slots: ['Khung giờ phát', 'Slot'],
  'quiet windows': ['Khung giờ không phát', 'Quiet window'],
  'air-time policies': ['Giới hạn thời lượng phát', 'Air-time limit'],
  clips: ['Tệp âm thanh', 'Clip'],
  campaigns: ['Đợt tuyên truyền', 'Campaign'],
  alerts: ['Bản tin', 'Bulletin'],
  stations: ['Đài', 'Station'],
  areas: ['Địa bàn', 'Area'],
  users: ['Người dùng', 'User'],
  overrides: ['Điều khiển tại đài', 'Local override'],
  backups: ['Bản sao lưu', 'Backup'],
  mobile: ['Loa di động', 'Mobile loudspeaker'],
};

/**
 * Names for audit objects ({type: the API's tag, id}) and actors (`user:<username>`, `station:<id>`):
 * `object(type, id)` and `actor(a)` answer what a person reads; a deleted object is its kind alone.
 */
export async function auditNames(
  page: Page,
  objects: { type: string; id: string | null }[],
  actors: string[],
) {
  const get = lookup(page);
  const names = new Map<string, string>();
  const kind = (type: string) => OBJECT_WORDS[type]?.[page.lang === 'vi' ? 0 : 1] ?? type;
  const key = (type: string, id: string) => `${type}\u0000${id}`;
  const nameOf = async (type: string, id: string): Promise<string> => {
    if (type === 'users') {
      // users are numbered; people know them by username (admins read the list, others see the kind)
      const list = (await get('/api/users')) as unknown;
      const items = (Array.isArray(list) ? list : ((list as { items?: unknown[] } | null)?.items ?? [])) as {
        id: unknown;
        username: string;
      }[];
      const user = items.find((u) => String(u.id) === id);
      return user ? `${kind(type)} ${user.username}` : kind(type);
    }
    if (type === 'slots' || type === 'quiet windows' || type === 'air-time policies') {
      const path = { slots: '/api/slots/', 'quiet windows': '/api/quiet-windows/' }[type as 'slots'];
      const rule = path ? await get(`${path}${encodeURIComponent(id)}`) : null;
      if (!rule) return kind(type);
      const campaign = rule.campaignId
        ? await get(`/api/campaigns/${encodeURIComponent(String(rule.campaignId))}`)
        : null;
      const at = String(rule.startTime ?? '').slice(0, 5);
      return [kind(type), at, campaign ? `· ${String(campaign.name)}` : ''].filter(Boolean).join(' ');
    }
    const read = OBJECT_READS[type];
    const body = read ? await get(`${read[0]}${encodeURIComponent(id)}`) : null;
    const name = body?.[read?.[1] as string] ?? (body?.station as { name?: string } | undefined)?.name;
    return name ? `${kind(type)} ${String(name)}` : kind(type);
  };
  await Promise.all(
    objects.map(async ({ type, id }) => {
      if (id && !names.has(key(type, id))) names.set(key(type, id), await nameOf(type, id));
    }),
  );
  const stations = new Map<string, string>();
  await Promise.all(
    [...new Set(actors.filter((a) => a.startsWith('station:')))].map(async (a) => {
      const s = await get(`/api/stations/${encodeURIComponent(a.slice(8))}`);
      stations.set(a, String((s?.name ?? (s?.station as { name?: string } | undefined)?.name) || a.slice(8)));
    }),
  );
  return {
    object: (type: string, id: string) => names.get(key(type, id)) ?? kind(type),
    actor: (a: string) =>
      a.startsWith('user:') ? a.slice(5) : (stations.get(a) ?? (a === 'anonymous' ? '-' : a)),
  };
}
