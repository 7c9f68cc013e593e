// Tests for the clip cache: authenticated download, size and sha256 verification, retries, corruption on disk.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byFirstUse, createClipCache } from '../../../edge-agent/clips/cache.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import type { ClipRef } from '../../../schedules/model.ts';
import { recordingLogger } from '../../support/log.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { desired, SECRET, slot, startClipServer } from '../helpers.ts';

const good = clipBytes('thong-diep', 20_000);
const ref = clipRef('clip-1', good);

describe('clip cache', () => {
  let tmp: TempDir;
  let store: AgentStore;
  let server: Awaited<ReturnType<typeof startClipServer>> | null;
  const log = recordingLogger();

  beforeEach(() => {
    tmp = tempDir();
    store = openStore(tmp.dir);
    server = null;
  });
  afterEach(async () => {
    await server?.close();
    store.close();
    tmp.cleanup();
  });

  const cache = (url: string, secret = SECRET) =>
    createClipCache({
      dataDir: tmp.dir,
      controllerUrl: `${url}/`,
      secret,
      store,
      log,
      retry: { attempts: 3, baseMs: 5, maxMs: 20 },
    });

  it('downloads with the bearer secret, verifies, stores under its sha256 and then serves from disk', async () => {
    server = await startClipServer(new Map([[ref.id, good]]));
    const c = cache(server.url);
    const path = await c.ensure(ref);
    expect(path).toBe(join(tmp.dir, 'clips', `${ref.sha256}.opus`));
    expect(store.getClip(ref.id)).toMatchObject({ sha256: ref.sha256, bytes: good.length, path });
    expect(await c.pathFor(ref.id)).toBe(path);
    expect(await c.verifiedPath(ref)).toBe(path);
    expect(await c.ensure(ref)).toBe(path);
    expect(server.hits).toEqual([ref.id]);
  });

  it('rejects a corrupt download (same size, wrong bytes), retries and keeps the good copy', async () => {
    let n = 0;
    server = await startClipServer(new Map(), (_req, res) => {
      n++;
      const body = n === 1 ? Buffer.from(good).fill(0, 100, 200) : n === 2 ? good.subarray(0, 1000) : good;
      res.writeHead(200, { 'content-type': 'audio/ogg' }).end(body);
    });
    const path = await cache(server.url).ensure(ref);
    expect(n).toBe(3);
    expect(log.lines.filter((l) => l.includes('attempt'))).toEqual([
      expect.stringMatching(/attempt 1\/3 failed: .*sha256/),
      expect.stringMatching(/attempt 2\/3 failed: .*got 1000 of 20000 bytes/),
    ]);
    expect(existsSync(path)).toBe(true);
    // no temp files are left behind
    expect(readdirSync(join(tmp.dir, 'clips'))).toEqual([`${ref.sha256}.opus`]);
  });

  it('gives up after the bounded attempts (wrong secret: 401) and records nothing', async () => {
    server = await startClipServer(new Map([[ref.id, good]]));
    await expect(cache(server.url, 'st_wrong-secret').ensure(ref)).rejects.toThrow(
      /giving up after 3 attempts.*401/,
    );
    expect(server.hits).toHaveLength(3);
    expect(store.getClip(ref.id)).toBeNull();
  });

  it('notices a cached file that went missing or corrupt', async () => {
    server = await startClipServer(new Map([[ref.id, good]]));
    const c = cache(server.url);
    const path = await c.ensure(ref);
    writeFileSync(path, Buffer.alloc(good.length));
    expect(await c.pathFor(ref.id)).toBe(path); // same size: only hashing tells
    expect(await c.verifiedPath(ref)).toBeNull();
    expect(store.getClip(ref.id)).toBeNull();
    expect(await c.ensure(ref)).toBe(path); // fetched again
    expect(await c.verifiedPath({ id: ref.id, sha256: '0'.repeat(64) })).toBeNull(); // another version
  });
});

describe('clips in the order they are first needed', () => {
  it('by the next time a slot uses them, and a clip no slot still uses last', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => clipRef(`clip-${n}`, clipBytes(n), 10_000)) as [
      ClipRef,
      ClipRef,
      ClipRef,
    ];
    const state = desired(1, {
      slots: [slot('late', '08:00', [b.id]), slot('early', '07:00', [c.id])],
      clips: [a, b, c],
    });
    const order = byFirstUse(state, new Date('2025-03-03T05:00:00+07:00')).map((x) => x.id);
    expect(order).toEqual([c.id, b.id, a.id]);
  });
});
