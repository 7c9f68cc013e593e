// `npm run broker-files -- --out DIR`: Mosquitto password, ACL and config files from the controller's database.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig } from '../controller/config.ts';
import { MAX_PACKET_BYTES, mosquittoFiles, readStationsForBroker } from '../controller/mqtt/broker-files.ts';
import { spokenRoots } from '../controller/mqtt/roots.ts';
import { brokerHash } from '../controller/users/secrets.ts';

const usage = `usage: npm run broker-files -- --out DIR [--broker-dir DIR] [--host ADDR] [--port N] [--cert FILE --key FILE]
  reads DATA_DIR/controller.db (read-only); MQTT_PASSWORD (required) is the controller's broker password,
  MQTT_USERNAME its login (default controller, controller@<PROVINCE_ID> with PROVINCE_ID); PROVINCE_ID and
  MQTT_PROTOCOLS add protocol v2's logins <id>@<province> and their topics
  --broker-dir  where the broker will read passwd and acl (default /etc/mosquitto/loa)
  --host        listener address (default 127.0.0.1); --port (default 8883 with TLS, else 1883)`;

const options = {
  out: { type: 'string' },
  'broker-dir': { type: 'string', default: '/etc/mosquitto/loa' },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function main(): void {
  let a: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
  try {
    a = parseArgs({ options }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${usage}`);
  }
  if (a.help || !a.out) fail(usage);
  const config = loadConfig(process.env);
  if (!config.mqttPassword) fail('MQTT_PASSWORD is required: the password the controller logs in with.');
  const port = Number(a.port ?? (a.cert ? 8883 : 1883));
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`invalid --port '${a.port}'`);

  const dbFile = path.join(config.dataDir, 'controller.db');
  let db: Database.Database;
  try {
    // Read-only: the generator must never migrate or lock the live controller's database.
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
  } catch (e) {
    fail(`cannot open ${dbFile}: ${(e as Error).message}`);
  }
  const stations = readStationsForBroker(db);
  db.close();
  // PROVINCE_ID and MQTT_PROTOCOLS: v2 logins `<id>@<province>` and their topics (docs/mosquitto.md)
  const files = mosquittoFiles(
    stations,
    { username: config.mqttUsername, brokerHash: brokerHash(config.mqttPassword) },
    spokenRoots(config.provinceId, config.mqttProtocols),
  );
  const conf = files.conf({ port, dir: a['broker-dir'], host: a.host, certfile: a.cert, keyfile: a.key });

  const out = path.resolve(a.out);
  mkdirSync(out, { recursive: true });
  // Written aside and renamed, so a broker reloading meanwhile never reads half a file.
  const write = (name: string, text: string, mode: number) => {
    const file = path.join(out, name);
    writeFileSync(`${file}.tmp`, text, { mode });
    chmodSync(`${file}.tmp`, mode);
    renameSync(`${file}.tmp`, file);
  };
  write('passwd', files.passwd, 0o600);
  write('acl', files.acl, 0o644);
  write('mosquitto.conf', conf, 0o644);

  const admitted = stations.length - files.excluded.length;
  console.log(
    `wrote ${out}/{passwd,acl,mosquitto.conf}: ${admitted} station(s) and '${config.mqttUsername}'`,
  );
  for (const x of files.excluded) console.log(`  left out ${x.id}: ${x.reason}`);
  if (!a.cert && a.host !== '127.0.0.1' && a.host !== '::1') {
    console.log('warning: no TLS (--cert/--key): station secrets would cross the network in clear text');
  }
  const d = a['broker-dir'];
  console.log(`
next, on the broker host (Debian's mosquitto runs as user mosquitto, which must read the files):
  install -d -m 0750 -g mosquitto ${d}
  install -m 0640 -g mosquitto ${out}/passwd ${out}/acl ${d}/
  install -m 0644 ${out}/mosquitto.conf /etc/mosquitto/conf.d/loa.conf
  systemctl restart mosquitto     # first time: the listener is new
then run the controller with MQTT_URL=mqtt${a.cert ? 's' : ''}://HOST:${port} and the same MQTT_PASSWORD.
After a station is added, rotated or revoked: run this again, copy passwd and acl, then
  systemctl reload mosquitto      # (SIGHUP) re-reads both; a revoked station's connection is closed
Limits: max_packet_size ${MAX_PACKET_BYTES} bytes, no topic aliases, no persistence (the controller
republishes every retained desired state when it connects), and every client named by its username
(use_username_as_clientid): no station can take another's or the controller's client id.`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main();
