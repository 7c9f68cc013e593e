// A province's controller core in a process of its own (a child of the cluster benchmark): the controller of
// scripts/sim/controller.ts with its HTTP API on a given port, speaking v1 and v2 of its province to an
// external broker or cluster (MQTT_URL: the nodes separated by commas), and answering RabbitMQ's auth callback.
// Each province is a process, as in a deployment: two controllers in one thread would measure each other.
// Tells its parent (IPC) when its API is up; stops on SIGTERM or when the parent goes.
import { createLogger, silentLogger } from '../../common/log.ts';
import { startSimController } from './controller.ts';

export interface ProvinceArgs {
  dataDir: string;
  province: string;
  /** The brokers, separated by commas. */
  url: string;
  password: string;
  /** The MQTT username instead of `controller@<province>` (a cluster's internal user, as a stand-in). */
  username?: string;
  adminPassword: string;
  httpPort: number;
  /** Set: answer RabbitMQ's auth callback at /broker-auth/<token>. */
  brokerAuthToken?: string;
  verbose?: boolean;
}

export interface ProvinceReady {
  type: 'ready';
  api: string;
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '') as ProvinceArgs;
  const ctl = await startSimController({
    dataDir: a.dataDir,
    broker: {
      kind: 'external',
      url: a.url,
      username: a.username ?? `controller@${a.province}`,
      password: a.password,
    },
    province: a.province,
    http: { adminPassword: a.adminPassword, port: a.httpPort },
    ...(a.brokerAuthToken ? { brokerAuth: { token: a.brokerAuthToken } } : {}),
    log: a.verbose ? createLogger(`ctl-${a.province}`) : silentLogger,
  });
  // Ready once linked: the benchmark's stations must find their controller listening.
  for (let i = 0; i < 600 && !ctl.link.connected; i++) await new Promise((r) => setTimeout(r, 100));
  process.send?.({ type: 'ready', api: ctl.api as string } satisfies ProvinceReady);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await ctl.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
