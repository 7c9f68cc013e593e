// Client-id takeover held for 30 s against the embedded broker and a real Mosquitto at once: a station
// logging in with its own secret but another's client id must not disconnect that station or the controller.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type EmbeddedBroker, startBroker } from '../../../controller/mqtt/broker.ts';
import { mosquittoFiles, readStationsForBroker } from '../../../controller/mqtt/broker-files.ts';
import { brokerHash, newSecret } from '../../../controller/users/secrets.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { recordingLogger } from '../../support/log.ts';
import { type ConnectOutcome, connectLink, sendAsRun, tryConnect } from '../../support/mqtt/clients.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../../support/mqtt/mosquitto.ts';
import { skippedRecord } from '../../support/records.ts';

/** How long the attacker keeps trying (the acceptance: 30 s). */
const HOLD_MS = 30_000;
/** Pause between attempts: about 25 a second per broker, enough to have kicked a victim hundreds of times. */
const ATTEMPT_GAP_MS = 20;

let mosquittoBin: string;
beforeAll(() => {
  const found = findMosquitto();
  // CI installs it; a silent skip would hide that the external broker went untested.
  if (!found) throw new Error('mosquitto not found: install mosquitto (apt-get install mosquitto)');
  mosquittoBin = found;
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Two stations with secrets (and Mosquitto hashes) in a fresh controller database. */
async function twoStations(): Promise<{ ctl: TestController; secrets: Record<string, string> }> {
  const ctl = await makeController();
  cleanups.push(() => ctl.cleanup());
  const secrets: Record<string, string> = {};
  for (const id of ['st-a', 'st-b']) {
    const r = await ctl.call('POST', '/api/stations', { id, name: id, district: 'd1', ward: `w-${id}` });
    secrets[id] = r.body.secret;
    ctl.db.prepare('UPDATE stations SET broker_hash = ? WHERE id = ?').run(brokerHash(r.body.secret), id);
  }
  return { ctl, secrets };
}

/** A client that stays connected through everything, counting every time it lost its connection. */
async function victim(url: string, opts: mqtt.IClientOptions) {
  const c = mqtt.connect(url, { ...opts, reconnectPeriod: 500 });
  cleanups.push(() => c.endAsync(true));
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  const drops = { close: 0, offline: 0 };
  c.on('close', () => drops.close++);
  c.on('offline', () => drops.offline++);
  return { client: c, drops };
}

async function linkTo(ctl: TestController, url: string, username: string, password: string) {
  const log = recordingLogger();
  const link = await connectLink(ctl.db, null, { log, url, username, password });
  cleanups.push(() => link.close());
  return { link, connects: () => log.lines.filter((l) => l.startsWith('info mqtt: connected to')).length };
}

/** Attempts with A's credentials and each of `clientIds` in turn until HOLD_MS has passed. */
async function holdTakeover(url: string, secretA: string, clientIds: string[]) {
  const outcomes: Record<ConnectOutcome, number> = { accepted: 0, refused: 0, closed: 0 };
  const end = Date.now() + HOLD_MS;
  for (let i = 0; Date.now() < end; i++) {
    const clientId = clientIds[i % clientIds.length] as string;
    outcomes[await tryConnect(url, { clientId, username: 'st-a', password: secretA })]++;
    await new Promise((r) => setTimeout(r, ATTEMPT_GAP_MS));
  }
  return outcomes;
}

/** One as-run record from B, stored by the controller link and acknowledged back to B. */
async function roundTrip(b: MqttClient, id: string) {
  expect(await sendAsRun(b, 'st-b', [skippedRecord('st-b', id)])).toEqual({ ids: [id] });
}

async function embeddedHold() {
  const { ctl, secrets } = await twoStations();
  const log = recordingLogger();
  // No connection throttling here: every attempt must reach the client-id check.
  const broker: EmbeddedBroker = await startBroker(
    ctl.db,
    { host: '127.0.0.1', port: 0, connectBurst: 1e6, connectsPerSec: 1e6 },
    log,
  );
  cleanups.push(() => broker.close());
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const ctlLink = await linkTo(ctl, url, 'controller', broker.controllerPassword);
  const b = await victim(url, { clientId: 'station-st-b', username: 'st-b', password: secrets['st-b'] });
  await expect.poll(() => ctlLink.link.connected).toBe(true);
  const outcomes = await holdTakeover(url, secrets['st-a'] as string, [
    'station-st-b',
    `controller-${process.pid}`,
    'st-b',
  ]);
  return {
    name: 'embedded',
    outcomes,
    drops: b.drops,
    links: ctlLink.connects(),
    b: b.client,
    log: log.lines,
  };
}

async function mosquittoHold() {
  const { ctl, secrets } = await twoStations();
  const controllerPassword = newSecret('ctl');
  const broker: Mosquitto = await startMosquitto(
    mosquittoBin,
    mosquittoFiles(readStationsForBroker(ctl.db), {
      username: 'controller',
      brokerHash: brokerHash(controllerPassword),
    }),
  );
  cleanups.push(() => broker.stop());
  onTestFailed(() => console.error(broker.output().slice(-4000)));
  const ctlLink = await linkTo(ctl, broker.url, 'controller', controllerPassword);
  const b = await victim(broker.url, {
    clientId: 'station-st-b',
    username: 'st-b',
    password: secrets['st-b'],
  });
  await expect.poll(() => ctlLink.link.connected).toBe(true);
  // Mosquitto names each client by its username: B is `st-b` and the controller `controller` there,
  // whatever they asked for; the ids they ask for are tried too.
  const outcomes = await holdTakeover(broker.url, secrets['st-a'] as string, [
    'station-st-b',
    'st-b',
    'controller',
    `controller-${process.pid}`,
  ]);
  return {
    name: 'mosquitto',
    outcomes,
    drops: b.drops,
    links: ctlLink.connects(),
    b: b.client,
    log: broker.output().split('\n'),
  };
}

describe('client-id takeover', () => {
  it('a station using another station or the controller as its client id never disconnects them', async () => {
    const [embedded, mosquitto] = await Promise.all([embeddedHold(), mosquittoHold()]);
    const tried = (r: typeof embedded) => r.outcomes.accepted + r.outcomes.refused + r.outcomes.closed;
    for (const r of [embedded, mosquitto]) {
      console.log(
        `${r.name}: ${tried(r)} takeover attempts in ${HOLD_MS / 1000} s (${JSON.stringify(r.outcomes)}); ` +
          `victim B lost its connection ${r.drops.close} times, the controller link connected ${r.links} time(s)`,
      );
    }
    for (const r of [embedded, mosquitto]) {
      expect(tried(r), r.name).toBeGreaterThan(200);
      expect(r.drops, r.name).toEqual({ close: 0, offline: 0 });
      expect(r.links, r.name).toBe(1);
      await roundTrip(r.b, `after-${r.name}`);
    }
    // The embedded broker refuses every attempt (CONNACK not authorised) and says why.
    expect(embedded.outcomes.accepted).toBe(0);
    expect(
      embedded.log.some((l) => /warn mqtt: 'st-a' may not connect as client id 'station-st-b'/.test(l)),
    ).toBe(true);
    // Mosquitto lets A in under its own name only: nobody else is ever closed for a duplicate id.
    expect(mosquitto.log.some((l) => /New client connected from \S+ as st-a \(/.test(l))).toBe(true);
    expect(
      mosquitto.log.filter((l) => /already connected, closing old connection/.test(l) && !/ st-a /.test(l)),
    ).toEqual([]);
  }, 90_000);
});
