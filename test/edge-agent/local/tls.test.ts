// The station's own certificate for the local page (made once with the openssl CLI, reused, renewed near
// its end) and the page served over HTTPS with it, the session cookie then Secure.
import { X509Certificate } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalApp } from '../../../edge-agent/local/app.ts';
import { serveLocal } from '../../../edge-agent/local/serve.ts';
import { CERT_DAYS, stationTls, subjectAltNames } from '../../../edge-agent/local/tls.ts';
import type { LocalAgent } from '../../../edge-agent/local/types.ts';
import { paths } from '../../audio/fixtures.ts';
import { recordingLogger } from '../../support/log.ts';
import { STATION } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { testConfig } from '../helpers.ts';
import { PIN, testPinHash } from './station.ts';

const SAN = {
  dns: ['loa-an-binh', 'loa-an-binh.local', 'localhost'],
  ips: ['127.0.0.1', '::1', '192.168.1.20'],
};

/** A station with nothing on air: enough for the page and sign-in. */
const quietAgent: LocalAgent = {
  status: () => ({
    station: STATION,
    stationName: 'Loa An Bình',
    relay: { on: false },
    relays: [{ name: 'amp', on: false }],
    relaySimulated: true,
    playing: null,
    next: [],
    desiredVersion: 1,
    clockTrusted: true,
    clockOffsetMs: 0,
    online: true,
    outboxLength: 0,
  }),
  overrides: {
    list: () => [],
    create: () => {
      throw new Error('not in this test');
    },
    cancel: () => {
      throw new Error('not in this test');
    },
  },
  alerts: () => [],
  declineAlert: () => {
    throw new Error('not in this test');
  },
  timetable: () => [],
  clips: () => [],
  registerLocalClip: () => Promise.reject(new Error('not in this test')),
};

/** An HTTPS request that trusts only the station's certificate (and checks the name against it). */
function httpsCall(url: string, ca: Buffer, init: { method?: string; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        url,
        {
          ca,
          method: init.method ?? 'GET',
          headers: init.body ? { 'content-type': 'application/json' } : {},
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(init.body);
    },
  );
}

describe('the station certificate', () => {
  let tmp: TempDir;
  const log = recordingLogger();
  const clock = { now: () => new Date() };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('is made once: CN the station id, the names and addresses, a TLS server leaf, key mode 600', async () => {
    const tls = await stationTls({ stationId: STATION, dataDir: tmp.dir, clock, log, san: SAN });
    expect(tls.generated).toBe(true);
    expect(tls.certFile).toBe(join(tmp.dir, 'tls', 'cert.pem'));
    expect(statSync(tls.keyFile).mode & 0o777).toBe(0o600);
    const x509 = new X509Certificate(readFileSync(tls.certFile));
    expect(x509.subject).toContain(`CN=${STATION}`);
    expect(x509.subjectAltName).toBe(
      'DNS:loa-an-binh, DNS:loa-an-binh.local, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.168.1.20',
    );
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(CERT_DAYS);

    const again = await stationTls({ stationId: STATION, dataDir: tmp.dir, clock, log, san: SAN });
    expect(again.generated).toBe(false);
    expect(again.fingerprint256).toBe(tls.fingerprint256);
  });

  it('is made anew when its key does not match or its end is near; configured files are used as they are', async () => {
    const first = await stationTls({ stationId: STATION, dataDir: tmp.dir, clock, log, san: SAN });
    const late = { now: () => new Date(first.validTo.getTime() - 10 * 86_400_000) };
    const renewed = await stationTls({ stationId: STATION, dataDir: tmp.dir, clock: late, log, san: SAN });
    expect(renewed.generated).toBe(true);
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);

    const other = tempDir();
    try {
      const foreign = await stationTls({ stationId: 'khac', dataDir: other.dir, clock, log, san: SAN });
      copyFileSync(foreign.keyFile, renewed.keyFile); // a key from another pair
      const fixed = await stationTls({ stationId: STATION, dataDir: tmp.dir, clock, log, san: SAN });
      expect(fixed.generated).toBe(true);
      expect(log.lines.some((l) => l.includes('is not the key of'))).toBe(true);

      const configuredFiles = () =>
        stationTls({
          stationId: STATION,
          dataDir: tmp.dir,
          tlsCertFile: foreign.certFile,
          tlsKeyFile: foreign.keyFile,
          clock,
          log,
        });
      const configured = await configuredFiles();
      expect(configured).toMatchObject({ generated: false, fingerprint256: foreign.fingerprint256 });
      writeFileSync(foreign.keyFile, 'not a key');
      await expect(configuredFiles()).rejects.toThrow();
    } finally {
      other.cleanup();
    }
  });

  it("names the host's own addresses", () => {
    const san = subjectAltNames('loa_an binh', {
      eth0: [{ address: '192.168.1.20', internal: false, family: 'IPv4' } as never],
      wlan0: [{ address: 'fe80::1', internal: false, family: 'IPv6' } as never],
      lo: [{ address: '127.0.0.1', internal: true, family: 'IPv4' } as never],
    });
    expect(san).toEqual({
      dns: ['loaanbinh', 'loaanbinh.local', 'localhost'],
      ips: ['127.0.0.1', '::1', '192.168.1.20'],
    });
  });

  it('serves the page over HTTPS with it, sets a Secure cookie there, and links to it from HTTP', async () => {
    const config = testConfig(join(tmp.dir, 'data'), {
      localPinHash: await testPinHash(),
      agentHost: '127.0.0.1',
    });
    const { app } = createLocalApp({
      agent: quietAgent,
      config,
      clock,
      log,
      ffmpeg: paths,
      timezone: () => 'Asia/Ho_Chi_Minh',
    });
    const servers = await serveLocal({ app, config, clock, log, ports: { http: 0, https: 0 } });
    try {
      const ca = servers.tls?.cert as Buffer;
      const https = `https://127.0.0.1:${servers.httpsPort}`;
      const status = await httpsCall(`${https}/api/status`, ca);
      expect(status.status).toBe(200);
      expect(JSON.parse(status.body)).toMatchObject({ station: STATION });
      const page = await httpsCall(`${https}/`, ca);
      expect(page.body).toContain('Loa An Bình');
      expect(page.body).not.toContain('Điện thoại chỉ cho phép dùng micrô qua HTTPS');

      const session = await httpsCall(`${https}/api/session`, ca, {
        method: 'POST',
        body: JSON.stringify({ pin: PIN, name: 'Chị Lan' }),
      });
      expect(session.status).toBe(200);
      expect(String(session.headers['set-cookie'])).toMatch(/; Secure/);

      // a phone that found the station by its mDNS name is sent to the same name over HTTPS
      const plain = await new Promise<string>((resolve, reject) =>
        get(
          {
            host: '127.0.0.1',
            port: servers.httpPort,
            path: '/',
            headers: { host: `loa-an-binh.local:${servers.httpPort}` },
          },
          (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve(body));
          },
        ).on('error', reject),
      );
      expect(plain).toContain(`https://loa-an-binh.local:${config.agentHttpsPort}/`);
      expect(plain).toContain('Điện thoại chỉ cho phép dùng micrô qua HTTPS');
    } finally {
      await servers.close();
    }
  });
});
