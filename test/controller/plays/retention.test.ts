// Retention: rows older than the period go to monthly files before they are deleted, every row exactly
// once; the reports of those months are the same after as before (from the summaries); a deletion cut
// short resumes, a late record goes to a further part, and a file that changed keeps its rows.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { areaReport } from '../../../controller/plays/area-report.ts';
import { archiveOldMonths, readArchive } from '../../../controller/plays/retention.ts';
import { retainOnce } from '../../../controller/plays/retention-job.ts';
import { stationReport } from '../../../controller/plays/station-report.ts';
import { storeAsRun } from '../../../controller/plays/store.ts';
import { allRules } from '../../../controller/rules/station-rules.ts';
import { allStationInfos } from '../../../controller/stations/store.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import { ADMIN_PASSWORD, apiSlot, makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';

let ctl: TestController;
let now: Date;
let dir: string;
const records: AsRunRecord[] = [];
const retention = () => ({ db: ctl.db, clock: { now: () => now }, dir, keepDays: 400 });
const count = (sql: string) => ctl.db.prepare(sql).pluck().get() as number;

beforeEach(async () => {
  now = new Date('2023-12-01T00:00:00Z');
  ctl = await makeController({ now: () => now });
  dir = path.join(ctl.dataDir, 'archive');
  const admin = (await ctl.loginAs('admin', ADMIN_PASSWORD)).token as string;
  await ctl.call(
    'POST',
    '/api/areas',
    { id: 'ct', name: 'Cần Thơ', level: 'province', parentId: null },
    admin,
  );
  for (const id of ['st-1', 'st-2'])
    await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, areaId: 'ct' }, admin);
  records.length = 0;
  // a record every 5 hours at each station, January 2024 to March 2025
  for (let t = Date.parse('2024-01-01T00:00:00Z'); t < Date.parse('2025-04-01T00:00:00Z'); t += 5 * 3_600_000)
    for (const st of ['st-1', 'st-2'])
      records.push(
        asRunRecord(`${st}-${t}`, {
          stationId: st,
          scheduledAt: new Date(t).toISOString(),
          audioStartAt: new Date(t + 1000).toISOString(),
          audioEndAt: new Date(t + 61_000).toISOString(),
        }),
      );
  storeAsRun(ctl.db, records, now);
  now = new Date('2025-04-10T05:00:00Z');
});
afterEach(() => ctl.cleanup());

// local months (Asia/Ho_Chi_Minh): 1 January 2024 00:00 is 31 December 2023 17:00 UTC
const JAN = '2023-12-31T17:00:00.000Z';
const MAR = '2024-02-29T17:00:00.000Z';
const inArchivedMonths = (r: AsRunRecord) => r.scheduledAt >= JAN && r.scheduledAt < MAR;

async function idsIn(file: string) {
  const ids: string[] = [];
  await readArchive(path.join(dir, file), (r) => ids.push(`${r.stationId}/${r.id}`));
  return ids;
}

