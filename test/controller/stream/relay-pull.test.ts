// Stations authenticate to the stream server with their own id and secret (Icecast's URL authentication
// calling the controller), and a relay upstream is pulled once for any number of stations, again after
// it drops, and not at all once nobody listens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountFor } from '../../../controller/stream/pulls.ts';
import { waitFor } from '../../support/wait.ts';
import { type StreamHarness, startStreamHarness, startUpstream } from './harness.ts';

/** Reads from a listening response until `bytes` have come; answers them. */
async function readBytes(res: Response, bytes: number): Promise<Buffer> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const parts: Buffer[] = [];
  let n = 0;
  while (n < bytes) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(Buffer.from(value));
    n += value.length;
  }
  await reader.cancel();
  return Buffer.concat(parts);
}

describe('stream server: stations and relay pulls', () => {
  let h: StreamHarness;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    h = await startStreamHarness({ graceMs: 1500 });
    upstream = await startUpstream();
    for (const id of ['st-a', 'st-b', 'st-c']) secrets[id] = await h.station(id);
  });
  afterAll(async () => {
    await h?.close();
    await upstream?.close();
  });

  it('refuses a listener without credentials, with a wrong secret or an unknown id, and pulls nothing for them', async () => {
    const mount = h.stream.pulls.register(upstream.url);
    expect(mount).toBe(mountFor(upstream.url));
    expect(mount).toMatch(/^\/relay\/[0-9a-f]{16}\.ogg$/);
    for (const [user, pass] of [
      [undefined, undefined],
      ['st-a', 'st-wrong'],
      ['st-nobody', secrets['st-a']],
    ]) {
      const res = await h.listen(mount, user, pass);
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    expect(upstream.connections()).toBe(0);
  }, 30_000);

  it('pulls the upstream once for three stations, each hearing Ogg/Opus audio', async () => {
    const mount = h.stream.pulls.register(upstream.url);
    const listeners = await Promise.all(
      ['st-a', 'st-b', 'st-c'].map((id) => h.listen(mount, id, secrets[id])),
    );
    expect(listeners.map((r) => r.status)).toEqual([200, 200, 200]);
    const heard = await Promise.all(listeners.map((r) => readBytes(r, 4000)));
    for (const bytes of heard) {
      expect(bytes.subarray(0, 4).toString()).toBe('OggS');
      expect(bytes.includes(Buffer.from('OpusHead'))).toBe(true);
    }
    expect(upstream.connections()).toBe(1);
  }, 30_000);

  it('lets a station back in while Icecast still holds its last connection (a 4G link gone dark)', async () => {
    const mount = h.stream.pulls.register(upstream.url);
    const first = await h.listen(mount, 'st-b', secrets['st-b']);
    const again = await h.listen(mount, 'st-b', secrets['st-b']);
    expect([first.status, again.status]).toEqual([200, 200]);
    await first.body?.cancel();
    await again.body?.cancel();
  }, 30_000);

  it('reconnects when the upstream drops, and stops pulling when nobody listens', async () => {
    const mount = h.stream.pulls.register(upstream.url);
    const res = await h.listen(mount, 'st-a', secrets['st-a']);
    expect(res.status).toBe(200);
    const before = upstream.connections();
    upstream.drop();
    await waitFor(() => upstream.connections() > before, 10_000, 'the pull back at the upstream', 100);
    await res.body?.cancel();
    const pull = () => h.stream.pulls.status().find((p) => p.mount === mount);
    await waitFor(() => pull()?.state === 'idle', 15_000, 'the pull stopped', 200);
  }, 40_000);

  it('answers the listener check only to Icecast (its token), and locks an address after failed secrets', async () => {
    const check = (token: string, user: string, pass: string, ip = '10.0.0.9') =>
      fetch(`${h.api}/api/stream/listener?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          action: 'listener_add',
          mount: '/live/x.ogg',
          user,
          pass,
          ip,
          client: '1',
        }),
      });
    const outsider = await check('guessed', 'st-b', secrets['st-b'] as string);
    expect(outsider.status).toBe(403);
    expect(outsider.headers.get('icecast-auth-user')).toBeNull();
    const ok = await check(h.stream.gate.token, 'st-b', secrets['st-b'] as string);
    expect(ok.headers.get('icecast-auth-user')).toBe('1');
    for (let i = 0; i < 6; i++) await check(h.stream.gate.token, 'st-b', 'st-wrong');
    const locked = await check(h.stream.gate.token, 'st-b', secrets['st-b'] as string);
    expect(locked.headers.get('icecast-auth-user')).toBeNull();
    expect(await locked.json()).toMatchObject({ allowed: false, reason: 'too many failed attempts' });
  });
});
