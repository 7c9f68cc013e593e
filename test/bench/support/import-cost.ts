// What each module costs the deployed agent at import: each one bundled as the agent is (esbuild, packages
// external) and imported alone in a fresh `node` with the systemd unit's flags; RSS after a GC, minus a bare
// node's. Used by agent-footprint.bench.ts; `tsx test/bench/support/import-cost.ts` prints the table alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../support/process.ts';
import { median } from './bench.ts';

/** The modules the agent loads, heaviest suspects first: packages by name, the agent's own by path. */
export const MODULES = [
  'zod',
  'mqtt',
  'hono',
  '@hono/node-server',
  'better-sqlite3',
  'node-schedule',
  'pino',
  'fluent-ffmpeg',
  '@dqcai/vn-lunar',
  'onoff',
  'schedules/model.ts',
  'schedules/protocol.ts',
  'edge-agent/config/config.ts',
  'edge-agent/link/link.ts',
  'edge-agent/local/app.ts',
  'edge-agent/local/serve.ts',
  'edge-agent/local/tls.ts',
  'audio/index.ts',
  'edge-agent/agent.ts',
  'edge-agent/cli/main.ts',
];

const PROBE = (spec: string) => `
await import(${JSON.stringify(spec)});
globalThis.gc?.(); globalThis.gc?.();
process.stdout.write(String(process.memoryUsage().rss));
process.exit(0);
`;

function rssOf(flags: string[], spec: string | null): number {
  const dir = path.join(ROOT, 'test/bench/out/import-cost');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, spec ? PROBE(spec) : PROBE('node:os'));
  const out = execFileSync(process.execPath, ['--expose-gc', ...flags, file], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return Number(out) / 2 ** 20;
}

/** Bundles an agent file as the deployment does (the main only runs under its own entry: not executed here). */
function bundled(file: string): string {
  const dir = path.join(ROOT, 'test/bench/out/import-cost');
  const out = path.join(dir, `${file.replace(/[/.]/g, '_')}.mjs`);
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/esbuild'),
    [
      file,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      '--packages=external',
      `--outfile=${out}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}

/** MB each module adds to a bare node (median of `runs`), in the order given. */
export function importCosts(flags: string[], runs = 3, modules = MODULES): { module: string; mb: number }[] {
  const base = median(Array.from({ length: runs }, () => rssOf(flags, null)));
  return modules
    .filter((m) => m !== 'edge-agent/cli/main.ts') // it starts an agent when imported
    .map((m) => {
      const spec = m.endsWith('.ts') ? bundled(m) : m;
      return { module: m, mb: median(Array.from({ length: runs }, () => rssOf(flags, spec))) - base };
    });
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const costs = importCosts(['--max-semi-space-size=1', '--max-old-space-size=96']);
  for (const c of costs) console.log(`${c.module.padEnd(32)} ${c.mb.toFixed(1)} MB`);
}
