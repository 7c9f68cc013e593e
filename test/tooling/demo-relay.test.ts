// The demo's relay (npm start): its stand-in radio serves real MP3 audio, and the relay slots it adds
// through the demo's API helper land in a real controller (SQLite file), via the stream server or direct.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../audio/index.ts';
import { demoApi } from '../../scripts/demo/api.ts';
import {
  chooseRelayVia,
  type DemoRadio,
  prepareRelays,
  RELAY_SLOT_PREFIX,
  startDemoRadio,
} from '../../scripts/demo/relay.ts';
import { AN_HOA, makeController, type TestController } from '../support/controller.ts';
import { tempDir } from '../support/temp.ts';

const { ffmpeg } = resolveFfmpeg(process.env);

describe('the demo radio', () => {
  const tmp = tempDir('demo-radio');
  let radio: DemoRadio;
  beforeAll(async () => {
    radio = await startDemoRadio(ffmpeg, tmp.dir);
  });
  afterAll(async () => {
    await radio.close();
    tmp.cleanup();
  });

  it('streams spoken MP3 audio in real time on 127.0.0.1, with an audio content type', async () => {
    expect(radio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dai-mau\.mp3$/);
    const res = await fetch(radio.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const started = Date.now();
    while (bytes < 24_000) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
    }
    await reader.cancel();
    // 64 kb/s in real time: 24 KB take about 3 s, not the instant a file would
    expect(Date.now() - started).toBeGreaterThan(1500);
    const file = path.join(tmp.dir, 'heard.mp3');
    writeFileSync(file, Buffer.concat(chunks));
    const run = spawnSync(ffmpeg, ['-hide_banner', '-i', file, '-af', 'volumedetect', '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toContain('Audio: mp3');
    const mean = Number(/mean_volume: (-?[\d.]+) dB/.exec(run.stderr)?.[1]);
    expect(mean).toBeGreaterThan(-40); // sound, not silence
  });

  it('answers 404 for anything but its stream', async () => {
    expect((await fetch(radio.url.replace('dai-mau.mp3', 'khac.mp3'))).status).toBe(404);
    expect(radio.listeners).toBeGreaterThanOrEqual(1);
  });
});

describe('the demo relay slots', () => {
  let ctl: TestController;
  const api = () =>
    demoApi('http://controller.test', async (input, init) => ctl.app.request(input as string, init));
  beforeAll(async () => {
    // an hour before the relays of 10 January 2027, whatever day the tests run on
    ctl = await makeController({ now: () => new Date('2027-01-10T02:00:00Z') });
    // the demo registers its stations first, which makes the area tree the relays target
    expect((await ctl.call('POST', '/api/stations', AN_HOA)).status).toBe(201);
  });
  afterAll(() => ctl.cleanup());

  it('without a stream server relays direct, and says how to install icecast2 when it is missing', async () => {
    const missing = await chooseRelayVia(api(), ctl.token, () => null);
    expect(missing.via).toBe('direct');
    expect(missing.note).toContain('sudo apt-get install icecast2');
    const off = await chooseRelayVia(api(), ctl.token, () => '/usr/bin/icecast2');
    expect(off.via).toBe('direct');
    expect(off.note).toContain('ICECAST_PORT=off');
    expect(off.note).not.toContain('apt-get');
  });

  it('with a running stream server relays through it', async () => {
    const running = demoApi('http://controller.test', async () =>
      Response.json({ kind: 'embedded', running: true, pulls: [] }),
    );
    const chosen = await chooseRelayVia(running, 'token', () => null);
    expect(chosen).toMatchObject({ via: 'stream-server' });
    expect(chosen.note).toContain('once for both stations');
  });

  it('adds a relay slot for every station and its repeats, replacing the last run’s', async () => {
    const o = {
      url: 'http://127.0.0.1:40000/dai-mau.mp3',
      via: 'stream-server' as const,
      startsAt: new Date('2027-01-10T03:00:00Z'), // 10:00 in Hà Nội
      lengthMs: 60_000,
      everyMs: 15 * 60_000,
      repeats: 2,
    };
    const first = await prepareRelays(api(), ctl.token, o);
    expect(first.slotIds).toHaveLength(3);
    const second = await prepareRelays(api(), ctl.token, {
      ...o,
      startsAt: new Date('2027-01-10T03:05:00Z'),
    });
    const slots = (await ctl.call('GET', '/api/slots')).body as {
      id: string;
      startTime: string;
      startDate: string;
      relay: { url: string; endTime: string; via: string };
      clipIds: string[];
    }[];
    const relays = slots.filter((s) => s.id.startsWith(RELAY_SLOT_PREFIX));
    expect(relays.map((s) => s.id).sort()).toEqual([...second.slotIds].sort());
    expect(relays.map((s) => [s.startTime, s.relay.endTime]).sort()).toEqual([
      ['10:05:00', '10:06:00'],
      ['10:20:00', '10:21:00'],
      ['10:35:00', '10:36:00'],
    ]);
    for (const s of relays) {
      expect(s).toMatchObject({ startDate: '2027-01-10', clipIds: [] });
      expect(s.relay).toMatchObject({ url: o.url, via: 'stream-server' });
    }
    // for the whole city: the station's desired state carries them
    const state = ctl.published.filter((d) => d.station.id === AN_HOA.id).at(-1);
    expect(
      state?.slots
        .filter((s) => s.relay)
        .map((s) => s.id)
        .sort(),
    ).toEqual([...second.slotIds].sort());
  });

  it('adds no relay that would run past midnight', async () => {
    const plan = await prepareRelays(api(), ctl.token, {
      url: 'http://127.0.0.1:40000/dai-mau.mp3',
      via: 'direct',
      startsAt: new Date('2027-01-10T16:59:30Z'), // 23:59:30 in Hà Nội
      lengthMs: 60_000,
      everyMs: 15 * 60_000,
      repeats: 3,
    });
    expect(plan.slotIds).toEqual([]);
  });
});
