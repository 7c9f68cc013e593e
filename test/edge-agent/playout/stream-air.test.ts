// A relay or live entry on air at the station, with real ffmpeg, a real HTTP upstream and the file output in
// place of the sound card: the relay sequence around the stream, what was heard in the record, the fallback
// clip when the stream cannot be heard, a cut by an emergency, a live session ending with its stream.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPlayer } from '../../../audio/index.ts';
import { systemClock } from '../../../common/clock.ts';
import { SimRelay } from '../../../edge-agent/hardware/relay.ts';
import { recorder } from '../../../edge-agent/playout/asrun.ts';
import { EntryAbort } from '../../../edge-agent/playout/playout.ts';
import { reachable, streamAir } from '../../../edge-agent/playout/stream/air.ts';
import type { ClipRef, TimetableEntry } from '../../../schedules/model.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { paths, tone } from '../../audio/fixtures.ts';
import { startUpstream, type Upstream } from '../../audio/stream/upstream.ts';
import { recordingLogger } from '../../support/log.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

const tmp = tempDir('stream-air');
let upstream: Upstream | null = null;
afterEach(async () => {
  await upstream?.close();
  upstream = null;
});
afterAll(() => tmp.cleanup());

const FALLBACK: ClipRef = { id: 'clip-du-phong', sha256: 'f'.repeat(64), durationMs: 1000, bytes: 1 };

function entry(over: Partial<TimetableEntry>, startInMs: number, lengthMs: number): TimetableEntry {
  const start = Date.now() + startInMs;
  return {
    id: 'vov@2026-12-05',
    slotId: 'vov',
    campaignId: null,
    stationId: 'st-an-hoa',
    clipIds: [],
    localDate: '2026-12-05',
    localTime: '18:00',
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + lengthMs).toISOString(),
    status: 'scheduled',
    ...over,
  } as TimetableEntry;
}

function station(tag: string) {
  const dir = join(tmp.dir, tag);
  const records: AsRunRecord[] = [];
  const relay = new SimRelay(systemClock);
  const fallbackFile = tone(join(tmp.dir, `${tag}-fallback.opus`), 1, ['-c:a', 'libopus']);
  const deps = {
    config: {
      tailMs: 200,
      stationId: 'st-an-hoa',
      secret: 'st-secret-an-hoa',
      controllerUrl: 'http://127.0.0.1:8080',
    },
    clock: systemClock,
    relay,
    player: createPlayer(paths, { kind: 'file', dir }),
    clips: { verifiedPath: async (c: ClipRef) => (c.id === FALLBACK.id ? fallbackFile : null) },
    store: { markStarted: () => {}, unmarkStarted: () => {} },
    log: recordingLogger(),
    record: recorder(() => ({ stationId: 'st-an-hoa', desiredVersion: 3, recordedAt: new Date() })),
    commit: (r: AsRunRecord) => records.push(r),
    changed: () => {},
    onSounding: () => {
      sounding.at = Date.now();
    },
    limits: { notStartedMs: 3000, droppedMs: 1500 },
  };
  const sounding = { at: 0 };
  /** Until the first sample left, then `ms` more (a loaded machine takes its time to get there). */
  const soundFor = async (ms: number) => {
    await waitFor(() => sounding.at > 0, 10_000, 'the stream sounding');
    await new Promise((r) => setTimeout(r, ms));
  };
  const air = (e: TimetableEntry, signal = new AbortController().signal) =>
    streamAir(deps, {
      entry: e,
      warmUpMs: 300,
      volume: 1,
      clipRefs: new Map([[FALLBACK.id, FALLBACK]]),
      signal,
    });
  return { dir, records, relay, deps, air, soundFor };
}

const relayTo = (url: string, via: 'direct' | 'stream-server' = 'direct') => ({
  relay: { url, endTime: '18:30', via, ...(via === 'stream-server' ? { listenUrl: url } : {}) },
});

