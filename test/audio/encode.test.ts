// The piped encoder (filters -> Opus -> file and meter at once): its result, and failure without leftovers.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMeasured } from '../../audio/encode.ts';
import { probeAudio } from '../../audio/index.ts';
import { tempDir } from '../support/temp.ts';
import { ffmpegGen, loudness, paths, processesMentioning } from './fixtures.ts';

const tmp = tempDir('encode');
const f = (name: string) => join(tmp.dir, name);
const run = { timeoutMs: 30_000 };

beforeAll(() => {
  ffmpegGen(f('work.wav'), [
    ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=20:amplitude=0.2:sample_rate=48000'],
    ...['-ac', '1', '-c:a', 'pcm_f32le'],
  ]);
});
afterAll(() => tmp.cleanup());

describe('encodeMeasured', () => {
  it('writes Ogg Opus and measures exactly what it wrote', async () => {
    const fractions: number[] = [];
    const out = await encodeMeasured(paths, f('work.wav'), f('a.opus'), 'volume=3dB', 20, run, (x) =>
      fractions.push(x),
    );
    expect(await probeAudio(paths, f('a.opus'))).toMatchObject({
      codec: 'opus',
      channels: 1,
      sampleRate: 48000,
    });
    const independent = loudness(f('a.opus'));
    expect(Math.abs(out.i - independent.i)).toBeLessThanOrEqual(0.15);
    expect(Math.abs(out.tp - independent.tp)).toBeLessThanOrEqual(0.3);
    expect(fractions.at(-1)).toBeGreaterThan(0.9);
  });

  it('a stage that fails stops the others and leaves no process behind', async () => {
    const err = await encodeMeasured(paths, f('work.wav'), f('b.opus'), 'no-such-filter=1', 20, run).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ code: 'ffmpeg_failed' });
    expect(processesMentioning(tmp.dir)).toEqual([]);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('b.'))).toEqual(['b.opus']); // the caller removes it
  });

  it('an abort stops all three processes at once', async () => {
    const stop = new AbortController();
    const pending = encodeMeasured(
      paths,
      f('work.wav'),
      f('c.opus'),
      'volume=1',
      20,
      { ...run, signal: stop.signal },
      (x) => {
        if (x > 0.1) stop.abort();
      },
    );
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(processesMentioning(tmp.dir)).toEqual([]);
  });
});