describe('retention', () => {
  it("keeps a campaign's report the same after its rows are archived", async () => {
    now = new Date('2023-12-20T00:00:00Z');
    const admin = (await ctl.loginAs('admin', ADMIN_PASSWORD)).token as string;
    ctl.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
         VALUES ('clip-a', 'Tin sáng', 'a.wav', 'wav', ?, 1000, 60000, '2023-12-01T00:00:00Z', 'approved')`,
      )
      .run('a'.repeat(64));
    const made = [
      await ctl.call(
        'POST',
        '/api/campaigns',
        { id: 'camp', name: 'Tiêm chủng', startDate: '2024-01-01', endDate: '2024-02-29' },
        admin,
      ),
      await ctl.call(
        'POST',
        '/api/slots',
        {
          ...apiSlot(['clip-a']),
          id: 'slot-sang',
          campaignId: 'camp',
          startTime: '06:30',
          startDate: '2024-01-01',
          endDate: '2024-02-29',
          target: { scope: 'area', id: 'ct' },
        },
        admin,
      ),
    ];
    for (const m of made) expect(m.status, JSON.stringify(m.body)).toBe(201);
    // one record per planned entry, as the stations would send them: most played, some skipped or missed
    const rulesOf = allRules(ctl.db);
    const entries = allStationInfos(ctl.db).flatMap((st) =>
      compileTimetable(rulesOf(st), { from: new Date(JAN), to: new Date(MAR), leadMs: 2000, tailMs: 1000 })
        .filter((e) => e.campaignId === 'camp')
        .map((e, i) =>
          asRunRecord(`c-${st.id}-${i}`, {
            stationId: st.id,
            entryId: e.id,
            slotId: 'slot-sang',
            campaignId: 'camp',
            scheduledAt: e.startsAt,
            outcome: i % 9 === 0 ? 'skipped' : i % 13 === 0 ? 'missed' : 'played',
            reason: i % 9 === 0 ? 'online-class' : null,
            audioStartAt: e.startsAt,
            audioEndAt: new Date(Date.parse(e.startsAt) + 60_000).toISOString(),
          }),
        ),
    );
    expect(entries.length).toBe(2 * 60);
    storeAsRun(ctl.db, entries.slice(0, -3), now); // three never reported
    now = new Date('2025-04-10T05:00:00Z');
    const again = (await ctl.loginAs('admin', ADMIN_PASSWORD)).token as string;
    const before = (await ctl.call('GET', '/api/reports/campaigns/camp', undefined, again)).body;
    await archiveOldMonths(retention());
    expect(count("SELECT count(*) FROM plays WHERE campaign_id = 'camp'")).toBe(0);
    expect((await ctl.call('GET', '/api/reports/campaigns/camp', undefined, again)).body).toEqual(before);
    expect(before.total).toMatchObject({ planned: 120, unreported: 3 });
  });

  it('writes whole months older than the period to files, then deletes exactly their rows', async () => {
    const period = { from: JAN, to: MAR };
    const before = [areaReport(ctl.db, 'ct', period), stationReport(ctl.db, 'st-1', period)];
    const written = await archiveOldMonths(retention());
    // 10 April 2025 less 400 days is 6 March 2024: January and February are whole months before it
    expect(written.map((w) => w.file)).toEqual(['plays-2024-01.jsonl.gz', 'plays-2024-02.jsonl.gz']);
    const archived = [
      ...(await idsIn(written[0]?.file as string)),
      ...(await idsIn(written[1]?.file as string)),
    ];
    const expected = records.filter(inArchivedMonths).map((r) => `${r.stationId}/${r.id}`);
    expect(archived.sort()).toEqual(expected.sort());
    expect(new Set(archived).size).toBe(archived.length);
    expect(count(`SELECT count(*) FROM plays WHERE scheduled_at < '${MAR}'`)).toBe(0);
    expect(count('SELECT count(*) FROM plays')).toBe(records.length - expected.length);
    // the months' reports now come from the summaries alone, and are the same
    expect([areaReport(ctl.db, 'ct', period), stationReport(ctl.db, 'st-1', period)]).toEqual(before);
    // a period that starts in the middle of an archived day is widened to the whole day, and says so
    const mid = areaReport(ctl.db, 'ct', { from: '2024-01-10T03:00:00.000Z', to: MAR });
    expect(mid.from).toBe('2024-01-09T17:00:00.000Z');
    // run again the next day: nothing more is due
    expect(await archiveOldMonths(retention())).toEqual([]);
  });

  it('puts a late record of an archived month in a further part', async () => {
    await archiveOldMonths(retention());
    const late = asRunRecord('late-1', { stationId: 'st-2', scheduledAt: '2024-01-15T03:00:00.000Z' });
    storeAsRun(ctl.db, [late], now);
    const written = await archiveOldMonths(retention());
    expect(written).toMatchObject([{ file: 'plays-2024-01-2.jsonl.gz', month: '2024-01', records: 1 }]);
    expect(await idsIn('plays-2024-01-2.jsonl.gz')).toEqual(['st-2/late-1']);
    const jan = areaReport(ctl.db, 'ct', { from: JAN, to: '2024-01-31T17:00:00.000Z' });
    expect(jan.total.records).toBe(
      records.filter((r) => r.scheduledAt < '2024-01-31T17:00:00.000Z').length + 1,
    );
  });

  it('resumes a deletion cut short, and keeps the rows of a file that no longer matches its record', async () => {
    await archiveOldMonths(retention());
    // as if killed in the middle of deleting February's rows: some are back, the file not marked done
    const feb = records.filter((r) => r.scheduledAt >= '2024-01-31T17:00:00.000Z' && inArchivedMonths(r));
    ctl.db.prepare('DELETE FROM station_days').run(); // the summaries are not what this test is about
    storeAsRun(ctl.db, feb.slice(0, 40), now);
    ctl.db.prepare("UPDATE plays_archive SET deleted_at = NULL WHERE file = 'plays-2024-02.jsonl.gz'").run();
    writeFileSync(path.join(dir, 'plays-2024-03.jsonl.gz.partial'), 'cut short');
    expect(await archiveOldMonths(retention())).toEqual([]);
    expect(count(`SELECT count(*) FROM plays WHERE scheduled_at < '${MAR}'`)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['plays-2024-01.jsonl.gz', 'plays-2024-02.jsonl.gz']);

    storeAsRun(ctl.db, feb.slice(0, 40), now);
    ctl.db.prepare("UPDATE plays_archive SET deleted_at = NULL WHERE file = 'plays-2024-02.jsonl.gz'").run();
    appendFileSync(path.join(dir, 'plays-2024-02.jsonl.gz'), 'tampered');
    await expect(archiveOldMonths(retention())).rejects.toThrow(/no longer matches/);
    expect(count(`SELECT count(*) FROM plays WHERE scheduled_at < '${MAR}'`)).toBe(40);
  });

  it('waits for a backup less than 36 hours old before it deletes anything', async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => lines.push(m), info: (m: string) => lines.push(m) };
    const settings = { keepDays: 400, archiveDir: dir, at: '03:30' };
    const job = (lastBackupAt: string | null) =>
      retainOnce({
        db: ctl.db,
        clock: { now: () => now },
        log,
        timeZone: 'Asia/Ho_Chi_Minh',
        settings,
        lastBackupAt: () => lastBackupAt,
      });
    expect(await job(null)).toBe(false);
    expect(await job('2025-04-08T16:00:00.000Z')).toBe(false); // 37 hours old
    expect(count('SELECT count(*) FROM plays')).toBe(records.length);
    expect(lines.join('\n')).toMatch(/waits/);
    expect(await job('2025-04-09T19:30:00.000Z')).toBe(true);
    expect(count(`SELECT count(*) FROM plays WHERE scheduled_at < '${MAR}'`)).toBe(0);
    expect(lines.at(-1)).toMatch(/plays-2024-02.jsonl.gz/);
  });
});
