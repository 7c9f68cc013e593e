// The agent's player started ahead, with real ffmpeg: ready before its release, the first sample's moment as
// reported, one sink process kept across entries (the ALSA form, writing to a file here), a cut that silences
// at once, and no player left running when the agent process is killed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlayer, probeAudio, sinkOutput } from '../../audio/index.ts';
import { ROOT } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { waitFor } from '../support/wait.ts';
import { paths, processesMentioning, tone } from './fixtures.ts';

const tmp = tempDir('prepared-player');
const f = (name: string) => join(tmp.dir, name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  tone(f('a.opus'), 1, ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '40k']);
  tone(f('b.opus'), 0.5, ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '40k']);
  tone(f('long.opus'), 20, ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '40k']);
  // longer than a pipe and a stream buffer hold decoded (about 0.8 s): its decoder waits, it cannot finish
  tone(f('next.opus'), 5, ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '40k']);
});
afterAll(() => tmp.cleanup());

describe('a player started ahead', () => {
  it('waits ready, decoder open, and reports as its start the moment its first samples left', async () => {
    const player = createPlayer(paths, { kind: 'file', dir: f('out') });
    const p = player.prepare([f('a.opus'), f('b.opus')], { name: 'ahead' });
    await p.ready;
    expect(p.isReady).toBe(true);
    expect(existsSync(f('out/ahead.wav'))).toBe(false); // nothing released yet
    await sleep(300);
    const s = p.start({ timeoutMs: 10_000 });
    // the file is created, with the first samples, within start(): before the moment it reports
    const born = statSync(f('out/ahead.wav')).birthtimeMs;
    expect(s.startedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(born));
    // and long after the process started (300 ms before the release): the release, not the spawn (how close
    // to the first sample it is, is measured by the slot-timing benchmark, not here)
    expect(s.startedAt.getTime() - born).toBeLessThan(250);
    const r = await s.ended;
    // both clips, one after the other, as one sound, paced like speakers
    const wav = await probeAudio(paths, f('out/ahead.wav'));
    expect(Math.abs(wav.durationMs - 1500)).toBeLessThanOrEqual(60);
    expect(r.endedAt.getTime() - r.startedAt.getTime()).toBeGreaterThanOrEqual(1450);
    player.close();
  });

  it('cannot be released before it is ready, and a file it cannot read fails its readiness', async () => {
    writeFileSync(f('broken.opus'), 'not audio at all');
    const player = createPlayer(paths, { kind: 'null' });
    const bad = player.prepare([f('broken.opus')], { name: 'bad' });
    await expect(bad.ready).rejects.toMatchObject({ code: 'ffmpeg_failed' });
    expect(() => bad.start({ timeoutMs: 1000 })).toThrow(/not ready/);
    player.close();
  });

  it('keeps one sink process (the ALSA form) across entries, each entry whole in it, and a cut silences at once', async () => {
    const out = f('sink.raw');
    const sink = sinkOutput(paths.ffmpeg, ['-flush_packets', '1', '-f', 's16le', out]);
    const player = createPlayer(paths, { kind: 'alsa', device: 'unused' }, { output: sink });
    const pid = sink.pid;
    const bytes = () => (existsSync(out) ? statSync(out).size : 0);
    for (const [name, file, seconds] of [
      ['one', 'a.opus', 1],
      ['two', 'b.opus', 0.5],
    ] as const) {
      const before = bytes();
      const p = player.prepare([f(file)], { name });
      await p.ready;
      await p.start({ timeoutMs: 10_000 }).ended;
      // the whole entry reaches the output (padded to whole packets), not held back for the next one
      const want = seconds * 48_000 * 2 * 2;
      await waitFor(() => bytes() - before >= want, 2000, `${name} written out`);
      expect(bytes() - before).toBeLessThan(want + 4096 * 2);
      expect(sink.pid).toBe(pid);
    }
    // a cut: the sink holds up to a second that must not play on; it is replaced for the next entry
    const cut = new AbortController();
    const p = player.prepare([f('long.opus')], { name: 'cut' });
    await p.ready;
    const ended = p.start({ timeoutMs: 30_000, signal: cut.signal }).ended;
    await sleep(200);
    cut.abort();
    await expect(ended).rejects.toMatchObject({ code: 'aborted' });
    expect(processesMentioning(out)).toEqual([]);
    player.close();
  });
});

describe('when the agent process is killed', () => {
  it('leaves no player running: the decoder loses its reader, the sink its writer', async () => {
    const script = f('agent.mts');
    writeFileSync(
      script,
      `import { createPlayer, resolveFfmpeg } from ${JSON.stringify(join(ROOT, 'audio/index.ts'))};
const player = createPlayer(resolveFfmpeg(), { kind: 'file', dir: ${JSON.stringify(f('killed'))} });
const playing = player.prepare([${JSON.stringify(f('long.opus'))}], { name: 'on-air' });
const waiting = player.prepare([${JSON.stringify(f('next.opus'))}], { name: 'next' });
await Promise.all([playing.ready, waiting.ready]);
playing.start({ timeoutMs: 60_000 });
console.log('playing');
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      child.stdout?.on('data', (d: Buffer) => d.includes('playing') && resolve()),
    );
    expect(processesMentioning(f('long.opus'))).toHaveLength(1);
    expect(processesMentioning(f('next.opus'))).toHaveLength(1);
    await sleep(500);
    child.kill('SIGKILL');
    await waitFor(
      () => processesMentioning(f('long.opus')).length + processesMentioning(f('next.opus')).length === 0,
      3000,
      'the players to end with the agent',
    );
    // what was written stops where the agent died: about half a second of a 20 s clip
    const size = statSync(f('killed/on-air.wav')).size;
    expect(size).toBeLessThan(3 * 48_000 * 2);
    await sleep(300);
    expect(statSync(f('killed/on-air.wav')).size).toBe(size);
    expect(readFileSync(f('killed/on-air.wav')).subarray(0, 4).toString()).toBe('RIFF');
  });
});
