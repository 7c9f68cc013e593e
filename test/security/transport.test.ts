// Transport and limits: HTTPS and mqtts with the controller's certificate (separate process), console
// sessions with CSRF, per-client request and connection limits, topic depth.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.ts';
import { startBroker } from '../../controller/mqtt/broker.ts';
import { topics } from '../../schedules/protocol.ts';
import { ADMIN_PASSWORD, makeController } from '../support/controller.ts';
import { freePort, startProcess } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const tmp = tempDir('tls');
const { dir } = tmp;
afterAll(() => tmp.cleanup());

function selfSigned(): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
    ],
    { stdio: 'pipe' },
  );
  return { cert, key };
}

function httpsJson(url: string, ca: Buffer, init: { method?: string; body?: unknown; token?: string } = {}) {
  // biome-ignore lint/suspicious/noExplicitAny: the test reads JSON answers loosely
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        ca,
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : null }));
      },
    );
    req.on('error', reject);
    req.end(init.body === undefined ? undefined : JSON.stringify(init.body));
  });
}

describe('TLS', () => {
  it('serves the API over HTTPS and stations over mqtts with the configured certificate', async () => {
    const { cert, key } = selfSigned();
    const ca = readFileSync(cert);
    const [port, mqttPort, mqttsPort] = [await freePort(), await freePort(), await freePort()];
    const proc = startProcess('controller/main.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_HOST: '127.0.0.1',
      MQTTS_PORT: String(mqttsPort),
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      DATA_DIR: path.join(dir, 'data'),
      ADMIN_PASSWORD,
    });
    try {
      const api = `https://127.0.0.1:${port}`;
      await waitFor(
        () => httpsJson(`${api}/healthz`, ca).then((r) => r.status === 200),
        30_000,
        'https health',
        PROCESS_POLL_MS,
      );
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      const { token } = (
        await httpsJson(`${api}/api/auth/token`, ca, {
          method: 'POST',
          body: { username: 'admin', password: ADMIN_PASSWORD },
        })
      ).body;
      const st = await httpsJson(`${api}/api/stations`, ca, {
        method: 'POST',
        token,
        body: { id: 'st-tls', name: 'TLS', district: 'd', ward: 'w' },
      });
      expect(st.status).toBe(201);

      const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${mqttsPort}`, {
        ca,
        clientId: 'station-st-tls',
        username: 'st-tls',
        password: st.body.secret,
        reconnectPeriod: 0,
      });
      const got = new Promise((resolve) =>
        client.on('message', (_t, p) => resolve(JSON.parse(p.toString()))),
      );
      await client.subscribeAsync(topics.desired('st-tls'), { qos: 1 });
      expect(await got).toMatchObject({ station: { id: 'st-tls' } });
      await client.endAsync();
      // A client that does not trust the certificate is refused.
      await expect(
        mqtt.connectAsync(`mqtts://127.0.0.1:${mqttsPort}`, {
          username: 'st-tls',
          password: st.body.secret,
          reconnectPeriod: 0,
        }),
      ).rejects.toThrow(/self.signed|certificate/i);
    } finally {
      await proc.stop();
    }
  }, 60_000);
});

describe('console sessions', () => {
  it('sets an HttpOnly SameSite cookie and demands the CSRF token for changes', async () => {
    const ctl = await makeController(undefined, { COOKIE_SECURE: 'true' });
    try {
      const login = await ctl.app.request('/api/auth/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const setCookie = login.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/loa_session=us_/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Secure/);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = setCookie.split(';')[0] as string;
      const body = JSON.stringify({ id: 'st-c', name: 'C', district: 'd', ward: 'w' });
      const post = (headers: Record<string, string>) =>
        ctl.app.request('/api/stations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, ...headers },
          body,
        });

      expect((await ctl.app.request('/api/stations', { headers: { cookie } })).status).toBe(200);
      expect((await post({})).status).toBe(403);
      expect((await post({ 'x-csrf-token': 'csrf_forged' })).status).toBe(403);
      expect((await post({ 'x-csrf-token': csrfToken })).status).toBe(201);
      // The session cookie is not a bearer token.
      expect((await ctl.call('GET', '/api/stations', undefined, cookie.split('=')[1])).status).toBe(401);
      const out = await ctl.app.request('/api/auth/logout', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
      });
      expect(out.status).toBe(204);
      expect((await ctl.app.request('/api/stations', { headers: { cookie } })).status).toBe(401);
    } finally {
      ctl.cleanup();
    }
  });
});

describe('limits', () => {
  it('answers 429 to a client over its request budget', async () => {
    const ctl = await makeController(undefined, { API_RATE_PER_SEC: '1' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await ctl.call('GET', '/api/stations')).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses.slice(0, 9).every((s) => s === 200)).toBe(true);
    } finally {
      ctl.cleanup();
    }
  });

  it('closes a connection that publishes past the topic depth, and throttles connection storms', async () => {
    const ctl = await makeController();
    const broker = await startBroker(
      ctl.db,
      { host: '127.0.0.1', port: 0, connectBurst: 5, connectsPerSec: 0.01 },
      silentLogger,
    );
    try {
      const { secret } = (
        await ctl.call('POST', '/api/stations', { id: 'st-d', name: 'D', district: 'd', ward: 'w' })
      ).body;
      const url = `mqtt://127.0.0.1:${broker.port}`;
      const c = await mqtt.connectAsync(url, {
        clientId: 'station-st-d',
        username: 'st-d',
        password: secret,
        reconnectPeriod: 0,
      });
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
      c.publish(`loa/v1/station/st-d/as-run/${'x/'.repeat(20)}x`, 'deep', { qos: 1 });
      await closed;
      c.end(true);
      const results: boolean[] = [];
      for (let i = 0; i < 6; i++) {
        results.push(
          await mqtt
            // A throttled connection is closed at accept: a close before CONNACK is a refusal.
            .connectAsync(
              url,
              {
                clientId: 'station-st-d',
                username: 'st-d',
                password: secret,
                reconnectPeriod: 0,
                connectTimeout: 2000,
              },
              false,
            )
            .then(
              (x) => {
                x.end(true);
                return true;
              },
              () => false,
            ),
        );
      }
      // Five connections in the burst (one used above), then refused.
      expect(results).toEqual([true, true, true, true, false, false]);
    } finally {
      await broker.close();
      ctl.cleanup();
    }
  });
});
