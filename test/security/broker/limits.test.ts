// The embedded broker's wire guard in process: connections not logged in yet are capped per address and
// timed out from TCP accept, the TLS listener is guarded the same way, and a legit batch near the packet
// limit still passes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { startBroker } from '../../../controller/mqtt/broker.ts';
import { MAX_PACKET_BYTES } from '../../../controller/mqtt/broker-files.ts';
import { makeController } from '../../support/controller.ts';
import { recordingLogger } from '../../support/log.ts';
import { connectLink, sendAsRun, stationLogin } from '../../support/mqtt/clients.ts';
import { encodeConnect, probe, remainingLength } from '../../support/mqtt/wire.ts';
import { freePort } from '../../support/process.ts';
import { skippedRecord } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';

const tmp = tempDir('mqtt-limits');
const { dir } = tmp;
afterAll(() => tmp.cleanup());

describe('the embedded broker in process', () => {
  it('caps connections not logged in yet, counting them from TCP accept, and logs the refusals', async () => {
    const ctl = await makeController();
    const log = recordingLogger();
    const broker = await startBroker(
      ctl.db,
      {
        host: '127.0.0.1',
        port: 0,
        connectBurst: 100,
        connectsPerSec: 100,
        maxPendingPerAddress: 3,
        connectTimeoutMs: 500,
      },
      log,
    );
    const sockets: Socket[] = [];
    try {
      const { secret } = (
        await ctl.call('POST', '/api/stations', { id: 'st-p', name: 'P', district: 'd', ward: 'w' })
      ).body;
      const legit = () =>
        probe(
          broker.port,
          [encodeConnect({ clientId: 'station-st-p', username: 'st-p', password: secret })],
          {
            deadlineMs: 3000,
          },
        );
      // Three connections that never send a byte; the listener takes connections in order, so they are
      // counted before the fourth.
      const silent = await Promise.all(
        [1, 2, 3].map(
          () =>
            new Promise<{ closed: Promise<number> }>((resolve) => {
              const start = Date.now();
              const s = connect(broker.port, '127.0.0.1', () =>
                resolve({
                  closed: new Promise((closed) => s.once('close', () => closed(Date.now() - start))),
                }),
              );
              s.on('error', () => {});
              sockets.push(s);
            }),
        ),
      );
      const fourth = await legit();
      expect(fourth.closed && fourth.connack === null && fourth.ms < 250, JSON.stringify(fourth)).toBe(true);
      expect(log.lines).toContainEqual(
        expect.stringMatching(/^warn mqtt: 3 connections not logged in yet; closed connection from /),
      );
      const lived = await Promise.all(silent.map((x) => x.closed));
      expect(
        lived.every((ms) => ms >= 450 && ms < 2000),
        JSON.stringify(lived),
      ).toBe(true);
      expect(log.lines.filter((l) => /no login within 500 ms/.test(l))).toHaveLength(3);
      expect((await legit()).connack).toBe(0);
    } finally {
      for (const s of sockets) s.destroy();
      await broker.close();
      ctl.cleanup();
    }
  });

  it('guards the TLS listener the same way, the handshake within the connect timeout', async () => {
    const [cert, key] = ['cert.pem', 'key.pem'].map((f) => path.join(dir, f)) as [string, string];
    execFileSync(
      'openssl',
      [
        ...[
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
        ],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      ],
      { stdio: 'pipe' },
    );
    const ca = readFileSync(cert);
    const ctl = await makeController();
    const log = recordingLogger();
    const tlsPort = await freePort();
    const broker = await startBroker(
      ctl.db,
      {
        host: '127.0.0.1',
        port: 0,
        connectTimeoutMs: 500,
        tls: { port: tlsPort, cert: ca, key: readFileSync(key) },
      },
      log,
    );
    try {
      // A connection that never starts TLS counts as not logged in, and is closed at the timeout.
      const silent = await probe(tlsPort, [], { deadlineMs: 3000 });
      expect(silent.closed && silent.ms >= 450, JSON.stringify(silent)).toBe(true);
      // Inside TLS, a CONNECT declaring 256 MB is closed at once, zeros and all.
      const start = Date.now();
      const closedAfter = await new Promise<number>((resolve) => {
        const s = tlsConnect({ port: tlsPort, host: '127.0.0.1', ca }, () => {
          s.write(Buffer.concat([Buffer.from([0x10]), remainingLength(268_435_455)]));
          s.write(Buffer.alloc(1024 * 1024));
        });
        s.on('error', () => {});
        s.once('close', () => resolve(Date.now() - start));
      });
      expect(closedAfter).toBeLessThan(450);
      expect(log.lines).toContainEqual(expect.stringMatching(/CONNECT declares 268435455 bytes; limit 8192/));
      const { secret } = (
        await ctl.call('POST', '/api/stations', { id: 'st-t', name: 'T', district: 'd', ward: 'w' })
      ).body;
      const c = await mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, stationLogin('st-t', secret, { ca }));
      await c.endAsync();
    } finally {
      await broker.close();
      ctl.cleanup();
    }
  });

  it('passes a legit as-run batch of nearly 2 MB when the payload limit allows it', async () => {
    const ctl = await makeController();
    const broker = await startBroker(
      ctl.db,
      { host: '127.0.0.1', port: 0, maxPayloadBytes: MAX_PACKET_BYTES },
      silentLogger,
    );
    const link = await connectLink(ctl.db, broker);
    try {
      const { secret } = (
        await ctl.call('POST', '/api/stations', { id: 'st-big', name: 'B', district: 'd', ward: 'w' })
      ).body;
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, stationLogin('st-big', secret));
      // 500 records (the most a batch may hold) with every text field at its limit.
      const records = Array.from({ length: 500 }, (_, i) => ({
        ...skippedRecord('st-big', `${String(i).padStart(3, '0')}${'r'.repeat(197)}`),
        entryId: 'e'.repeat(200),
        reason: 'x'.repeat(100),
        detail: 'd'.repeat(1000),
        clipIds: Array.from({ length: 26 }, (_, k) => `clip-${k}-${'c'.repeat(55)}`),
      }));
      const payload = JSON.stringify({ records });
      expect(payload.length).toBeGreaterThan(1.5 * 1024 * 1024);
      expect(payload.length).toBeLessThan(MAX_PACKET_BYTES);
      const ack = await sendAsRun(c, 'st-big', records);
      expect((ack as { ids: string[] }).ids).toHaveLength(500);
      await c.endAsync();
    } finally {
      await link.close();
      await broker.close();
      ctl.cleanup();
    }
  });
});
