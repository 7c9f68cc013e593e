// Hostile MQTT at the packet level against the controller process: malformed fixed headers, bad
// remaining lengths, oversize declared lengths, a first packet that is not CONNECT, half-open
// connections, client-id collisions. Each is closed (or refused) in time, a legit station still logs in
// after each, a connected station and the controller's own link never drop, and the process lives on.
import path from 'node:path';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startControllerProcess } from '../../support/apps.ts';
import { stationLogin } from '../../support/mqtt/clients.ts';
import {
  encodeConnect,
  type ProbeOptions,
  type ProbeResult,
  probe,
  remainingLength,
} from '../../support/mqtt/wire.ts';
import type { Proc } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';

/** The controller's connect timeout in this suite, short so that half-open cases end quickly. */
const TIMEOUT_MS = 1000;
/** How long past the timeout a close may take before it counts as never. */
const SLACK_MS = 1500;
const RUNS = 100;

const tmp = tempDir('mqtt-hostile');
let proc: Proc;
let api: string;
let mqttPort: number;
const secrets: Record<string, string> = {};
let cases = 0;

beforeAll(async () => {
  const ctl = await startControllerProcess({
    dataDir: path.join(tmp.dir, 'data'),
    env: {
      MQTT_CONNECT_TIMEOUT_SECONDS: String(TIMEOUT_MS / 1000),
      // Every case comes from 127.0.0.1: the per-address limits must not be what stops them here.
      MQTT_CONNECT_BURST: '1000000',
      MQTT_CONNECTS_PER_SEC: '1000000',
      MQTT_MAX_PENDING_PER_ADDRESS: '1000',
    },
  });
  ({ proc, api } = ctl);
  mqttPort = ctl.mqttPort as number;
  // st-o stays connected throughout; st-l logs in after every case; st-h is the hostile station.
  for (const id of ['st-o', 'st-l', 'st-h']) {
    secrets[id] = (await ctl.call('POST', '/api/stations', { id, name: id, district: 'd', ward: 'w' })).body
      .secret as string;
  }
}, 60_000);

afterAll(async () => {
  await proc?.stop();
  tmp.cleanup();
  console.log(`mqtt hostile suite: ${cases} cases`);
});

const station = (id: string, clientId = `station-${id}`) =>
  encodeConnect({ clientId, username: id, password: secrets[id] });

/** Runs one hostile case, then checks a legit station still logs in. */
async function hostile(chunks: Buffer[], opts: Omit<ProbeOptions, 'deadlineMs'> = {}): Promise<ProbeResult> {
  cases++;
  const r = await probe(mqttPort, chunks, { deadlineMs: TIMEOUT_MS + SLACK_MS, ...opts });
  const legit = await probe(mqttPort, [station('st-l')], { deadlineMs: 5000 });
  expect(legit.connack, 'a legit station logs in after the case').toBe(0);
  return r;
}

/** Closed by the guard as soon as the bytes arrived, not by the timeout. */
const closedAtOnce = (r: ProbeResult) => r.closed && r.ms < TIMEOUT_MS / 2 && r.connack === null;

describe('hostile MQTT packets against the controller', () => {
  let observer: mqtt.MqttClient;
  const drops = { close: 0 };

  beforeAll(async () => {
    observer = await mqtt.connectAsync(
      `mqtt://127.0.0.1:${mqttPort}`,
      stationLogin('st-o', secrets['st-o'], { reconnectPeriod: 500 }),
    );
    observer.on('close', () => drops.close++);
  });
  afterAll(() => observer?.endAsync(true));

  it('closes at once a first packet that is not CONNECT', async () => {
    onTestFailed(() => console.error(proc.output().slice(-4000)));
    const header = fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x10);
    await fc.assert(
      fc.asyncProperty(header, fc.uint8Array({ maxLength: 64 }), async (h, body) => {
        const r = await hostile([Buffer.from([h]), remainingLength(body.length), Buffer.from(body)]);
        expect(closedAtOnce(r), JSON.stringify(r)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('closes at once a remaining length of five bytes, before and after login', async () => {
    const continuation = fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 4, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        continuation,
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        async (c, fifth, afterLogin) => {
          const bad = Buffer.from([afterLogin ? 0x30 : 0x10, ...c, fifth]);
          const r = await hostile(
            afterLogin ? [station('st-h')] : [bad],
            afterLogin ? { afterLogin: [bad] } : {},
          );
          expect(r.closed && r.ms < TIMEOUT_MS / 2, JSON.stringify(r)).toBe(true);
          expect(r.connack).toBe(afterLogin ? 0 : null);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('closes at once a declared length over the limit, even while zeros keep coming', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 8 * 1024 + 1, max: 268_435_455 }),
        fc.integer({ min: 2 * 1024 * 1024 + 65_540, max: 268_435_455 }),
        fc.boolean(),
        async (connectLength, packetLength, afterLogin) => {
          const zeros = 4 * 1024 * 1024;
          const r = afterLogin
            ? await hostile([station('st-h')], {
                afterLogin: [Buffer.from([0x30]), remainingLength(packetLength)],
                streamZeros: zeros,
              })
            : await hostile([Buffer.from([0x10]), remainingLength(connectLength)], { streamZeros: zeros });
          expect(r.closed && r.ms < TIMEOUT_MS / 2, JSON.stringify(r)).toBe(true);
          expect(r.connack).toBe(afterLogin ? 0 : null);
        },
      ),
      { numRuns: RUNS / 2 },
    );
  });

  it('closes half-open connections after the connect timeout', async () => {
    const connect = station('st-h');
    const halfOpen = [
      [], // nothing at all
      [Buffer.from([0x10])], // a header byte
      [Buffer.from([0x10, 0xff])], // a length that never ends
      [connect.subarray(0, connect.length - 5)], // a CONNECT cut short
      [Buffer.from([0x10]), remainingLength(8 * 1024), Buffer.alloc(100)], // a large CONNECT, slowly
    ];
    const results = await Promise.all(halfOpen.map((chunks) => hostile(chunks)));
    for (const r of results) {
      expect(r.closed, JSON.stringify(r)).toBe(true);
      expect(r.ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
    }
  });

  it('refuses any other client id for a station and the controller id for a station, keeping the holders', async () => {
    const pid = proc.child.pid as number;
    const clientId = fc.oneof(
      fc.constantFrom('station-st-o', `controller-${pid}`, 'st-o', 'st-h', 'station-st-h ', '', 'controller'),
      fc.string({ maxLength: 30 }),
      fc.string({ maxLength: 10 }).map((s) => `station-${s}`),
    );
    const password = fc.oneof(fc.constant(secrets['st-h'] as string), fc.string({ maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(clientId, password, fc.constantFrom(3, 4, 5, 0), async (id, pw, level) => {
        const r = await hostile([
          encodeConnect({ clientId: id, username: 'st-h', password: pw, protocolLevel: level }),
        ]);
        const legit = id === 'station-st-h' && pw === secrets['st-h'] && (level === 3 || level === 4);
        if (!legit) expect(r.connack !== 0 && r.closed, `${id} ${level} ${JSON.stringify(r)}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('survives random bytes: each connection is closed in time and never logged in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const r = await hostile([Buffer.from(bytes)]);
        expect(r.closed && r.connack !== 0, JSON.stringify(r)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('kept the observer station and the controller link connected, and the process alive', async () => {
    expect(drops.close).toBe(0);
    expect(observer.connected).toBe(true);
    expect(proc.output().match(/mqtt: connected to/g)).toHaveLength(1);
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
  });
});
