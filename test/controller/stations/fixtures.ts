// A processed, approved clip written straight to the database and the clip store, and a slot for an area.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clipPath } from '../../../controller/clips/files.ts';
import type { TestController } from '../../support/controller.ts';

/** Adds an approved clip with a small stored file; answers its id. */
export function addApprovedClip(ctl: TestController, id: string): string {
  const sha256 = id
    .padEnd(64, '0')
    .replace(/[^0-9a-f]/g, 'a')
    .slice(0, 64);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, ?, 'wav', ?, 4, 1000, '2026-11-01T00:00:00Z', 'approved')`,
    )
    .run(id, id, `${id}.wav`, sha256);
  const file = clipPath(ctl.dataDir, sha256);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'OggS');
  return id;
}

/** A slot as the API takes it: every day of November and December 2026 at 17:30 in one area. */
export const slotFor = (areaId: string, clipIds: string[]) => ({
  clipIds,
  startTime: '17:30',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  target: { scope: 'area', id: areaId },
});
