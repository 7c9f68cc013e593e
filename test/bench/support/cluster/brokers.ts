// The brokers of the cluster benchmark's rows: three RabbitMQ nodes whose station logins and topic rights
// are checked by the provinces' controllers through the broker-auth router (the controllers themselves are
// the cluster's internal users), three nodes on internal users alone (a stand-in), or one Mosquitto 2
// carrying every province with the password and ACL files `npm run broker-files` writes for each.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { createLogger, silentLogger } from '../../../../common/log.ts';
import { sleep } from '../../../../common/sleep.ts';
import { type RouterServer, startBrokerAuthRouter } from '../../../../controller/broker-auth/serve.ts';
import {
  type MosquittoFiles,
  mosquittoFiles,
  readStationsForBroker,
} from '../../../../controller/mqtt/broker-files.ts';
import { topicRoot } from '../../../../schedules/protocol.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../../../support/mqtt/mosquitto.ts';
import { type RabbitCluster, startRabbitCluster } from '../../../support/rabbit-cluster.ts';
import { log } from '../bench.ts';
import { type Province, withProvinceDb } from './provinces.ts';

// A province that has not answered a check by then is taken as `deny` (the router's default is 2 s).
const ROUTER_TIMEOUT_MS = 5000;

export interface Brokers {
  urls: string[];
  cluster: RabbitCluster | null;
  mosquitto: Mosquitto | null;
  /** The token of the provinces' auth callback (the rabbitmq row). */
  token?: string;
  /** One login for every client (the rabbitmq-internal stand-in). */
  login?: { username: string; password: string };
  /** The auth callback's counts so far (the rabbitmq row), from the router's /metrics. */
  callback(): Promise<CallbackCounts | null>;
  stop(): Promise<void>;
}

export interface CallbackCounts {
  /** Checks answered, by path. */
  checks: Record<string, number>;
  /** Of those: forwarded to a province, and its mean wait (ms). */
  forwarded: number;
  forwardMeanMs: number;
}

export async function startBrokers(kind: string, provinces: Province[]): Promise<Brokers> {
  if (kind === 'rabbitmq-internal') {
    log(`${kind}: starting three nodes (RabbitMQ's internal users: one shared login, a stand-in)`);
    const cluster = await startRabbitCluster({ nodes: 3 });
    return rabbit(cluster, null, { login: cluster.user });
  }
  if (kind === 'rabbitmq') {
    const token = randomBytes(24).toString('base64url');
    const router = await startBrokerAuthRouter({
      token,
      provinces: provinces.map((p) => ({
        province: p.id,
        url: `http://127.0.0.1:${p.httpPort}/broker-auth/${token}`,
        v1: false,
      })),
      cacheMs: 30_000,
      timeoutMs: ROUTER_TIMEOUT_MS,
      log: process.env.BENCH_CLUSTER_VERBOSE ? createLogger('router') : silentLogger,
    });
    log(`${kind}: starting three nodes (auth callback at ${router.url})`);
    const cluster = await startRabbitCluster({ nodes: 3, authUrl: router.url, authCacheMs: 2000 }).catch(
      async (e) => {
        await router.close();
        throw e;
      },
    );
    // the controllers are the cluster's internal users; the stations are checked by the callback
    for (const p of provinces) await cluster.addController(p.id, p.password);
    return rabbit(cluster, router, { token });
  }
  const bin = findMosquitto();
  if (!bin) throw new Error('no mosquitto');
  const mosquitto = await startMosquitto(bin, provincesFiles(provinces), {
    logType: 'error',
    // restarted under 10,000 stations knocking at once: seen taking over 10 s
    startMs: 60_000,
  });
  return {
    urls: [mosquitto.url],
    cluster: null,
    mosquitto,
    callback: async () => null,
    stop: () => mosquitto.stop(),
  };
}

function rabbit(
  cluster: RabbitCluster,
  router: RouterServer | null,
  o: Pick<Brokers, 'token' | 'login'>,
): Brokers {
  return {
    urls: cluster.nodes.map((n) => n.mqttUrl),
    cluster,
    mosquitto: null,
    ...o,
    callback: async () => (router ? callbackCounts(router) : null),
    stop: async () => {
      await cluster.stop();
      await router?.close();
    },
  };
}

