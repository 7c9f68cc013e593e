// Builders of the records the parts exchange, one each: as-run records, bulletins and overrides as a
// station knows them, clip references. A test passes what it is about and takes the rest as it is here.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Alert } from '../../schedules/alerts.ts';
import type { ClipRef } from '../../schedules/model.ts';
import type { Override } from '../../schedules/overrides.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';

/** The station most tests play at: Loa An Bình, ward w-an-binh of district d-ninh-kieu. */
export const STATION = 'st-an-binh';

/** `size` bytes that differ with `seed`: a clip's body as far as hashing and downloads go. */
export function clipBytes(seed: string, size = 4096): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (seed.charCodeAt(i % seed.length) * 31 + i) & 0xff;
  return out;
}

/** The reference to a clip whose body is `bytes`. */
export function clipRef(id: string, bytes: Buffer, durationMs = 30_000): ClipRef {
  return { id, sha256: createHash('sha256').update(bytes).digest('hex'), durationMs, bytes: bytes.length };
}

/** An as-run record of entry `id` at STATION: played, unless `extra` says otherwise. */
export const asRunRecord = (id: string, extra: Partial<AsRunRecord> = {}): AsRunRecord => ({
  id,
  stationId: STATION,
  entryId: id,
  slotId: 'sang',
  campaignId: null,
  clipIds: ['c1'],
  scheduledAt: '2025-03-03T00:00:00.000Z',
  outcome: 'played',
  reason: null,
  detail: null,
  relayOnAt: null,
  audioStartAt: null,
  audioEndAt: null,
  relayOffAt: null,
  desiredVersion: 1,
  recordedAt: '2025-03-03T00:01:00.000Z',
  ...extra,
});

/** A valid skipped as-run record for `stationId`, with the given id (what the broker suites send). */
export const skippedRecord = (stationId: string, id: string): AsRunRecord =>
  asRunRecord(id, {
    stationId,
    slotId: 'slot-x',
    clipIds: [],
    scheduledAt: '2026-11-26T10:00:00.000Z',
    outcome: 'skipped',
    reason: 'online-class',
    detail: 'quiet window',
    recordedAt: '2026-11-26T10:00:00.000Z',
  });

/**
 * A bulletin as a station receives it, playing `clip`: an emergency flood warning to district
 * d-ninh-kieu, issued now and good for an hour, unless `extra` says otherwise.
 */
export const alertRecord = (id: string, clip: ClipRef, extra: Partial<Alert> = {}): Alert => ({
  id,
  level: 'emergency',
  title: 'Cảnh báo lũ',
  reason: 'Nước sông dâng cao',
  clip,
  targets: [{ scope: 'area', id: 'd-ninh-kieu' }],
  issuedAt: new Date().toISOString(),
  issuedBy: 'kt-ninh-kieu',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  ignoreQuietWindows: false,
  cancelledAt: null,
  ...extra,
});

/** An override made on a station's page, in force from startsAt to endsAt, made then, never cancelled. */
export const overrideRecord = (
  o: Pick<Override, 'id' | 'stationId' | 'kind' | 'startsAt' | 'endsAt'> & Partial<Override>,
): Override => ({
  reason: 'kiểm tra',
  createdBy: 'Chị Lan',
  createdAt: o.startsAt,
  entryId: null,
  clip: null,
  volume: null,
  cancelledAt: null,
  cancelledBy: null,
  ...o,
});

/** One line of the simulated relay's journal (relay.jsonl): a switch of line `relay` at `at`. */
export interface RelayChange {
  at: string;
  on: boolean;
  relay?: string;
}

/** The simulated relay's journal `file`, one change a line; empty while the file does not exist. */
export function relayJournal(file: string): RelayChange[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as RelayChange);
}
