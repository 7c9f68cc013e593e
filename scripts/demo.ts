// `npm start`: the controller with its embedded broker, two simulated stations as separate processes,
// and the plan's example campaign, arranged so that within the first four minutes one slot plays, a
// relay of the demo's own radio stream is heard, and one slot is skipped for online classes.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../audio/index.ts';
import { demoApi } from './demo/api.ts';
import { hms, prepareProgramme } from './demo/campaign.ts';
import {
  chooseRelayVia,
  DEMO_RADIO_NAME,
  type DemoRadio,
  prepareRelays,
  startDemoRadio,
} from './demo/relay.ts';
import { prepareStations, STATIONS } from './demo/stations.ts';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'));
const demoDir = path.join(dataDir, 'demo');
const api = demoApi(`http://127.0.0.1:${Number(process.env.PORT ?? 8080)}`);
const children: ChildProcess[] = [];
let radio: DemoRadio | null = null;
/** The relay: 20 s after the slot that plays, for a minute, and again every 15 minutes for an hour. */
const RELAY = { afterPlayMs: 20_000, lengthMs: 60_000, everyMs: 15 * 60_000, repeats: 4 };

function run(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) console.log(`[${name}] ${line}`);
  };
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  child.on('exit', (code) => code && console.log(`[${name}] exited with code ${code}`));
  children.push(child);
  return child;
}

async function main(): Promise<void> {
  mkdirSync(demoDir, { recursive: true });
  const pwFile = path.join(demoDir, 'admin-password');
  if (!existsSync(pwFile)) writeFileSync(pwFile, randomBytes(9).toString('base64url'), { mode: 0o600 });
  const adminPassword = readFileSync(pwFile, 'utf8').trim();

  run('controller', 'controller/main.ts', [], { DATA_DIR: dataDir, ADMIN_PASSWORD: adminPassword });
  await api.waitForHealth();
  const { token } = await api.must(
    api.call('POST', '/api/auth/token', null, { username: 'admin', password: adminPassword }),
    'login',
  );
  const pin = await prepareStations(api, token, demoDir);
  radio = await startDemoRadio(resolveFfmpeg(process.env).ffmpeg, demoDir);
  const { via, note } = await chooseRelayVia(api, token);
  // the skipped slot waits until the relay has ended
  const skipAfterMs = RELAY.afterPlayMs + RELAY.lengthMs + 30_000;
  const { playAt, skipAt } = await prepareProgramme(api, token, demoDir, skipAfterMs);
  const relays = await prepareRelays(api, token, {
    ...RELAY,
    url: radio.url,
    via,
    startsAt: new Date(playAt.getTime() + RELAY.afterPlayMs),
  });
  const [first, ...repeats] = relays.times;
  const last = repeats.at(-1);
  const relayAt = first
    ? `${hms(first.startsAt)}-${hms(first.endsAt)}${last ? `, then every ${RELAY.everyMs / 60_000} min until ${hms(last.endsAt)}` : ''}`
    : 'none today (it would run past midnight)';

  for (const s of STATIONS)
    run(s.id, 'edge-agent/cli/main.ts', ['--config', path.join(demoDir, `${s.id}.json`)], {});

  console.log(`
Loa phường demo is running.
  API:         ${api.url}  (admin / ${adminPassword})
  Console:     ${api.url}/console
  OpenAPI:     ${api.url}/api/openapi.json
  Stations:    ${STATIONS.map((s) => `http://127.0.0.1:${s.agentPort}/`).join('  ')}  (local pages, PIN ${pin}; /api/status)
  Plays at ${hms(playAt)} (Asia/Ho_Chi_Minh); skipped for online classes at ${hms(skipAt)}.
  Relay (tiếp sóng) of "${DEMO_RADIO_NAME}" at ${radio.url}:
               ${relayAt}
               ${note}
  As-run log:  curl -s -H "Authorization: Bearer ${token}" ${api.url}/api/plays
  What the speakers heard: ${path.join(demoDir, '<station>', 'speaker')}
Press Ctrl+C to stop.
`);
  await followPlays(token);
}

/** Prints each as-run record as it arrives, so the newcomer sees the play, the relay and the skip. */
async function followPlays(token: string): Promise<void> {
  const seen = new Set<string>();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const res = await api
      .call(
        'GET',
        `/api/plays?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
        token,
      )
      .catch(() => null);
    if (!res?.ok) continue;
    for (const p of (await res.json()) as {
      id: string;
      stationId: string;
      outcome: string;
      reason: string | null;
      scheduledAt: string;
      heardMs: number | null;
    }[]) {
      const key = `${p.stationId}/${p.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      console.log(
        `[as-run] ${p.stationId} ${p.outcome}${p.reason ? ` (${p.reason})` : ''}${p.heardMs != null ? `, heard ${Math.round(p.heardMs / 1000)} s` : ''} - scheduled ${hms(new Date(p.scheduledAt))}`,
      );
    }
  }
}

const shutdown = () => {
  for (const c of children) c.kill('SIGTERM');
  void radio?.close();
  setTimeout(() => process.exit(0), 1500).unref();
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  shutdown();
  process.exitCode = 1;
});
