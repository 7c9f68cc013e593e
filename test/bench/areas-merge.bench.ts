// A merge of three communes (the July 2025 reform) in a province of 1,000 stations: the three have 60
// stations, 200 slots, quiet windows, an air-time policy, campaigns, people and a running bulletin, and 5
// years of as-run records (60 stations × 6 a day × 5 years ≈ 657,000 rows). The preview (?dryRun=true) and
// the apply, through the HTTP app on a fresh copy of the database each run. Prints a Markdown section.
import { createHash } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newVersion } from '../../controller/areas/history.ts';
import { insertArea, replaceLevels } from '../../controller/areas/tree.ts';
import type { Db } from '../../controller/db.ts';
import { storeAsRun } from '../../controller/plays/store.ts';
import { insertQuietWindows, saveSlot } from '../../controller/rules/store.ts';
import { insertStation } from '../../controller/stations/store.ts';
import type { Slot } from '../../schedules/model.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import { makeController, type TestController } from '../support/controller.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench, sec } from './support/bench.ts';

const RUNS = 5;
const GOAL_MS = 5000;
const COMMUNES = 100;
const STATIONS_PER_COMMUNE = 10;
const MERGED = ['xa-hoa-an', 'xa-hoa-binh', 'xa-hoa-loi'];
const MERGED_STATIONS = 20;
const SLOTS = 200;
const YEARS = 5;
const PER_DAY = 6;
const now = new Date('2026-11-26T03:00:00Z');
const clip = { id: 'clip-a', sha256: 'a'.repeat(64), durationMs: 60_000, bytes: 10 };

