// A RabbitMQ cluster on this machine for developers and the benchmark (docs/cluster.md):
//   npx tsx scripts/rabbit-cluster.ts start [--nodes 3] [--auth-url http://127.0.0.1:8080/broker-auth/TOKEN]
// prints the nodes' MQTT URLs (one line for MQTT_URL or an agent's mqttUrl) and runs until Ctrl-C, which
// stops the nodes and removes their folder. `stop` is there for symmetry: a cluster lives as long as the
// `start` that made it.
import { parseArgs } from 'node:util';
import { RABBIT_INSTALL, rabbitAvailable, startRabbitCluster } from '../test/support/rabbit-cluster.ts';

const USAGE = 'usage: npx tsx scripts/rabbit-cluster.ts start [--nodes 3] [--auth-url URL]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { nodes: { type: 'string', default: '3' }, 'auth-url': { type: 'string' } },
  });
  const command = positionals[0];
  if (command === 'stop') {
    console.log('a cluster stops with Ctrl-C in the terminal where `start` runs (it removes its folder too)');
    return;
  }
  if (command !== 'start') throw new Error(USAGE);
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) throw new Error(`--nodes: 1 to 9\n${USAGE}`);
  if (!rabbitAvailable()) throw new Error(`RabbitMQ is not installed: ${RABBIT_INSTALL}`);
  const authUrl = values['auth-url'];
  const started = Date.now();
  const cluster = await startRabbitCluster({ nodes, ...(authUrl ? { authUrl } : {}) });
  console.log(`${nodes} nodes up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const n of cluster.nodes) console.log(`  ${n.name}  ${n.mqttUrl}  (AMQP ${n.amqpPort})`);
  console.log(`MQTT_URL=${cluster.nodes.map((n) => n.mqttUrl).join(',')}`);
  if (!authUrl)
    console.log(
      `user ${cluster.user.username}, password ${cluster.user.password} (RabbitMQ's internal users)`,
    );
  console.log('Ctrl-C stops the cluster');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // keep running until a signal
  setInterval(() => {}, 1 << 30);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
