// `npm start`: the controller with its embedded broker, two simulated stations as separate processes,
// and the plan's example campaign, arranged so one slot plays and one is skipped for online classes
// within the first three minutes.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../audio/index.ts';
import { updateConfigFile } from '../edge-agent/config/config-file.ts';
import { hashPin } from '../edge-agent/local/auth.ts';
import { loadExampleCampaign } from '../schedules/examples.ts';
import { DEFAULT_TIMEZONE } from '../schedules/model.ts';
import { addDays, utcToZoned } from '../schedules/time.ts';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'));
const demoDir = path.join(dataDir, 'demo');
const port = Number(process.env.PORT ?? 8080);
const api = `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];

const STATIONS = [
  {
    id: 'demo-an-hoa',
    name: 'Đài truyền thanh phường An Hòa',
    district: 'ninh-kieu',
    ward: 'an-hoa',
    agentPort: 8091,
    agentHttpsPort: 8491,
  },
  {
    id: 'demo-tan-an',
    name: 'Đài truyền thanh phường Tân An',
    district: 'ninh-kieu',
    ward: 'tan-an',
    agentPort: 8092,
    agentHttpsPort: 8492,
  },
];

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

async function call(method: string, url: string, token: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body);
  return fetch(`${api}${url}`, { method, headers, body: payload });
}

// biome-ignore lint/suspicious/noExplicitAny: the demo reads the API's JSON answers loosely
async function must(res: Promise<Response>, what: string): Promise<any> {
  const r = await res;
  if (!r.ok) throw new Error(`${what}: HTTP ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${api}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('controller did not become healthy in 60 s');
}

/** A spoken Vietnamese announcement when espeak-ng is installed, otherwise a chime. */
function makeDemoRecording(): string {
  const out = path.join(demoDir, 'thong-diep.wav');
  if (existsSync(out)) return out;
  const text = 'Xét nghiệm là then chốt, vắc-xin là căn cơ để thích ứng an toàn có kiểm soát.';
  try {
    execFileSync('espeak-ng', ['-v', 'vi', '-s', '150', '-w', out, text], { stdio: 'ignore' });
  } catch {
    const { ffmpeg } = resolveFfmpeg(process.env);
    const chime = 'sine=f=660:d=1.5,volume=0.5[a];sine=f=880:d=1.5,volume=0.5[b];[a][b]concat=n=2:v=0:a=1';
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-filter_complex', chime, out]);
  }
  return out;
}

const hms = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE).time;
const ymd = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE).date;