async function callbackCounts(router: RouterServer): Promise<CallbackCounts> {
  const text = await (await fetch(router.url.replace(/\/broker-auth\/.*/, '/metrics'))).text();
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[2] ?? m[1]), 0);
  const checks: Record<string, number> = {};
  for (const m of text.matchAll(/^loa_broker_auth_checks_total\{path="(\w+)",answer="\w+"\} (\d+)$/gm))
    checks[m[1] as string] = (checks[m[1] as string] ?? 0) + Number(m[2]);
  const forwarded = sum(/^loa_broker_auth_upstream_seconds_count\{[^}]*\} (\d+)$/gm);
  const seconds = sum(/^loa_broker_auth_upstream_seconds_sum\{[^}]*\} ([\d.e+-]+)$/gm);
  return { checks, forwarded, forwardMeanMs: forwarded ? (seconds / forwarded) * 1000 : 0 };
}

/** What RabbitMQ's nodes logged, counted (`rabbit_mqtt_collector`: the client-id registry, a Raft cluster). */
const NODE_EVENTS: Record<string, RegExp> = {
  'client-id registry timed out (connection dropped)': /case_clause,\{error,\{timeout,/g,
  'channel timed out flushing (connection dropped)': /\*\* Last message in was timed_out_flushing_channel/g,
  'duplicate client id (older connection closed)': /with duplicate id/g,
  'auth backend timed out or failed': /backend rabbit_auth_backend_http returned an error/g,
  'access refused': /operation resulted in an error \(access_refused\)/g,
};

/** The nodes' log events of NODE_EVENTS, over every node, before the cluster's folder goes. */
export function nodeEvents(cluster: RabbitCluster): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < cluster.nodes.length; i++) {
    let text = '';
    try {
      text = readFileSync(cluster.logFile(i), 'utf8');
    } catch {
      continue;
    }
    for (const [what, re] of Object.entries(NODE_EVENTS))
      counts[what] = (counts[what] ?? 0) + (text.match(re)?.length ?? 0);
  }
  return counts;
}

export interface SubscribeProbe {
  connackMs: number;
  /** The first SUBACK's wait (ms); null: none within the limit. */
  firstMs: number | null;
  /** Filters subscribed (each its own binding at RabbitMQ), and how many a second. */
  subscribed: number;
  perSecond: number | null;
}

/**
 * How fast the broker takes subscriptions now: one client at the first node (the cluster's internal login,
 * no callback in its way; at Mosquitto the first province's controller) subscribes `count` distinct filters
 * of its province, ten a SUBSCRIBE, one SUBSCRIBE after the other, as a connecting station does.
 */
export async function probeSubscribes(
  b: Brokers,
  p: Province,
  count: number,
  limitMs: number,
): Promise<SubscribeProbe> {
  const login = b.cluster ? b.cluster.user : { username: `controller@${p.id}`, password: p.password };
  const t0 = performance.now();
  const c = mqtt.connect(b.urls[0] as string, {
    ...login,
    clientId: `bench-probe-${process.pid}-${Math.round(t0)}`,
    reconnectPeriod: 0,
    connectTimeout: limitMs,
    keepalive: 0,
  });
  try {
    await new Promise((resolve, reject) => {
      c.once('connect', resolve);
      c.once('error', reject);
    });
    const connackMs = performance.now() - t0;
    const t1 = performance.now();
    let firstMs: number | null = null;
    let subscribed = 0;
    const root = topicRoot(p.id);
    while (subscribed < count && performance.now() - t1 < limitMs) {
      const filters = Array.from({ length: 10 }, (_, i) => `${root}/probe/${t0}/${subscribed + i}`);
      const ok = await Promise.race([
        new Promise<boolean>((resolve) => c.subscribe(filters, { qos: 0 }, (e) => resolve(!e))),
        sleep(limitMs - (performance.now() - t1)).then(() => false),
      ]);
      if (!ok) break;
      firstMs ??= performance.now() - t1;
      subscribed += filters.length;
    }
    const ms = performance.now() - t1;
    return { connackMs, firstMs, subscribed, perSecond: subscribed ? (subscribed / ms) * 1000 : null };
  } finally {
    c.end(true);
  }
}

/** Every province's v2 files for one Mosquitto: the passwords and ACLs of each, one after the other. */
function provincesFiles(provinces: Province[]): MosquittoFiles {
  const each = provinces.map((p) =>
    mosquittoFiles(
      withProvinceDb(p, readStationsForBroker),
      { username: `controller@${p.id}`, brokerHash: p.passwordHash },
      [topicRoot(p.id)],
    ),
  );
  const [first] = each as [MosquittoFiles];
  return {
    passwd: each.map((f) => f.passwd).join(''),
    acl: each.map((f) => f.acl).join('\n'),
    conf: first.conf,
    excluded: each.flatMap((f) => f.excluded),
  };
}
