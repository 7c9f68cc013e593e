// Behind a reverse proxy on the same machine, every request comes from 127.0.0.1: with TRUST_PROXY the
// rate limits count each client by the address the proxy forwards, and without it nobody can pick their
// own bucket by sending X-Forwarded-For.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
beforeAll(async () => {
  ctl = await makeController(undefined, { API_RATE_PER_SEC: '1' }); // a burst of 10, then 1 a second
});
afterAll(() => ctl.cleanup());

async function serving(trustProxy: boolean) {
  const server = serve({
    fetch: (req, env) => ctl.app.fetch(req, { ...env, trustProxy }),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const status = async (from: string) =>
    (
      await fetch(`${base}/api/stations`, {
        headers: { 'x-forwarded-for': from, authorization: `Bearer ${ctl.token}` },
      })
    ).status;
  return { status, close: () => new Promise((r) => server.close(r)) };
}

describe('client addresses behind a proxy', () => {
  it('with TRUST_PROXY, each forwarded client has its own limit', async () => {
    const s = await serving(true);
    const first = await Promise.all(Array.from({ length: 12 }, () => s.status('203.0.113.7')));
    expect(first.filter((x) => x === 429).length).toBeGreaterThan(0);
    expect(await s.status('198.51.100.9')).toBe(200); // another client behind the same proxy
    // the proxy appends the address it saw: the last one counts, not what the client wrote first
    expect(await s.status('198.51.100.9, 203.0.113.7')).toBe(429);
    await s.close();
  });

  it('without it, X-Forwarded-For is ignored: a new header does not buy a new limit', async () => {
    const s = await serving(false);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => s.status(`192.0.2.${i}`)));
    expect(burst.filter((x) => x === 429).length).toBeGreaterThan(0);
    await s.close();
  });
});