async function main(): Promise<void> {
  mkdirSync(demoDir, { recursive: true });
  const pwFile = path.join(demoDir, 'admin-password');
  if (!existsSync(pwFile)) writeFileSync(pwFile, randomBytes(9).toString('base64url'), { mode: 0o600 });
  const adminPassword = readFileSync(pwFile, 'utf8').trim();

  run('controller', 'controller/main.ts', [], { DATA_DIR: dataDir, ADMIN_PASSWORD: adminPassword });
  await waitForHealth();
  const { token } = await must(
    call('POST', '/api/auth/token', null, { username: 'admin', password: adminPassword }),
    'login',
  );

  for (const s of STATIONS) {
    const cfgFile = path.join(demoDir, `${s.id}.json`);
    const exists = (await call('GET', `/api/stations/${s.id}`, token)).ok;
    if (exists && existsSync(cfgFile)) {
      // configs from before the local page's HTTPS port: two stations on one machine must not share one
      const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
      if (cfg.agentHttpsPort === undefined)
        writeFileSync(cfgFile, JSON.stringify({ ...cfg, agentHttpsPort: s.agentHttpsPort }, null, 2), {
          mode: 0o600,
        });
      continue;
    }
    const { secret } = exists
      ? await must(call('POST', `/api/stations/${s.id}/secret`, token), 'rotate secret')
      : await must(
          call('POST', '/api/stations', token, {
            id: s.id,
            name: s.name,
            district: s.district,
            ward: s.ward,
          }),
          'station',
        );
    const agentConfig = {
      stationId: s.id,
      secret,
      controllerUrl: api,
      mqttUrl: `mqtt://127.0.0.1:${process.env.MQTT_PORT ?? 1883}`,
      dataDir: `./${s.id}`,
      gpio: 'sim',
      // A simulated station on a developer's machine: do not wait for time synchronisation.
      clockTrust: 'always',
      audio: `file:./${s.id}/speaker`,
      agentPort: s.agentPort,
      agentHttpsPort: s.agentHttpsPort,
      agentHost: '127.0.0.1',
    };
    writeFileSync(cfgFile, JSON.stringify(agentConfig, null, 2), { mode: 0o600 });
  }

  // The ward staff's PIN for the stations' local pages (one for both demo stations).
  const pinFile = path.join(demoDir, 'station-pin');
  if (!existsSync(pinFile))
    writeFileSync(pinFile, String(100000 + (randomBytes(4).readUInt32BE() % 900000)), { mode: 0o600 });
  const pin = readFileSync(pinFile, 'utf8').trim();
  for (const s of STATIONS) {
    const cfgFile = path.join(demoDir, `${s.id}.json`);
    if (!(JSON.parse(readFileSync(cfgFile, 'utf8')) as { localPinHash?: string }).localPinHash)
      updateConfigFile(cfgFile, { localPinHash: await hashPin(pin) });
  }

  const clips: { id: string; title: string; status: string }[] = await must(
    call('GET', '/api/clips', token),
    'clips',
  );
  let clip = clips.find(
    (c) => c.title === 'Thông điệp 5K - demo' && !['failed', 'rejected'].includes(c.status),
  );
  if (!clip) {
    const form = new FormData();
    form.set('file', new File([readFileSync(makeDemoRecording())], 'thong-diep.wav'));
    form.set('title', 'Thông điệp 5K - demo');
    // wait=true: answered once processed (a draft); then reviewed, as the department would
    clip = await must(call('POST', '/api/clips?wait=true', token, form), 'upload clip');
  }
  if ((clip as { status?: string }).status !== 'approved') {
    await must(call('POST', `/api/clips/${(clip as { id: string }).id}/approve`, token), 'approve clip');
  }
  const clipId = (clip as { id: string }).id;

  // The example campaign, moved to this week; its recurring rules start tomorrow so that today
  // only the two demonstration slots below run.
  const example = loadExampleCampaign();
  const now = new Date();
  const today = ymd(now);
  const tomorrow = addDays(today, 1);
  const end = addDays(today, 7);
  await call('DELETE', `/api/campaigns/${example.campaign.id}`, token);
  await must(
    call('POST', '/api/campaigns', token, { ...example.campaign, startDate: today, endDate: end }),
    'campaign',
  );
  for (const q of example.quietWindows) {
    await call('DELETE', `/api/quiet-windows/${q.id}`, token);
    await must(
      call('POST', '/api/quiet-windows', token, { ...q, startDate: tomorrow, endDate: end }),
      'quiet window',
    );
  }
  for (const s of example.slots) {
    await must(
      call('POST', '/api/slots', token, { ...s, clipIds: [clipId], startDate: tomorrow, endDate: end }),
      'slot',
    );
  }

  const playAt = new Date(Math.ceil((now.getTime() + 75_000) / 10_000) * 10_000);
  const skipAt = new Date(playAt.getTime() + 45_000);
  const classFrom = new Date(skipAt.getTime() - 15_000);
  const classTo = new Date(skipAt.getTime() + 60_000);
  await call('DELETE', '/api/quiet-windows/qw-demo-hoc-truc-tuyen', token);
  await must(
    call('POST', '/api/quiet-windows', token, {
      id: 'qw-demo-hoc-truc-tuyen',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: hms(classFrom),
      endTime: hms(classTo),
      startDate: ymd(classFrom),
      endDate: ymd(classFrom),
      reason: 'online-class',
      note: 'Giờ học trực tuyến (demo)',
      target: { scope: 'city' },
    }),
    'demo quiet window',
  );
  // Fresh slot ids each run: an entry id (slot@date) plays at most once per station.
  const stamp = hms(now).replaceAll(':', '');
  for (const [id, at] of [
    [`demo-phat-${stamp}`, playAt],
    [`demo-hoc-${stamp}`, skipAt],
  ] as const) {
    const slot = {
      id,
      campaignId: example.campaign.id,
      clipIds: [clipId],
      startTime: hms(at),
      weekdays: [1, 2, 3, 4, 5, 6, 7],
    };
    await must(
      call('POST', '/api/slots', token, {
        ...slot,
        startDate: ymd(at),
        endDate: ymd(at),
        target: { scope: 'city' },
      }),
      id,
    );
  }

  for (const s of STATIONS)
    run(s.id, 'edge-agent/cli/main.ts', ['--config', path.join(demoDir, `${s.id}.json`)], {});

  console.log(`
Loa phường demo is running.
  API:         ${api}  (admin / ${adminPassword})
  Console:     ${api}/console
  OpenAPI:     ${api}/api/openapi.json
  Stations:    ${STATIONS.map((s) => `http://127.0.0.1:${s.agentPort}/`).join('  ')}  (local pages, PIN ${pin}; /api/status)
  Plays at ${hms(playAt)} (Asia/Ho_Chi_Minh); skipped for online classes at ${hms(skipAt)}.
  As-run log:  curl -s -H "Authorization: Bearer ${token}" ${api}/api/plays
  What the speakers heard: ${path.join(demoDir, '<station>', 'speaker')}
Press Ctrl+C to stop.
`);
  await followPlays(token);
}

/** Prints each as-run record as it arrives, so the newcomer sees the play and the skip. */
async function followPlays(token: string): Promise<void> {
  const seen = new Set<string>();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const res = await call(
      'GET',
      `/api/plays?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
      token,
    ).catch(() => null);
    if (!res?.ok) continue;
    for (const p of (await res.json()) as {
      id: string;
      stationId: string;
      outcome: string;
      reason: string | null;
      scheduledAt: string;
    }[]) {
      const key = `${p.stationId}/${p.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      console.log(
        `[as-run] ${p.stationId} ${p.outcome}${p.reason ? ` (${p.reason})` : ''} - scheduled ${hms(new Date(p.scheduledAt))}`,
      );
    }
  }
}

const shutdown = () => {
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 1500).unref();
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  shutdown();
  process.exitCode = 1;
});
