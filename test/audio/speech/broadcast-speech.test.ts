// The broadcast pipeline for engine speech (`speech: true`, what text clips use): the same loudness, trim
// and format as an upload at a lower Opus complexity and without the whole-file check decode; an
// upload's checks unchanged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAudio, transcodeForBroadcast } from '../../../audio/index.ts';
import { tempDir } from '../../support/temp.ts';
import { loudness, paddedSpeech, paths } from '../fixtures.ts';

const tmp = tempDir('broadcast-speech');
const f = (name: string) => join(tmp.dir, name);
let speech: { file: string; speechS: number };

beforeAll(() => {
  speech = paddedSpeech(tmp.dir, 0.5);
});
afterAll(() => tmp.cleanup());

describe('transcodeForBroadcast for engine speech', { timeout: 120_000 }, () => {
  it('reaches the same loudness, true peak, trim and format as an upload', async () => {
    const asUpload = await transcodeForBroadcast(paths, speech.file, f('upload.opus'));
    const asSpeech = await transcodeForBroadcast(paths, speech.file, f('speech.opus'), { speech: true });
    const probe = await probeAudio(paths, f('speech.opus'));
    expect(probe).toMatchObject({ formatName: 'ogg', codec: 'opus', sampleRate: 48000, channels: 1 });
    expect(Math.abs(asSpeech.durationMs - asUpload.durationMs)).toBeLessThan(30);
    const measured = loudness(f('speech.opus'));
    expect(Math.abs(measured.i - -16)).toBeLessThanOrEqual(0.5);
    expect(measured.tp).toBeLessThanOrEqual(-1.4);
    expect(Math.abs(asSpeech.loudness.outputI - asUpload.loudness.outputI)).toBeLessThan(0.4);
  });

  it('still refuses a file that is not whole when it is an upload', async () => {
    // a WAV cut short: its header says more than is there
    const whole = readFileSync(speech.file);
    writeFileSync(f('cut.wav'), whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(transcodeForBroadcast(paths, f('cut.wav'), f('cut.opus'))).rejects.toMatchObject({
      code: 'corrupt',
    });
  });
});
