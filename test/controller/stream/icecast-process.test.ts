// The embedded Icecast for real: its files, a push with ffmpeg's icecast protocol heard by a listener
// with no burst, a restart after it dies, and its stop.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pushTone, startTestIcecast, type TestIcecast } from '../../support/icecast.ts';
import { waitFor } from '../../support/wait.ts';

describe('embedded icecast', () => {
  let ice: TestIcecast | null = null;
  afterEach(async () => {
    await ice?.stop();
    ice = null;
  });

  it('keeps its passwords private, serves a pushed mount with no burst, and counts its listeners', async () => {
    ice = await startTestIcecast();
    const secrets = path.join(ice.dir, 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(ice.dir, 'icecast.xml')).mode & 0o777).toBe(0o600);
    const xml = readFileSync(path.join(ice.dir, 'icecast.xml'), 'utf8');
    expect(xml).toContain('<burst-size>0</burst-size>');
    const { source } = JSON.parse(readFileSync(secrets, 'utf8'));
    expect(xml).toContain(source);

    const mount = '/live/test.ogg';
    const ffmpeg = pushTone(ice.server.sourceUrl(mount));
    try {
      await waitFor(
        async () => (await ice?.server.listenerCounts())?.has(mount),
        10_000,
        'the source on the mount',
        100,
      );
      const res = await fetch(ice.server.listenUrl(mount));
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      const first = await reader?.read();
      expect(
        Buffer.from(first?.value ?? [])
          .subarray(0, 4)
          .toString(),
      ).toBe('OggS');
      await waitFor(
        async () => (await ice?.server.listeners(mount)) === 1,
        5000,
        'one listener counted',
        100,
      );
      await reader?.cancel();
      await waitFor(async () => (await ice?.server.listeners(mount)) === 0, 5000, 'the listener gone', 100);
    } finally {
      ffmpeg.kill('SIGKILL');
    }
  }, 30_000);

  it('starts again after it dies, and stops for good on stop()', async () => {
    ice = await startTestIcecast();
    const proc = ice.server.process;
    const first = proc?.pid as number;
    process.kill(first, 'SIGKILL');
    await waitFor(() => proc?.running && proc.pid !== first, 15_000, 'a new icecast2', 100);
    expect(proc?.restarts).toBe(1);
    const second = proc?.pid as number;
    await ice.stop();
    ice = null;
    expect(() => process.kill(second, 0)).toThrow();
  }, 30_000);
});
