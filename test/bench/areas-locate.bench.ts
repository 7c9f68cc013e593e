// Locating a mobile loudspeaker: the controller's work for one position (the tree read, the deepest drawn
// area holding the point) with a province's communes all drawn. Prints a Markdown section.
import os from 'node:os';
import { insertArea, loadTree, replaceLevels } from '../../controller/areas/tree.ts';
import { locate, setGeometry } from '../../controller/mobile/geometry.ts';
import { makeController } from '../support/controller.ts';
import { log, median, runBench } from './support/bench.ts';

const COMMUNES = 3300;
const CORNERS = 200;
const POSITIONS = 200;
const RUNS = 5;
/** 100 units reporting every 30 s: 3.3 positions a second, under a tenth of a core at this figure. */
const GOAL_MS = 30;

async function main() {
  const ctl = await makeController();
  const { db } = ctl;
  const now = new Date();
  const at = now.toISOString();
  replaceLevels(db, [
    { id: 'province', name: 'Tỉnh' },
    { id: 'commune', name: 'Xã' },
  ]);
  db.transaction(() => {
    insertArea(db, { id: 'p', parent_id: null, level: 'province', code: null, name: 'Tỉnh', created_at: at });
    for (let i = 0; i < COMMUNES; i++)
      insertArea(db, {
        id: `c${i}`,
        parent_id: 'p',
        level: 'commune',
        code: null,
        name: `Xã ${i}`,
        created_at: at,
      });
  })();
  const tree = loadTree(db);
  // Communes as 200-corner rings of ~4 km radius on a grid over the south (lon 102-108, lat 8-22).
  db.transaction(() => {
    for (let i = 0; i < COMMUNES; i++) {
      const cx = 102 + (i % 60) * 0.1;
      const cy = 8 + Math.floor(i / 60) * 0.25;
      const ring = Array.from({ length: CORNERS }, (_, k): [number, number] => [
        cx + 0.04 * Math.cos((2 * Math.PI * k) / CORNERS),
        cy + 0.04 * Math.sin((2 * Math.PI * k) / CORNERS),
      ]);
      setGeometry(db, tree, `c${i}`, { polygon: ring, places: [] }, now);
    }
  })();
  const points = Array.from({ length: POSITIONS }, (_, j) => ({
    lat: 8 + (j % 55) * 0.25 + (j % 2 ? 0.01 : 0.2),
    lon: 102 + (j % 60) * 0.1,
  }));
  const ms: number[] = [];
  let inside = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    inside = 0;
    for (const p of points) if (locate(db, p, loadTree(db))) inside++;
    ms.push((performance.now() - t0) / POSITIONS);
    log(`run ${r + 1}: ${ms.at(-1)?.toFixed(2)} ms per position`);
  }
  ctl.cleanup();
  const m = median(ms);
  console.log(`## Mobile loudspeakers: locating a position

The controller's work for one position (\`controller/mobile/geometry.ts\`, \`locate\`, with the area tree read
as \`receivePosition\` reads it): ${COMMUNES} communes drawn as outlines of ${CORNERS} corners, ${POSITIONS} positions
(${inside} inside a commune, the others between them), ${RUNS} runs; the first run parses the drawings (kept until one
changes). Load average (1 min) at the end: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores.

<!-- summary -->
| locate one position, ${COMMUNES} outlines of ${CORNERS} corners | goal | median | runs | verdict |
| --- | --- | --- | --- | --- |
| tree read + deepest drawn area | ≤ ${GOAL_MS} ms | **${m.toFixed(2)} ms** | ${ms.map((x) => x.toFixed(2)).join(', ')} | ${m <= GOAL_MS ? 'met' : '**missed**'} |
<!-- /summary -->`);
}

runBench(main);
