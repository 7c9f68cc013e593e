// The embedded aedes broker in a process of its own (a child of the simulator or the benchmark): the same
// startBroker, station logins and ACL as in the controller, reading the controller's database (WAL: one
// writer, many readers). The controller then reaches it as an external broker (`MQTT_URL`), so the broker no
// longer shares the controller's one thread. Tells its parent its port and the controller's password.

import { createLogger, silentLogger } from '../../common/log.ts';
import { openDb } from '../../controller/db.ts';
import { startBroker } from '../../controller/mqtt/broker.ts';
import { type BrokerReady, UNTHROTTLED } from './messages.ts';

async function main(): Promise<void> {
  const [dbFile, portArg, verbose] = process.argv.slice(2);
  if (!dbFile) throw new Error('usage: broker.ts DB_FILE [PORT] [verbose]');
  const db = openDb(dbFile);
  const log = verbose === 'verbose' ? createLogger('broker') : silentLogger;
  const broker = await startBroker(
    db,
    { host: '127.0.0.1', port: Number(portArg ?? 0), ...UNTHROTTLED },
    log,
  );
  const ready: BrokerReady = {
    type: 'ready',
    port: broker.port,
    controllerPassword: broker.controllerPassword,
  };
  process.send?.(ready);
  const stop = async () => {
    await broker.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
