// A refused upload stores nothing, also when the refusal comes from processing (?wait=true); and no
// answer about a recording shows a server path, a stack frame or SQL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ffmpegGen, tone } from '../../audio/fixtures.ts';
import { clipStoreSnapshot, LEAK } from '../../support/clip-store.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

let ctl: TestController;
let technician: string;
const tmp = tempDir('clips-refused');
const f = (name: string) => path.join(tmp.dir, name);
let before: ReturnType<typeof clipStoreSnapshot>;

/** Bytes that look random to a decoder, the same on every run. */
const noise = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + 13) % 251));
/** The recording of finding 4: a short mp3 with random bytes after it. ffprobe accepts it; processing finds no sound. */
const mp3WithNoise = () => Buffer.concat([readFileSync(f('short.mp3')), noise(1000)]);

beforeAll(async () => {
  // recordings over 3 s are too long here
  ctl = await makeController(undefined, { MAX_CLIP_MINUTES: '0.05' });
  technician = await ctl.tokenFor('kt-cai-rang', 'technician', { districts: ['cai-rang'] });
  tone(f('short.mp3'), 0.2, ['-b:a', '128k']);
  tone(f('long.mp3'), 5, ['-b:a', '128k']);
  ffmpegGen(f('silent.wav'), ['-f', 'lavfi', '-i', 'anullsrc=duration=1.5:sample_rate=22050']);
  ffmpegGen(f('video.mp4'), ['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x64', '-c:v', 'mpeg4']);
}, 60_000);
beforeEach(() => {
  before = clipStoreSnapshot(ctl);
});
afterAll(() => {
  ctl.cleanup();
  tmp.cleanup();
});

/** Follows the clip's event stream until processing is done; answers the clip. */
async function processed(id: string) {
  const events = await ctl.app.request(`/api/clips/${id}/events`, {
    headers: { authorization: `Bearer ${technician}` },
  });
  const done = /event: done\ndata: (.*)\n/.exec(await events.text());
  return JSON.parse(done?.[1] ?? 'null');
}

describe('finding 4: a refused upload stores nothing', () => {
  it('an mp3 followed by random bytes, waited for, is refused 415 and leaves no row and no file', async () => {
    const r = await ctl.upload('thong-bao.mp3', mp3WithNoise(), 'Thông báo', technician, '?wait=true');
    expect(r.status).toBe(415);
    expect(r.body).toMatchObject({
      error: 'empty',
      message: 'clip rejected: the recording contains only silence',
    });
    expect(clipStoreSnapshot(ctl)).toEqual(before);
  });

  it('a silent recording, waited for: the same, and uploading it again is refused again', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await ctl.upload('lang.wav', readFileSync(f('silent.wav')), 'x', technician, '?wait=true');
      expect(r.status).toBe(415);
      expect(r.body.error).toBe('empty');
      expect(clipStoreSnapshot(ctl)).toEqual(before);
    }
  });

  it('two uploads of the same bytes, both waiting: both refused, nothing stored', async () => {
    const bytes = mp3WithNoise();
    const answers = await Promise.all([
      ctl.upload('a.mp3', bytes, 'A', technician, '?wait=true'),
      ctl.upload('b.mp3', bytes, 'B', technician, '?wait=true'),
    ]);
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([
      [415, 'empty'],
      [415, 'empty'],
    ]);
    expect(clipStoreSnapshot(ctl)).toEqual(before);
  });

  it('without wait the upload was accepted (202): the clip stays, failed, with a reason that names no file', async () => {
    const r = await ctl.upload('thong-bao.mp3', mp3WithNoise(), 'Thông báo', technician);
    expect(r.status).toBe(202);
    const clip = await processed(r.body.id);
    expect(clip).toMatchObject({ status: 'failed', reason: 'empty: the recording contains only silence' });
    expect(clipStoreSnapshot(ctl).tmp).toEqual([]);
    expect((await ctl.call('DELETE', `/api/clips/${clip.id}`)).status).toBe(204);
    expect(clipStoreSnapshot(ctl)).toEqual(before);
  });

  it('a waiting upload refused while another was told the clip exists: that clip stays for the other', async () => {
    const bytes = readFileSync(f('silent.wav'));
    // sent together, one is admitted just after the other (one admission per hash at a time), while
    // that one is still processing: whichever came second, the one not waiting was told of the clip
    const [waiting, told] = await Promise.all([
      ctl.upload('cho.wav', bytes, 'waits', technician, '?wait=true'),
      ctl.upload('khong-cho.wav', bytes, 'does not wait', technician),
    ]);
    expect([200, 202]).toContain(told.status);
    expect(waiting.status).toBe(415);
    const kept = await ctl.call('GET', `/api/clips/${told.body.id}`);
    expect(kept.body).toMatchObject({
      status: 'failed',
      reason: 'empty: the recording contains only silence',
    });
    expect((await ctl.call('DELETE', `/api/clips/${told.body.id}`)).status).toBe(204);
    expect(clipStoreSnapshot(ctl)).toEqual(before);
  });
});

describe('finding 5: answers about a recording name no server file', () => {
  const bad: [string, string, () => Uint8Array][] = [
    ['notes.txt', 'not_audio', () => Buffer.from('Lịch phát thanh tuần này\n'.repeat(50))],
    ['video.mp4', 'no_audio_stream', () => readFileSync(f('video.mp4'))],
    ['empty.wav', 'empty', () => new Uint8Array(0)],
    ['long.mp3', 'too_long', () => readFileSync(f('long.mp3'))],
    ['cut.mp3', 'corrupt', () => readFileSync(f('long.mp3')).subarray(0, 3000)],
    ['noise.mp3', 'corrupt|not_audio', () => noise(20_000)],
    ['thong-bao.mp3', 'empty', mp3WithNoise],
  ];
  it.each(bad)('%s: a refusal in plain words (%s), waited for or not', async (name, code, bytes) => {
    for (const query of ['', '?wait=true']) {
      const r = await ctl.upload(name, bytes(), 'x', technician, query);
      const failed = r.status === 202 ? await processed(r.body.id) : null;
      const answer = failed ? { error: failed.reason, message: failed.reason } : r.body;
      expect(answer.error).toMatch(new RegExp(`^(${code})`));
      expect(answer.message).toMatch(/^(clip rejected: )?[a-z_]*:? ?[a-z]/);
      expect(JSON.stringify(answer)).not.toMatch(LEAK);
      if (failed) expect((await ctl.call('DELETE', `/api/clips/${failed.id}`)).status).toBe(204);
    }
    expect(clipStoreSnapshot(ctl)).toEqual(before);
  });

  it('the too_long refusal says how long, in seconds', async () => {
    const r = await ctl.upload('long.mp3', readFileSync(f('long.mp3')), 'x', technician);
    expect(r.body.message).toMatch(
      /^clip rejected: the recording lasts 5(\.\d)? s, longer than the limit of 3 s$/,
    );
  });
});
