// The demo's relay (tiếp sóng): a stand-in radio station streaming from this process, and relay slots of
// it, through the controller's stream server (Icecast: one pull for both stations) or, without one,
// pulled by each station directly.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { INSTALL_HINT, locateIcecast } from '../../controller/stream/icecast-process.ts';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import type { DemoApi } from './api.ts';

export const DEMO_RADIO_NAME = 'Đài phát thanh mẫu (demo)';
/** Slot ids of the demo's relays start so; a new run deletes the last run's (their upstream is gone). */
export const RELAY_SLOT_PREFIX = 'demo-tiep-song-';

export interface DemoRadio {
  /** The stream's URL on 127.0.0.1 (MP3, as most provincial stations publish). */
  url: string;
  /** Listeners served so far (each one its own real-time encoder). */
  readonly listeners: number;
  close(): Promise<void>;
}

/** The programme on air: a spoken station call when espeak-ng is installed, otherwise a tone; then a pause. */
function makeProgramme(ffmpeg: string, demoDir: string): string {
  const out = path.join(demoDir, 'dai-mau.wav');
  if (existsSync(out)) return out;
  const spoken = path.join(demoDir, 'dai-mau-loi.wav');
  const text =
    'Đây là Đài phát thanh mẫu của bản demo Loa phường. Các đài truyền thanh phường đang tiếp sóng chương trình này.';
  let input: string[];
  try {
    execFileSync('espeak-ng', ['-v', 'vi', '-s', '150', '-w', spoken, text], { stdio: 'ignore' });
    input = ['-i', spoken];
  } catch {
    input = ['-f', 'lavfi', '-i', 'sine=f=660:d=2.4,volume=0.5'];
  }
  execFileSync(ffmpeg, ['-v', 'error', '-y', ...input, '-af', 'apad=pad_dur=0.8', out]);
  return out;
}

/**
 * Starts the demo radio on a free port of 127.0.0.1: each listener gets the programme, looped with a short
 * pause, encoded to MP3 by ffmpeg in real time (`-re`), with Icecast's content type.
 */
export async function startDemoRadio(ffmpeg: string, demoDir: string): Promise<DemoRadio> {
  const programme = makeProgramme(ffmpeg, demoDir);
  const encoders = new Set<ChildProcess>();
  let listeners = 0;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/dai-mau.mp3') return void res.writeHead(404).end();
    listeners++;
    const enc = spawn(
      ffmpeg,
      [
        ...['-hide_banner', '-nostdin', '-v', 'error', '-re', '-stream_loop', '-1', '-i', programme],
        ...['-ac', '1', '-ar', '44100'],
        ...['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', 'pipe:1'],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    encoders.add(enc);
    enc.once('close', () => {
      encoders.delete(enc);
      res.end();
    });
    // header values are Latin-1: the Vietnamese name goes without its marks
    res.writeHead(200, {
      'content-type': 'audio/mpeg',
      'icy-name': 'Dai phat thanh mau (demo)',
      'cache-control': 'no-cache',
    });
    enc.stdout?.pipe(res);
    res.once('close', () => enc.kill('SIGKILL'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dai-mau.mp3`,
    get listeners() {
      return listeners;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const e of encoders) e.kill('SIGKILL');
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type RelayVia = 'stream-server' | 'direct';

/**
 * Through the stream server when the controller runs one, else direct; with the line to print at start
 * (with the install command when icecast2 is missing).
 */
export async function chooseRelayVia(
  api: DemoApi,
  token: string,
  locate: () => string | null = locateIcecast,
): Promise<{ via: RelayVia; note: string }> {
  const res = await api.call('GET', '/api/stream/status', token).catch(() => null);
  const status = res?.ok ? ((await res.json()) as { kind: string; running: boolean }) : null;
  if (status && status.kind !== 'off' && status.running)
    return {
      via: 'stream-server',
      note: `via the stream server (${status.kind === 'external' ? 'Icecast at ICECAST_URL' : 'embedded Icecast'}): the controller pulls the stream once for both stations`,
    };
  const why = !locate()
    ? `icecast2 is not installed, so live speech (/api/live) is off too; install it: ${INSTALL_HINT}`
    : 'the stream server is not running: ICECAST_PORT=off, or its port is taken (see the [controller] lines)';
  return { via: 'direct', note: `direct: each station pulls the stream itself (${why})` };
}

const zoned = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE);

export interface RelayPlan {
  /** The first relay's start and end, then the repeats'. */
  times: { startsAt: Date; endsAt: Date }[];
  slotIds: string[];
}

/**
 * Deletes the last run's demo relays, then adds one relay slot at `startsAt` lasting `lengthMs` and a
 * repeat every `everyMs` after it, `repeats` times, for all stations (a slot never runs past midnight).
 */
export async function prepareRelays(
  api: DemoApi,
  token: string,
  o: { url: string; via: RelayVia; startsAt: Date; lengthMs: number; everyMs: number; repeats: number },
): Promise<RelayPlan> {
  const { call, must } = api;
  const slots: { id: string }[] = await must(call('GET', '/api/slots', token), 'slots');
  for (const s of slots.filter((s) => s.id.startsWith(RELAY_SLOT_PREFIX)))
    await must(call('DELETE', `/api/slots/${s.id}`, token), `delete ${s.id}`);
  const stamp = zoned(o.startsAt).time.replaceAll(':', '');
  const plan: RelayPlan = { times: [], slotIds: [] };
  for (let i = 0; i <= o.repeats; i++) {
    const startsAt = new Date(o.startsAt.getTime() + i * o.everyMs);
    const endsAt = new Date(startsAt.getTime() + o.lengthMs);
    const from = zoned(startsAt);
    const to = zoned(endsAt);
    if (from.date !== to.date) break;
    const id = `${RELAY_SLOT_PREFIX}${stamp}-${i + 1}`;
    await must(
      call('POST', '/api/slots', token, {
        id,
        clipIds: [], // no fallback: a relay that fails leaves the amplifier off, recorded relay-failed
        relay: { url: o.url, endTime: to.time, via: o.via },
        startTime: from.time,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        startDate: from.date,
        endDate: from.date,
        target: { scope: 'city' },
      }),
      id,
    );
    plan.times.push({ startsAt, endsAt });
    plan.slotIds.push(id);
  }
  return plan;
}