describe('a relay entry', () => {
  it('goes on air around the stream, from its start to its end, and records what was heard', async () => {
    upstream = await startUpstream({ format: 'ogg' });
    const s = station('plays');
    const e = entry(relayTo(upstream.url), 3500, 2500); // connected ahead, as the runner gives it
    expect(await s.air(e)).toBe('done');
    const [r] = s.records;
    expect(r).toMatchObject({ outcome: 'relay', reason: null, entryId: e.id });
    expect(r?.heardMs).toBeGreaterThan(2000);
    expect(r?.heardMs).toBeLessThanOrEqual(2600);
    // relay on a warm-up before the sound, off a tail after its end
    expect(s.relay.changes.map((c) => c.on)).toEqual([false, true, false]);
    expect(Date.parse(r?.relayOnAt ?? '')).toBeLessThan(Date.parse(e.startsAt));
    expect(Date.parse(r?.relayOffAt ?? '')).toBeGreaterThanOrEqual(Date.parse(e.endsAt));
    expect(existsSync(join(s.dir, `${e.id}.wav`))).toBe(true);
  });

  it('through the stream server, listens with the station its own credentials', async () => {
    upstream = await startUpstream({ format: 'ogg', requireAuth: 'st-an-hoa:st-secret-an-hoa' });
    const s = station('own-credentials');
    await s.air(entry(relayTo(upstream.url, 'stream-server'), 0, 1500));
    expect(s.records[0]?.outcome).toBe('relay');
  });

  it('not there at its time goes on air with its first sound, not before', async () => {
    upstream = await startUpstream({ format: 'ogg' });
    await upstream.goAway();
    const s = station('late-stream');
    s.deps.limits.notStartedMs = 8000; // the back-off's tries reach its return whatever the load
    const e = entry(relayTo(upstream.url), 300, 5000);
    const on = s.air(e);
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.relay.on).toBe(false); // its time has come, its stream has not
    await upstream.resume();
    await on;
    const [r] = s.records;
    expect(r).toMatchObject({ outcome: 'relay' });
    expect(Date.parse(r?.relayOnAt ?? '')).toBeGreaterThan(Date.parse(e.startsAt) + 500);
    expect(Date.parse(r?.relayOnAt ?? '')).toBeLessThanOrEqual(Date.parse(r?.audioStartAt ?? '') + 500);
  });

  it('that cannot be heard plays its fallback clip, then switches off, recorded relay-failed with why', async () => {
    upstream = await startUpstream({ mode: '404' });
    const s = station('fallback');
    const e = entry({ ...relayTo(upstream.url), clipIds: [FALLBACK.id] }, 0, 6000);
    await s.air(e);
    expect(s.records[0]).toMatchObject({ outcome: 'relay-failed', reason: 'stream-not-started', heardMs: 0 });
    expect(s.records[0]?.detail).toMatch(/404.*fallback clip-du-phong played in its place/);
    expect(existsSync(join(s.dir, `${e.id}.fallback.wav`))).toBe(true);
    expect(s.relay.on).toBe(false);
  });

  it('without a fallback, never switches the amplifier on, and says so', async () => {
    const s = station('silence');
    await s.air(entry(relayTo('http://127.0.0.1:9/vov1.mp3'), 0, 6000));
    expect(s.records[0]).toMatchObject({ outcome: 'relay-failed', reason: 'stream-not-started' });
    expect(s.records[0]?.detail).toMatch(/nothing in its place \(amplifier off\)/);
    // the amplifier never went on for a stream that was not there
    expect(s.relay.changes.map((c) => c.on)).toEqual([false]);
    expect(s.records[0]?.relayOnAt).toBeNull();
  });

  it('cut by an emergency is recorded interrupted, with the seconds heard', async () => {
    upstream = await startUpstream({ format: 'ogg' });
    const s = station('cut');
    const cut = new AbortController();
    const on = s.air(entry(relayTo(upstream.url), 0, 20_000), cut.signal);
    await s.soundFor(1500);
    cut.abort(new EntryAbort('interrupted', 'emergency', 'an emergency bulletin cut in'));
    await on;
    expect(s.records[0]).toMatchObject({ outcome: 'interrupted', reason: 'emergency' });
    expect(s.records[0]?.detail).toMatch(/an emergency bulletin cut in; \d s heard/);
    expect(s.relay.on).toBe(false);
  });
});

describe('a live entry', () => {
  it('ends when its stream ends, recorded live with what was heard', async () => {
    upstream = await startUpstream({ format: 'ogg' });
    const s = station('live');
    const live = { live: { url: upstream.url, sessionId: 'live-1', speaker: 'Nguyễn Văn An' } };
    const e = entry({ ...live, id: 'alert:live-1', slotId: 'live-1' }, 0, 60_000);
    const on = s.air(e);
    await s.soundFor(1500);
    await upstream.goAway(); // the speaker ended: the source left the mount
    await on;
    expect(s.records[0]).toMatchObject({ outcome: 'live', reason: null });
    expect(s.records[0]?.heardMs).toBeGreaterThan(500);
    // ended within the drop limit, not at the bulletin's expiry
    expect(Date.parse(s.records[0]?.relayOffAt ?? '')).toBeLessThan(Date.parse(e.endsAt));
    expect(s.relay.on).toBe(false);
  });
});

describe('the stream server as a station reaches it', () => {
  it('is the host the station reaches the controller at, when the controller only knows itself as 127.0.0.1', () => {
    const mount = 'http://127.0.0.1:8000/relay/ab12.ogg';
    expect(reachable(mount, 'https://loa.cantho.gov.vn')).toBe(
      'http://loa.cantho.gov.vn:8000/relay/ab12.ogg',
    );
    expect(reachable(mount, 'http://127.0.0.1:8080')).toBe(mount);
    const named = 'https://radio.cantho.gov.vn/relay/ab12.ogg';
    expect(reachable(named, 'https://loa.cantho.gov.vn')).toBe(named);
  });
});
