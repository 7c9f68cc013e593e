// `npm run agent-pin -- --config FILE [--pin PIN]`: sets the ward staff's PIN (or password) for the station's
// local page. Only its scrypt hash is stored, as `localPinHash` in the config; the other keys stay as they are.
import { parseArgs } from 'node:util';
import { updateConfigFile } from '../config/config-file.ts';
import { hashPin, pinProblem } from '../local/auth.ts';

/** Reads one line from a terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function readPin(given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (!process.stdin.isTTY) return readStdin();
  const pin = await askHidden('New PIN or password for the station page (at least 4): ');
  const problem = pinProblem(pin);
  if (problem) throw new Error(problem);
  if ((await askHidden('Again: ')) !== pin) throw new Error('the two entries differ; nothing changed');
  return pin;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, pin: { type: 'string' } },
    strict: true,
  });
  const file = values.config ?? process.env.AGENT_CONFIG;
  if (!file) {
    console.error('usage: npm run agent-pin -- --config FILE [--pin PIN]   (or the PIN on stdin)');
    process.exit(2);
  }
  const pin = await readPin(values.pin);
  const problem = pinProblem(pin);
  if (problem) throw new Error(`${problem}; nothing changed`);
  updateConfigFile(file, { localPinHash: await hashPin(pin) });
  console.log(`PIN set in ${file}; restart the agent (systemctl restart loa-agent) for it to take effect`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
