// The check before saving (POST /api/what-if, controller/rules/what-if/) over a city of 1,000 stations
// (province > 10 districts > 100 wards each, a station per ward): a city campaign at 06:30 every day, a slot
// of every ward's own at 17:00, an online-class window per district. Asked: a ward's new slot (one station),
// a district's quiet window (100 stations) and a city-wide slot (1,000 stations compiled
// twice each over 14 days), through the API in process; medians of several runs. Prints a Markdown section.
import { newVersion } from '../../controller/areas/history.ts';
import { insertArea, replaceLevels } from '../../controller/areas/tree.ts';
import { insertStation } from '../../controller/stations/store.ts';
import { makeController } from '../support/controller.ts';
import { log, median, runBench } from './support/bench.ts';

const DISTRICTS = 10;
const WARDS = 100;
const RUNS = 5;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

async function main() {
  const ctl = await makeController();
  const { db } = ctl;
  const now = new Date();
  const year = now.getUTCFullYear();
  const days = { startDate: `${year}-01-01`, endDate: `${year + 1}-12-31` };
  db.transaction(() => {
    replaceLevels(db, [
      { id: 'province', name: 'Tỉnh' },
      { id: 'district', name: 'Huyện' },
      { id: 'ward', name: 'Xã' },
    ]);
    const area = (id: string, parent: string | null, level: string, name: string) => {
      const row = { id, parent_id: parent, level, code: null, name, created_at: now.toISOString() };
      insertArea(db, row);
      newVersion(db, row, row.created_at);
    };
    area('p', null, 'province', 'Tỉnh P');
    for (let d = 0; d < DISTRICTS; d++) {
      area(`d${d}`, 'p', 'district', `Huyện ${d}`);
      for (let w = 0; w < WARDS; w++) {
        const id = `d${d}-w${w}`;
        area(id, `d${d}`, 'ward', `Xã ${id}`);
        const station = { name: `Đài xã ${id}`, areaId: id, zones: [], timezone: 'Asia/Ho_Chi_Minh' };
        insertStation(db, `st-${id}`, station, id.padStart(64, '0'), now);
      }
    }
    db.prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES ('clip-b', 'Bản tin', 't', 'wav', ?, 10, 120000, ?, 'approved')`,
    ).run('b'.repeat(64), now.toISOString());
  })();
  const call = async (body: object, path = '/api/slots') => {
    const r = await ctl.call('POST', path, body);
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const city = await call({ name: 'Chiến dịch tỉnh', message: 'm', ...days }, '/api/campaigns');
  const slot = (target: string, startTime: string, campaignId = city.id) => ({
    campaignId,
    clipIds: ['clip-b'],
    startTime,
    weekdays: EVERY_DAY,
    ...days,
    target: { scope: 'area', id: target },
  });
  await call(slot('p', '06:30'));
  log('rules');
  for (let d = 0; d < DISTRICTS; d++) {
    await call(
      {
        weekdays: [1, 3],
        startTime: '19:00',
        endTime: '21:00',
        ...days,
        reason: 'online-class',
        target: { scope: 'area', id: `d${d}` },
      },
      '/api/quiet-windows',
    );
    for (let w = 0; w < WARDS; w++) await call(slot(`d${d}-w${w}`, '17:00'));
  }
  const cases: [string, object, string][] = [
    ['a ward slot at 06:29 (one station)', { kind: 'slot', body: slot('d3-w7', '06:29') }, '≤ 200 ms'],
    [
      "a district's quiet window 06:00-07:00 (100 stations)",
      {
        kind: 'quiet-window',
        body: {
          weekdays: [2],
          startTime: '06:00',
          endTime: '07:00',
          ...days,
          reason: 'local-event',
          target: { scope: 'area', id: 'd4' },
        },
      },
      '≤ 2 s',
    ],
    ['a city-wide slot at 06:29 (1,000 stations)', { kind: 'slot', body: slot('p', '06:29') }, '≤ 5 s'],
  ];
  const goalMs = [200, 2000, 5000];
  const rows: string[] = [];
  let met = true;
  for (const [i, [what, body, goal]] of cases.entries()) {
    const ms: number[] = [];
    let changes = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const t0 = performance.now();
      const res = await call(body, '/api/what-if');
      if (r > 0) ms.push(performance.now() - t0);
      changes = res.changes.length;
    }
    const m = median(ms);
    const ok = m <= (goalMs[i] as number);
    met &&= ok;
    log(`${what}: ${m.toFixed(0)} ms, ${changes} changes`);
    rows.push(
      `| ${what} | **${m.toFixed(0)} ms** (${goal}) | ${changes} | ${ms.map((x) => x.toFixed(0)).join(', ')} | ${ok ? 'met' : '**missed**'} |`,
    );
  }
  ctl.cleanup();
  console.log(`## The check before saving (what-if) over 1,000 stations

POST /api/what-if in process over ${DISTRICTS * WARDS} stations (${DISTRICTS} districts of ${WARDS} wards): a city slot at 06:30
every day, a slot of each ward's own at 17:00, an online-class window per district; each station the change reaches
compiled without and with it over 14 days (at most 1,000 stations); medians of ${RUNS} runs after one to warm up.

<!-- summary -->
| what-if | median (goal) | changes found | runs (ms) | verdict |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
<!-- /summary -->

${met ? 'Every case met its goal.' : 'Some case missed its goal.'}`);
}

runBench(main);
