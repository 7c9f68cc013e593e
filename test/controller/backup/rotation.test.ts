// Which backups are kept: the newest of each of the last 7 days, 4 weeks and 12 months, in local time.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupName } from '../../../controller/backup/backup.ts';
import { backupsToKeep, DEFAULT_RETENTION, rotate } from '../../../controller/backup/rotation.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

const TZ = 'Asia/Ho_Chi_Minh';
/** One backup at 02:30 local time each day from `first` to `last`. */
const daily = (first: string, last: string) => {
  const out: { name: string; at: Date }[] = [];
  for (
    let t = Date.parse(`${first}T02:30:00+07:00`);
    t <= Date.parse(`${last}T02:30:00+07:00`);
    t += 86_400_000
  )
    out.push({ name: backupName(new Date(t)), at: new Date(t) });
  return out;
};
const localDays = (names: Iterable<string>) =>
  [...names]
    .map((n) =>
      new Date(Date.parse(n.replace(/T(\d\d)(\d\d)(\d\d)Z/, 'T$1:$2:$3Z')) + 7 * 3_600_000)
        .toISOString()
        .slice(0, 10),
    )
    .sort();

let tmp: TempDir;
afterEach(() => tmp?.cleanup());

describe('rotation', () => {
  it('keeps 7 days, the newest of 4 ISO weeks (Monday to Sunday) and of 12 months', () => {
    const kept = backupsToKeep(daily('2025-06-01', '2026-12-04'), DEFAULT_RETENTION, TZ);
    expect(localDays(kept)).toEqual([
      ...['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'],
      ...['2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31'],
      '2026-11-15',
      '2026-11-22',
      ...['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'],
    ]);
  });

  it('counts days in local time: from 17:00 UTC it is the next day in Việt Nam', () => {
    const at = (iso: string) => ({ name: iso, at: new Date(iso) });
    const kept = backupsToKeep(
      [at('2026-12-03T17:30:00Z'), at('2026-12-03T18:00:00Z')],
      { daily: 7, weekly: 0, monthly: 0 },
      TZ,
    );
    expect([...kept]).toEqual(['2026-12-03T18:00:00Z']); // both are 4 December in Hồ Chí Minh City
  });

  it('with gaps, keeps what there is, the newest always', () => {
    const few = daily('2026-12-01', '2026-12-02');
    expect(backupsToKeep(few, { daily: 1, weekly: 0, monthly: 0 }, TZ).size).toBe(1);
    expect(backupsToKeep([], DEFAULT_RETENTION, TZ).size).toBe(0);
  });

  it('deletes the folders not kept, and pre-upgrade copies older than the daily ones', () => {
    tmp = tempDir('rotate');
    const all = daily('2026-10-01', '2026-12-04');
    const write = (name: string, kind: string) => {
      mkdirSync(path.join(tmp.dir, name));
      const database = { file: 'controller.db', bytes: 0, sha256: '0'.repeat(64) };
      const manifest = {
        format: 1,
        kind,
        createdAt: new Date().toISOString(),
        schemaVersion: 1,
        database,
        clips: [],
      };
      writeFileSync(path.join(tmp.dir, name, 'manifest.json'), JSON.stringify(manifest));
    };
    for (const b of all) write(b.name, 'scheduled');
    write('2026-11-01T000000Z', 'pre-upgrade');
    write('2026-12-03T000000Z', 'pre-upgrade');
    mkdirSync(path.join(tmp.dir, '.partial-2026-12-04T193000Z'));
    mkdirSync(path.join(tmp.dir, '2026-10-02T000000Z')); // no manifest: not judged, not deleted
    const removed = rotate(tmp.dir, DEFAULT_RETENTION, TZ);
    const left = readdirSync(tmp.dir);
    expect(left).toContain('2026-12-03T000000Z');
    expect(left).not.toContain('2026-11-01T000000Z');
    expect(left).toContain('.partial-2026-12-04T193000Z'); // the next backup removes it
    expect(left).toContain('2026-10-02T000000Z');
    expect(removed.length + left.length).toBe(all.length + 4);
    expect(left.length).toBe(backupsToKeep(all, DEFAULT_RETENTION, TZ).size + 3);
  });
});
