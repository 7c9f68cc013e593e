// End to end through Debian's Mosquitto: the controller with MQTT_URL (no embedded broker) and an agent,
// as separate processes; the station's secret reaches the broker the documented way (regenerated
// password and ACL files, then SIGHUP), and the same slot plays and the same one is skipped.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it } from 'vitest';
import { mosquittoFiles, readStationsForBroker } from '../../controller/mqtt/broker-files.ts';
import { brokerHash, newSecret } from '../../controller/users/secrets.ts';
import { playAndSkip, startChain, useChain } from '../support/chain.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../support/mqtt/mosquitto.ts';

const controllerPassword = newSecret('ctl');
const controller = { username: 'controller', brokerHash: brokerHash(controllerPassword) };
let broker: Mosquitto | null = null;

const e2e = useChain(
  async (dir) => {
    const bin = findMosquitto();
    // CI installs it; a silent skip would hide that the external broker went untested.
    if (!bin) throw new Error('mosquitto not found: install mosquitto (apt-get install mosquitto)');
    // At first only the controller may log in: no station has a secret yet.
    const b = await startMosquitto(bin, mosquittoFiles([], controller));
    broker = b;
    return startChain({
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
  },
  { logs: () => broker?.output(), after: () => broker?.stop() },
);

describe('clip to loudspeaker through Mosquitto', () => {
  it('plays one slot and skips the one in online-class hours, with the controller on MQTT_URL', async () => {
    if (!e2e.chain) throw new Error('chain did not start');
    await playAndSkip(e2e.chain, e2e.dir);
  }, 90_000);
});
