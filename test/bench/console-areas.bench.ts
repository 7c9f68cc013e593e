// The console's pages over a province of 10,000 stations: a five-level tree (province > district >
// commune > village > hamlet, fan-out 10, a station per hamlet), signed in as the admin, who sees it all.
// Each page's time (in process, the API calls included) and its HTML size; medians of several runs.
// Prints a Markdown section; goals beside the figures.
import { newVersion } from '../../controller/areas/history.ts';
import { insertArea, replaceLevels } from '../../controller/areas/tree.ts';
import { insertStation } from '../../controller/stations/store.ts';
import { ADMIN_PASSWORD, makeController } from '../support/controller.ts';
import { log, median, runBench } from './support/bench.ts';

const FAN_OUT = 10;
const RUNS = 5;
const TIME_GOAL_MS = 2000;
const SIZE_GOAL_MB = 5;
const LEVELS: [string, string][] = [
  ['province', 'Tỉnh'],
  ['district', 'Huyện'],
  ['commune', 'Xã'],
  ['village', 'Thôn'],
  ['hamlet', 'Xóm'],
];
const PAGES = [
  ['/console/areas', 'the area tree (levels opened as far as the page allows) and the admin forms'],
  ['/console/areas?area=p-1-2', 'one commune and what lies under it'],
  ['/console/quiet-windows', 'quiet windows and air-time limits (two pickers)'],
  ['/console/alerts', 'sending a bulletin (one picker)'],
] as const;

async function main() {
  const ctl = await makeController();
  const { db } = ctl;
  const now = new Date();
  const areas = [{ id: 'p', parent: null as string | null, level: 0 }];
  for (let i = 0; i < areas.length; i++) {
    const a = areas[i] as (typeof areas)[number];
    if (a.level < LEVELS.length - 1)
      for (let k = 0; k < FAN_OUT; k++) areas.push({ id: `${a.id}-${k}`, parent: a.id, level: a.level + 1 });
  }
  db.transaction(() => {
    replaceLevels(
      db,
      LEVELS.map(([id, name]) => ({ id, name })),
    );
    for (const a of areas) {
      const [level, word] = LEVELS[a.level] as [string, string];
      const row = {
        id: a.id,
        parent_id: a.parent,
        level,
        code: null,
        name: `${word} ${a.id}`,
        created_at: now.toISOString(),
      };
      insertArea(db, row);
      newVersion(db, row, row.created_at);
      if (a.level === LEVELS.length - 1) {
        const station = { name: `Cụm loa ${a.id}`, areaId: a.id, zones: [], timezone: 'Asia/Ho_Chi_Minh' };
        insertStation(db, `st-${a.id}`, station, a.id.padStart(64, '0'), now);
      }
    }
  })();
  const stations = areas.filter((a) => a.level === LEVELS.length - 1).length;
  log(`${areas.length} areas, ${stations} stations`);

  const login = await ctl.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD }).toString(),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const rows: string[] = [];
  let met = true;
  for (const [url, what] of PAGES) {
    const ms: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const t0 = performance.now();
      const res = await ctl.app.request(url, { headers: { cookie } });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      if (r > 0) ms.push(performance.now() - t0); // the first warms up
      bytes = Buffer.byteLength(html);
    }
    const m = median(ms);
    const mb = bytes / 2 ** 20;
    const ok = m <= TIME_GOAL_MS && mb <= SIZE_GOAL_MB;
    met &&= ok;
    log(`${url}: ${m.toFixed(0)} ms, ${mb.toFixed(2)} MiB`);
    rows.push(
      `| \`${url}\`: ${what} | **${m.toFixed(0)} ms**, **${mb.toFixed(2)} MiB** | ${ms.map((x) => x.toFixed(0)).join(', ')} | ${ok ? 'met' : '**missed**'} |`,
    );
  }
  ctl.cleanup();
  console.log(`## Console pages over a five-level tree of 10,000 stations

The admin's pages over ${areas.length} areas (${LEVELS.map(([, n]) => n).join(' > ')}, fan-out ${FAN_OUT}) and ${stations} stations,
rendered in process with their API calls; medians of ${RUNS} runs after one to warm up. Each target picker lists
${areas.length + stations} places; the list is written once per page and copied by each picker at load; the tree
writes at most 1,500 areas and stations and opens deeper levels on their own page.

<!-- summary -->
| console page, five levels, 10,000 stations | median time, HTML size (goal ≤ ${TIME_GOAL_MS} ms, ≤ ${SIZE_GOAL_MB} MiB) | runs (ms) | verdict |
| --- | --- | --- | --- |
${rows.join('\n')}
<!-- /summary -->

${met ? 'Every page met its goals.' : 'Some page missed its goal.'} Before the list was shared, the area page was 31 MB and took 8 s.`);
}

runBench(main);
