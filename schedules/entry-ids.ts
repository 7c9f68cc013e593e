// Timetable entry ids, built and read in one place: `slotId@localDate` for a slot's entry,
// `alert:<alertId>` for a bulletin, `local:<overrideId>` for a local announcement. Ids themselves hold
// neither '@' nor ':' (model.ts Id), so each form reads back unambiguously.

export type EntryIdParts =
  | { kind: 'slot'; slotId: string; localDate: string }
  | { kind: 'alert'; alertId: string }
  | { kind: 'announcement'; overrideId: string };

const ALERT = 'alert:';
const LOCAL = 'local:';

export const slotEntryId = (slotId: string, localDate: string): string => `${slotId}@${localDate}`;
export const alertEntryId = (alertId: string): string => `${ALERT}${alertId}`;
export const announcementEntryId = (overrideId: string): string => `${LOCAL}${overrideId}`;

/** What an entry id names, or null if it is none of the three forms. */
export function parseEntryId(entryId: string): EntryIdParts | null {
  if (entryId.startsWith(ALERT)) return { kind: 'alert', alertId: entryId.slice(ALERT.length) };
  if (entryId.startsWith(LOCAL)) return { kind: 'announcement', overrideId: entryId.slice(LOCAL.length) };
  const at = entryId.indexOf('@');
  if (at < 0) return null;
  return { kind: 'slot', slotId: entryId.slice(0, at), localDate: entryId.slice(at + 1) };
}

/** The bulletin an entry id names, or null for a slot's entry or an announcement. */
export function alertIdOf(entryId: string): string | null {
  const p = parseEntryId(entryId);
  return p?.kind === 'alert' ? p.alertId : null;
}
