// A bulletin as a CAP 1.2 document (GET /api/alerts/:id, Accept: application/cap+xml): an Alert, or a
// Cancel referencing it once withdrawn; the elements in the order of the CAP 1.2 schema.
import { XMLBuilder } from 'fast-xml-parser';
import { DEFAULT_TIMEZONE } from '../../../schedules/model.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import type { Db } from '../../db.ts';
import { type AlertRow, alertPayload } from '../store.ts';
import { chosenInfo, IGNORE_QUIET_WINDOWS } from './import.ts';
import { CAP_NAMESPACE, readCap } from './read.ts';
import type { CapSettings } from './settings.ts';
import { clipSha1 } from './sound.ts';
import { capRowOf } from './store.ts';
import { areaOfTarget } from './targets.ts';

export const CAP_MIME = 'application/cap+xml';

/** CAP's dateTime: local time with its offset, to the second; UTC is written -00:00 (never Z). */
export function capTime(iso: string, timeZone = DEFAULT_TIMEZONE): string {
  const ms = Math.floor(Date.parse(iso) / 1000) * 1000;
  const { date, time } = utcToZoned(new Date(ms), timeZone);
  const minutes = Math.round((Date.parse(`${date}T${time}Z`) - ms) / 60_000);
  if (minutes === 0) return `${date}T${time}-00:00`;
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${date}T${time}${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
});

/** The category and event of an imported alert, as in the info it was made from (ours: Other, and the title). */
function originalEvent(document: string | undefined): { category: string[]; event: string } | null {
  if (!document) return null;
  const info = chosenInfo(readCap(document));
  return { category: info.category, event: info.event };
}

/** The CAP document of a bulletin; `origin` is the base of its clip's download URL (the request's). */
export function exportCap(
  db: Db,
  row: AlertRow,
  settings: CapSettings,
  origin: string,
  dataDir: string,
): string {
  const a = alertPayload(row);
  const imported = capRowOf(db, row.id);
  const ident = imported
    ? { sender: imported.sender, identifier: imported.identifier, sent: imported.sent }
    : { sender: settings.sender, identifier: row.id, sent: capTime(row.issued_at) };
  const triple = settings.levels.export[a.level];
  const kept = originalEvent(imported?.document);
  const resource = a.clip && {
    resourceDesc: a.title,
    mimeType: 'audio/ogg',
    size: a.clip.bytes ?? undefined,
    uri: `${origin}/api/clips/${a.clip.id}/audio`,
    digest: a.clip.sha256 ? (clipSha1(dataDir, a.clip.sha256) ?? undefined) : undefined,
  };
  const info = {
    language: 'vi-VN',
    category: kept?.category ?? ['Other'],
    event: kept?.event ?? a.title,
    urgency: triple.urgency,
    severity: triple.severity,
    certainty: triple.certainty,
    expires: capTime(a.expiresAt),
    senderName: a.issuedBy,
    headline: a.title,
    description: a.reason,
    parameter: a.ignoreQuietWindows ? [{ valueName: IGNORE_QUIET_WINDOWS, value: 'true' }] : undefined,
    resource,
    area: a.targets.map((t) => areaOfTarget(db, t)),
  };
  const cancelled = row.cancelled_at;
  const alert = {
    '@_xmlns': CAP_NAMESPACE,
    identifier: cancelled ? `${row.id}.cancel` : ident.identifier,
    sender: cancelled ? settings.sender : ident.sender,
    sent: cancelled ? capTime(cancelled) : ident.sent,
    status: 'Actual',
    msgType: cancelled ? 'Cancel' : 'Alert',
    scope: 'Public',
    note: cancelled ? (row.cancel_reason ?? undefined) : undefined,
    references: cancelled ? `${ident.sender},${ident.identifier},${ident.sent}` : undefined,
    info,
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ alert })}`;
}
