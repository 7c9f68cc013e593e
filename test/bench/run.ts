// `npm run bench [-- NAME...]`: runs each test/bench/*.bench.ts in its own process, one after another (so
// they do not compete for the two cores), and collects their Markdown reports into RESULTS.md, with a summary
// first (`0-summary`) made anew each time from the blocks the sections mark `<!-- summary -->`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${wanted.join(' ')}`);
  process.exit(2);
}

const resultsFile = path.join(here, 'RESULTS.md');
const SUMMARY = '0-summary';
const sections = new Map<string, string>();

for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n=== ${name} ===`);
  const started = new Date();
  const report = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  console.log(report);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  sections.set(
    name,
    `<!-- bench: ${name} -->\n${report.trim()}\n\n_Run ${started.toISOString()} on ${machine}._\n`,
  );
}

// Keep the sections of benchmarks not run this time, read now rather than at the start: another run
// (of other benchmarks, by someone else) may have written the file meanwhile.
for (const block of readFileSafe(resultsFile)
  .split(/^<!-- bench: /m)
  .slice(1)) {
  const name = block.slice(0, block.indexOf(' -->'));
  if (!sections.has(name)) sections.set(name, `<!-- bench: ${block.trimEnd()}\n`);
}
sections.set(SUMMARY, summarise(sections));
const body = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([, s]) => s)
  .join('\n');
writeFileSync(
  resultsFile,
  `# Benchmark results\n\nWritten by \`npm run bench\`; each section by its own benchmark in \`test/bench/\`. The summary first (\`${SUMMARY}\`) is made by the runner from the summary blocks of the sections below, every time it writes this file: never edit it by hand.\n\n${body}`,
);
console.log(`results written to ${path.relative(process.cwd(), resultsFile)}`);

/** The summary section: each section's `<!-- summary -->` block, with when it was measured; the others named. */
function summarise(all: Map<string, string>): string {
  const parts: string[] = [];
  const without: string[] = [];
  for (const [name, text] of [...all.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (name === SUMMARY) continue;
    const block = /<!-- summary -->\n([\s\S]*?)\n<!-- \/summary -->/.exec(text)?.[1];
    const run = /_Run (\S+) on /.exec(text)?.[1];
    if (block) parts.push(`${block.trim()}\n\n_From \`${name}\`${run ? `, run ${run}` : ''}._`);
    else without.push(`\`${name}\``);
  }
  const rest = without.length
    ? `\n\nSections without a summary block (see each below): ${without.join(', ')}.`
    : '';
  return `<!-- bench: ${SUMMARY} -->\n## Summary\n\nMade by \`test/bench/run.ts\` from the sections below.\n\n${parts.join('\n\n')}${rest}\n`;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
