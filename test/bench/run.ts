// `npm run bench [-- NAME...]`: runs each test/bench/*.bench.ts in its own process, one after another (so
// they do not compete for the two cores), and collects their Markdown reports into RESULTS.md.
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
const sections = new Map<string, string>();
// Keep the sections of benchmarks not run this time.
for (const block of readFileSafe(resultsFile)
  .split(/^<!-- bench: /m)
  .slice(1)) {
  const name = block.slice(0, block.indexOf(' -->'));
  sections.set(name, `<!-- bench: ${block.trimEnd()}\n`);
}

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

const body = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([, s]) => s)
  .join('\n');
writeFileSync(
  resultsFile,
  `# Benchmark results\n\nWritten by \`npm run bench\`; each section by its own benchmark in \`test/bench/\`, except the summary of the fleet's figures first (\`0-summary\`), written by hand from the sections below and kept as it is by the runner.\n\n${body}`,
);
console.log(`results written to ${path.relative(process.cwd(), resultsFile)}`);

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
