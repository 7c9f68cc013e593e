// Clip delivery to a station over a link that breaks: the agent resumes with Range from its partial file
// (also after a restart), verifies the sha256 before use, and starts over only when the bytes are wrong.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClipCache } from '../../../edge-agent/clips/cache.ts';
import { openStore } from '../../../edge-agent/state/store.ts';
import type { ClipRef } from '../../../schedules/model.ts';
import { tone } from '../../audio/fixtures.ts';
import { AN_HOA, makeController, type TestController } from '../../support/controller.ts';
import { recordingLogger } from '../../support/log.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

let ctl: TestController;
let secret = '';
let clip: ClipRef;
let clipFile: Buffer;
const audioTmp = tempDir('resume');

/**
 * What the link does to each response: pass it whole, or cut the connection after `cutAfter` bytes,
 * once `landed` says they reached the agent's disk (bytes still in flight when a connection drops are
 * lost, and the test would not know how many).
 */
type LinkFault = { cutAfter?: number; landed?: () => boolean };

/**
 * A flaky link in front of the real controller: requests go to the controller's app unchanged; a
 * response can be cut half way by destroying the socket, as a dropped 3G connection does.
 */
async function flakyLink(faults: LinkFault[]) {
  const seen: IncomingHttpHeaders[] = [];
  let sent = 0;
  const server: Server = createServer(async (req, res) => {
    const fault = faults[seen.length] ?? {};
    seen.push(req.headers);
    const headers: Record<string, string> = {};
    for (const k of ['authorization', 'range', 'if-range']) {
      const v = req.headers[k];
      if (typeof v === 'string') headers[k] = v;
    }
    const answer = await ctl.app.request(req.url ?? '/', { headers });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    const body = Buffer.from(await answer.arrayBuffer());
    if (fault.cutAfter !== undefined) {
      res.write(body.subarray(0, fault.cutAfter));
      sent += fault.cutAfter;
      if (fault.landed) await waitFor(fault.landed, 5000, 'the first bytes to reach the disk');
      res.socket?.destroy();
      return;
    }
    sent += body.length;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    sent: () => sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  ctl = await makeController();
  const st = await ctl.call('POST', '/api/stations', AN_HOA);
  secret = st.body.secret;
  const recording = readFileSync(tone(join(audioTmp.dir, 'thong-bao.wav'), 6, ['-ar', '44100']));
  const up = await ctl.upload('thong-bao.wav', recording, 'Thông báo', ctl.token, '?wait=true');
  expect(up.status).toBe(201);
  expect((await ctl.call('POST', `/api/clips/${up.body.id}/approve`)).status).toBe(200);
  const slot = await ctl.call('POST', '/api/slots', {
    clipIds: [up.body.id],
    startTime: '17:30',
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: '2026-01-01',
    endDate: '2099-12-31',
    target: { scope: 'station', id: 'st-an-hoa' },
  });
  expect(slot.status).toBe(201); // stations fetch only the clips their slots play
  clip = { id: up.body.id, sha256: up.body.sha256, bytes: up.body.bytes, durationMs: up.body.durationMs };
  clipFile = readFileSync(join(ctl.dataDir, 'clips', clip.sha256.slice(0, 2), `${clip.sha256}.opus`));
  expect(clipFile.length).toBeGreaterThan(10_000);
}, 60_000);
afterAll(() => {
  ctl.cleanup();
  audioTmp.cleanup();
});

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : -1);

function agentCache(dataDir: string, url: string, attempts: number) {
  const store = openStore(dataDir);
  const log = recordingLogger();
  const cache = createClipCache({
    dataDir,
    controllerUrl: url,
    secret,
    store,
    log,
    retry: { attempts, baseMs: 5, maxMs: 20 },
  });
  return { store, log, cache };
}

describe('resumable clip download', () => {
  it('a download cut half way resumes from where it stopped and is verified', async () => {
    const half = clipFile.length >> 1;
    const tmp = tempDir();
    const part = join(tmp.dir, 'clips', `${clip.sha256}.part`);
    const link = await flakyLink([{ cutAfter: half, landed: () => sizeOf(part) === half }]);
    const { store, log, cache } = agentCache(tmp.dir, link.url, 3);
    try {
      const path = await cache.ensure(clip);
      expect(readFileSync(path).equals(clipFile)).toBe(true);
      expect(link.seen.map((h) => h.range)).toEqual([undefined, `bytes=${half}-`]);
      expect(link.seen[1]?.['if-range']).toBe(`"${clip.sha256}"`);
      expect(link.seen.every((h) => h.authorization === `Bearer ${secret}`)).toBe(true);
      // the second request carried only the missing half
      expect(link.sent()).toBe(clipFile.length);
      expect(log.lines.join('\n')).toMatch(/attempt 1\/3 failed: .*got \d+ of \d+ bytes/);
      expect(readdirSync(join(tmp.dir, 'clips'))).toEqual([`${clip.sha256}.opus`]);
      expect(store.getClip(clip.id)).toMatchObject({ sha256: clip.sha256, bytes: clip.bytes, path });
    } finally {
      store.close();
      tmp.cleanup();
      await link.close();
    }
  });

  it('the partial file survives the agent giving up and restarting, and is resumed then', async () => {
    const third = Math.floor(clipFile.length / 3);
    const tmp = tempDir();
    const part = join(tmp.dir, 'clips', `${clip.sha256}.part`);
    const link = await flakyLink([{ cutAfter: third, landed: () => sizeOf(part) === third }]);
    const first = agentCache(tmp.dir, link.url, 1);
    await expect(first.cache.ensure(clip)).rejects.toThrow(/giving up after 1 attempts/);
    first.store.close();
    expect(sizeOf(part)).toBe(third);

    const second = agentCache(tmp.dir, link.url, 1); // a new process on the same data dir
    try {
      const path = await second.cache.ensure(clip);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(clip.sha256);
      expect(link.seen.map((h) => h.range)).toEqual([undefined, `bytes=${third}-`]);
      expect(existsSync(part)).toBe(false);
      expect(await second.cache.verifiedPath(clip)).toBe(path);
    } finally {
      second.store.close();
      tmp.cleanup();
      await link.close();
    }
  });

  it('a partial file with wrong bytes fails verification, is dropped, and the clip is fetched whole', async () => {
    const link = await flakyLink([]);
    const tmp = tempDir();
    const { store, log, cache } = agentCache(tmp.dir, link.url, 3);
    try {
      const partial = Buffer.from(clipFile.subarray(0, 4000));
      partial.fill(0x55, 1000, 1100); // a bad sector, or another version's bytes
      // the cache made its folder; a damaged partial is what a bad SD card or a crash can leave there
      writeFileSync(join(tmp.dir, 'clips', `${clip.sha256}.part`), partial);
      const path = await cache.ensure(clip);
      expect(readFileSync(path).equals(clipFile)).toBe(true);
      expect(link.seen.map((h) => h.range)).toEqual(['bytes=4000-', undefined]);
      expect(log.lines.join('\n')).toMatch(/attempt 1\/3 failed: .*sha256 [0-9a-f]+ does not match/);
      expect(readdirSync(join(tmp.dir, 'clips'))).toEqual([`${clip.sha256}.opus`]);
    } finally {
      store.close();
      tmp.cleanup();
      await link.close();
    }
  });
});