function seedTree(db: Db): { merged: string[]; others: string[] } {
  const at = now.toISOString();
  const merged: string[] = [];
  const others: string[] = [];
  db.transaction(() => {
    replaceLevels(db, [
      { id: 'province', name: 'Tỉnh/thành phố' },
      { id: 'commune', name: 'Xã/phường/đặc khu' },
    ]);
    const area = (id: string, parent: string | null, level: string, name: string, code: string) => {
      insertArea(db, { id, parent_id: parent, level, code, name, created_at: at });
      newVersion(db, { id, parent_id: parent, level, code, name }, at);
    };
    area('vinh-long', null, 'province', 'Tỉnh Vĩnh Long', '86');
    const communes = [...MERGED, ...Array.from({ length: COMMUNES - MERGED.length }, (_, i) => `xa-${i}`)];
    for (const [i, c] of communes.entries()) {
      area(c, 'vinh-long', 'commune', `Xã ${c}`, String(29000 + i));
      const n = MERGED.includes(c) ? MERGED_STATIONS : STATIONS_PER_COMMUNE;
      for (let k = 0; k < n; k++) {
        const id = `st-${c}-${k}`;
        const secret = createHash('sha256').update(id).digest('hex');
        insertStation(
          db,
          id,
          { name: `Đài ${c} ${k}`, areaId: c, zones: [], timezone: 'Asia/Ho_Chi_Minh' },
          secret,
          now,
        );
        (MERGED.includes(c) ? merged : others).push(id);
      }
    }
    db.prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES (?, 'Tiêm chủng', 't.wav', 'wav', ?, ?, ?, ?)`,
    ).run(clip.id, clip.sha256, clip.bytes, clip.durationMs, at);
    const slot = (id: string, target: string, minute: number, campaignId: string | null = null): Slot => ({
      id,
      campaignId,
      clipIds: [clip.id],
      startTime: `${String(5 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      target: { scope: 'area', id: target },
      priority: 0,
    });
    // 200 slots of the three communes, 2 of every other; the province's own 3
    for (let i = 0; i < SLOTS; i++)
      saveSlot(db, slot(`slot-m-${i}`, MERGED[i % 3] as string, (i * 7) % 900), at, true);
    for (const c of communes.slice(3))
      for (const k of [0, 1]) saveSlot(db, slot(`slot-${c}-${k}`, c, 60 + k * 300), at, true);
    for (const k of [0, 1, 2]) saveSlot(db, slot(`slot-p-${k}`, 'vinh-long', k * 300), at, true);
    insertQuietWindows(
      db,
      MERGED.flatMap((c) =>
        ['07:00', '13:30', '19:00'].map((start, k) => ({
          id: `qw-${c}-${k}`,
          weekdays: [1, 2, 3, 4, 5],
          startTime: start,
          endTime: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:30`,
          startDate: '2026-09-05',
          endDate: '2027-05-31',
          reason: k === 2 ? ('national-relay' as const) : ('online-class' as const),
          note: '',
          target: { scope: 'area' as const, id: c },
        })),
      ),
      at,
    );
  })();
  return { merged, others };
}

/** 5 years of 6 records a day for each of the merged communes' stations, in a few large transactions. */
function seedAsRun(db: Db, stations: string[]): number {
  const day0 = now.getTime() - YEARS * 365 * 86_400_000;
  let n = 0;
  for (const st of stations) {
    const batch: AsRunRecord[] = [];
    for (let d = 0; d < YEARS * 365; d++)
      for (let k = 0; k < PER_DAY; k++) {
        const at = new Date(day0 + d * 86_400_000 + k * 3 * 3_600_000);
        const id = `${st}-${d}-${k}`;
        batch.push({
          id,
          stationId: st,
          entryId: `slot-m-${k}@${at.toISOString().slice(0, 10)}`,
          slotId: `slot-m-${k}`,
          campaignId: null,
          clipIds: [clip.id],
          scheduledAt: at.toISOString(),
          outcome: k === 2 ? 'skipped' : 'played',
          reason: k === 2 ? 'online-class' : null,
          detail: null,
          relayOnAt: k === 2 ? null : at.toISOString(),
          audioStartAt: k === 2 ? null : new Date(at.getTime() + 2000).toISOString(),
          audioEndAt: k === 2 ? null : new Date(at.getTime() + 62_000).toISOString(),
          relayOffAt: k === 2 ? null : new Date(at.getTime() + 63_000).toISOString(),
          desiredVersion: 1,
          recordedAt: new Date(at.getTime() + 64_000).toISOString(),
        });
      }
    storeAsRun(db, batch, now);
    n += batch.length;
  }
  return n;
}

async function seedApi(ctl: TestController) {
  const ok = async (url: string, body: object) => {
    const r = await ctl.call('POST', url, body);
    if (r.status !== 201) throw new Error(`${url}: ${JSON.stringify(r.body)}`);
  };
  for (const c of MERGED)
    await ok('/api/campaigns', {
      id: `camp-${c}`,
      name: `Phòng dịch ${c}`,
      startDate: '2026-11-01',
      endDate: '2026-12-31',
      areaId: c,
    });
  await ok('/api/airtime-policies', {
    id: 'pol-hoa-an',
    target: { scope: 'area', id: MERGED[0] },
    policy: { maxMinutesPerSession: 45 },
  });
  for (const c of MERGED) await ctl.tokenFor(`cb-${c}`, 'ward', { areas: [c] });
  await ctl.tokenFor('kt-hoa', 'technician', { areas: MERGED });
  await ok('/api/alerts', {
    level: 'normal',
    title: 'Lịch tiêm chủng',
    reason: 'Tiêm chủng mở rộng',
    clipId: clip.id,
    targets: [{ scope: 'area', id: MERGED[1] }],
  });
}

const MERGE = {
  operation: 'merge',
  areas: MERGED,
  into: { id: 'xa-hoa-an-moi', name: 'Xã Hòa An', code: '29999' },
};

async function main() {
  const work = tempDir('bench-merge');
  const master = path.join(work.dir, 'master.db');
  const seedCtl = await makeController({ now: () => now });
  const { merged } = seedTree(seedCtl.db);
  let t0 = performance.now();
  const records = seedAsRun(seedCtl.db, merged);
  log(`seeded ${records} as-run records in ${sec(performance.now() - t0)} s`);
  await seedApi(seedCtl);
  seedCtl.db.exec(`VACUUM INTO '${master}'`);
  seedCtl.cleanup();

  const previewMs: number[] = [];
  const applyMs: number[] = [];
  let preview: {
    counts: Record<string, number>;
    slots: { id: string }[];
    stations: { id: string }[];
    history: object;
  } | null = null;
  let applied: { counts: Record<string, number> } | null = null;
  for (let r = 0; r < RUNS; r++) {
    const ctl = await makeController({ now: () => now }, {}, {}, (file) => seedFrom(master, file));
    t0 = performance.now();
    const dry = await ctl.call('POST', '/api/areas/reorganise?dryRun=true', MERGE);
    previewMs.push(performance.now() - t0);
    if (dry.status !== 200) throw new Error(`preview: ${dry.status} ${JSON.stringify(dry.body)}`);
    preview = dry.body;
    t0 = performance.now();
    const done = await ctl.call('POST', '/api/areas/reorganise', MERGE);
    applyMs.push(performance.now() - t0);
    if (done.status !== 200) throw new Error(`apply: ${done.status} ${JSON.stringify(done.body)}`);
    applied = done.body;
    const kept = (ctl.db.prepare('SELECT COUNT(*) AS n FROM plays').get() as { n: number }).n;
    if (kept !== records) throw new Error(`as-run records after the merge: ${kept}, before ${records}`);
    log(`run ${r + 1}: preview ${previewMs.at(-1)?.toFixed(0)} ms, apply ${applyMs.at(-1)?.toFixed(0)} ms`);
    ctl.cleanup();
  }
  work.cleanup();
  if (!preview || !applied) throw new Error('no run');
  const listed = new Set(preview.slots.map((s) => s.id));
  const everySlot = Array.from({ length: SLOTS }, (_, i) => `slot-m-${i}`).every((id) => listed.has(id));
  const everyStation = merged.every((id) => preview?.stations.some((s) => s.id === id));
  const a = median(applyMs);
  const p = median(previewMs);
  const counts = `${Object.entries(preview.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}, as-run records kept ${(preview.history as { asRunRecordsKept: number }).asRunRecordsKept}`;
  console.log(`## Area tree: merging three communes with 5 years of history

A province of ${COMMUNES} communes and ${(COMMUNES - 3) * STATIONS_PER_COMMUNE + 3 * MERGED_STATIONS} stations; three communes with ${3 * MERGED_STATIONS} stations,
${SLOTS} slots, 9 quiet windows, an air-time policy, 3 campaigns, 4 people scoped to them and a running bulletin,
and ${records.toLocaleString('en')} as-run records (${3 * MERGED_STATIONS} stations × ${PER_DAY} a day × ${YEARS} years) merge into a new commune:
\`POST /api/areas/reorganise\` through the HTTP app (in process, admin), first \`?dryRun=true\`, then applied,
on a fresh copy of the database each run (${RUNS} runs; medians). The as-run records stay where they are
(history names the areas as they were), checked after each apply. Load average (1 min) at the end:
${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores.

<!-- summary -->
| merge of 3 communes, 60 stations, 200 slots, 5 years of as-run | goal | median | runs | verdict |
| --- | --- | --- | --- | --- |
| apply (one transaction, audit, desired states republished) | < ${sec(GOAL_MS)} s | **${a.toFixed(0)} ms** | ${applyMs.map((x) => x.toFixed(0)).join(', ')} | ${a < GOAL_MS ? 'met' : '**missed**'} |
| preview (\`?dryRun=true\`) | lists every change | **${p.toFixed(0)} ms**; ${counts}; every slot ${everySlot ? 'listed' : '**not listed**'}, every station ${everyStation ? 'listed' : '**not listed**'} | ${previewMs.map((x) => x.toFixed(0)).join(', ')} | ${everySlot && everyStation ? 'met' : '**missed**'} |
<!-- /summary -->`);
}

function seedFrom(master: string, file: string) {
  rmSync(file, { force: true });
  copyFileSync(master, file);
}

runBench(main);
