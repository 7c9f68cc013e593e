// End to end through Debian's Mosquitto: the controller with MQTT_URL (no embedded broker) and an agent,
// as separate processes; the station's secret reaches the broker the documented way (regenerated
// password and ACL files, then SIGHUP), and the same slot plays and the same one is skipped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, it, onTestFailed } from 'vitest';
import { mosquittoFiles, readStationsForBroker } from '../../controller/mqtt/broker-files.ts';
import { brokerHash, newSecret } from '../../controller/users/secrets.ts';
import { type Chain, playAndSkip, startChain } from '../support/chain.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../support/mosquitto.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loa-e2e-mosq-'));
const controllerPassword = newSecret('ctl');
const controller = { username: 'controller', brokerHash: brokerHash(controllerPassword) };
let broker: Mosquitto | null = null;
let chain: Chain | null = null;

beforeAll(async () => {
  const bin = findMosquitto();
  // CI installs it; a silent skip would hide that the external broker went untested.
  if (!bin) throw new Error('mosquitto not found: install mosquitto (apt-get install mosquitto)');
  // At first only the controller may log in: no station has a secret yet.
  broker = await startMosquitto(bin, mosquittoFiles([], controller));
  const b = broker;
  chain = await startChain({
    dir,
    mqttUrl: b.url,
    env: { MQTT_URL: b.url, MQTT_USERNAME: 'controller', MQTT_PASSWORD: controllerPassword },
    afterStation: async (dataDir) => {
      // What `npm run broker-files` does: read the stations read-only, write passwd and acl, reload.
      const db = new Database(path.join(dataDir, 'controller.db'), { readonly: true, fileMustExist: true });
      const stations = readStationsForBroker(db);
      db.close();
      b.write(mosquittoFiles(stations, controller));
      await b.reload();
    },
  });
}, 60_000);

afterAll(async () => {
  await chain?.stop();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('clip to loudspeaker through Mosquitto', () => {
  it('plays one slot and skips the one in online-class hours, with the controller on MQTT_URL', async () => {
    onTestFailed(() => {
      for (const p of chain?.procs ?? []) console.error(p.output().slice(-6000));
      console.error(broker?.output().slice(-6000));
    });
    if (!chain) throw new Error('chain did not start');
    await playAndSkip(chain, dir);
  }, 90_000);
});
