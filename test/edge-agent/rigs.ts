// Set-ups shared by the agent's tests: a runner on a temp store under fake timers, the wired agent as
// main.ts wires it (with test parts), the controller's side of a broker, and the world an agent runs in.
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Clock } from '../../common/clock.ts';
import { type Agent, type AgentDeps, createAgent } from '../../edge-agent/agent.ts';
import type { AgentConfig } from '../../edge-agent/config/config.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import type { AgentPlayer } from '../../edge-agent/playout/player.ts';
import { createRunner, type Runner, type RunnerDeps } from '../../edge-agent/playout/runner.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import type { Alert } from '../../schedules/alerts.ts';
import type { DesiredState, Target } from '../../schedules/model.ts';
import { type AsRunRecord, topics } from '../../schedules/protocol.ts';
import { type RecordingLogger, recordingLogger } from '../support/log.ts';
import { STATION } from '../support/records.ts';
import { TEST_SIGNER } from '../support/signing.ts';
import { type TempDir, tempDir } from '../support/temp.ts';
import {
  type ClipHandler,
  FakePlayer,
  recordingBus,
  startBroker,
  startClipServer,
  testConfig,
} from './helpers.ts';

type FakeTimerOptions = Parameters<typeof vi.useFakeTimers>[0];
const clock: Clock = { now: () => new Date() };

export interface RunnerRig {
  /** The temp data dir of this test. */
  dir: string;
  store: AgentStore;
  relay: SimRelay;
  player: FakePlayer;
  /** What the runners committed, in order. */
  records: AsRunRecord[];
  log: RecordingLogger;
  /** A runner on this rig's parts (`deps` replace them), its config testConfig(dir, `config`); stopped after the test. */
  runner(deps?: Partial<RunnerDeps>, config?: Record<string, unknown>): Runner;
}

/**
 * For a describe block of runner tests: before each test, fake timers (`timers`; none when null) at
 * `startAt`, a temp data dir and its store, a simulated relay, a FakePlayer of `playMs`, a recording
 * logger and the records; after it, every runner stopped and all closed. Clips resolve to
 * `/clips/<id>.opus` unless `verifiedPath` says otherwise.
 */
export function useRunnerRig(
  startAt: Date,
  o: {
    playMs?: number;
    timers?: FakeTimerOptions | null;
    verifiedPath?: (ref: { id: string }) => string | null;
  } = {},
): RunnerRig {
  let tmp: TempDir;
  const runners: Runner[] = [];
  const rig = {
    records: [] as AsRunRecord[],
    runner(deps: Partial<RunnerDeps> = {}, config: Record<string, unknown> = {}) {
      const r = createRunner({
        config: testConfig(rig.dir, config),
        clock,
        store: rig.store,
        relay: rig.relay,
        player: rig.player,
        clips: { verifiedPath: async (ref) => (o.verifiedPath ?? ((c) => `/clips/${c.id}.opus`))(ref) },
        log: rig.log,
        bus: recordingBus((rec) => rig.records.push(rec)),
        ...deps,
      });
      runners.push(r);
      return r;
    },
  } as RunnerRig;
  beforeEach(() => {
    if (o.timers !== null) {
      vi.useFakeTimers(o.timers);
      vi.setSystemTime(startAt);
    }
    tmp = tempDir('runner');
    rig.dir = tmp.dir;
    rig.store = openStore(tmp.dir);
    rig.relay = new SimRelay(clock);
    rig.player = new FakePlayer(o.playMs ?? 30_000);
    rig.records.length = 0;
    rig.log = recordingLogger();
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    vi.useRealTimers();
    rig.store.close();
    tmp.cleanup();
  });
  return rig;
}

export interface WiredAgent<P extends AgentPlayer = FakePlayer> {
  agent: Agent;
  config: AgentConfig;
  store: AgentStore;
  relay: SimRelay;
  player: P;
  log: RecordingLogger;
  /** Stops the agent and closes its store (once: again does nothing). */
  close(): Promise<void>;
}

/**
 * The agent wired as edge-agent/cli/main.ts wires it, with test parts: its config testConfig(dataDir,
 * `config`), a simulated relay journalled to relay.jsonl (unless `journal` is false), a FakePlayer of
 * 30 s unless `player`, a recording logger, a link that pings hourly (fake hours pass in real
 * milliseconds) and short clip retries. `deps` replace any of these.
 */
export interface WiredAgentOptions<P extends AgentPlayer> {
  dataDir: string;
  config?: Record<string, unknown>;
  player?: P;
  journal?: boolean;
  deps?: Partial<AgentDeps>;
}

export function wiredAgent<P extends AgentPlayer = FakePlayer>(o: WiredAgentOptions<P>): WiredAgent<P> {
  const config = testConfig(o.dataDir, o.config);
  const store = openStore(config.dataDir);
  const relay = new SimRelay(clock, o.journal === false ? null : join(config.dataDir, 'relay.jsonl'));
  const player = (o.player ?? new FakePlayer(30_000)) as P;
  const log = recordingLogger();
  const agent = createAgent({
    config,
    clock,
    relay,
    player,
    store,
    log,
    link: { keepaliveSec: 3600, retryMs: 15_000, backoff: { minMs: 100, maxMs: 1000 } },
    clipRetry: { attempts: 3, baseMs: 10, maxMs: 50 },
    ...o.deps,
  });
  let closed = false;
  return {
    agent,
    config,
    store,
    relay,
    player,
    log,
    close: async () => {
      if (closed) return;
      closed = true;
      await agent.stop();
      store.close();
    },
  };
}

export interface ControllerClient {
  client: MqttClient;
  /** The JSON payloads received on `topic` so far, in order. */
  received<T>(topic: string): T[];
  /** Publishes the station's desired state, retained, signed as the controller signs it. */
  publishDesired(state: DesiredState): Promise<unknown>;
  /** Publishes a bulletin on the topic of `target` (its first target by default), retained, signed. */
  sendAlert(alert: Alert, target?: Target): Promise<unknown>;
  /** Acknowledges as-run records. */
  ack(ids: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** The controller's side of a broker for agent tests: subscribed to `watch` (QoS 1), never pinging for an hour. */
export async function controllerClient(url: string, watch: string[] = []): Promise<ControllerClient> {
  const client = await mqtt.connectAsync(url, { clientId: 'controller-test', keepalive: 3600 });
  const seen: { topic: string; json: unknown }[] = [];
  client.on('message', (topic, payload) => {
    let json: unknown = null;
    try {
      json = JSON.parse(payload.toString());
    } catch {}
    seen.push({ topic, json });
  });
  if (watch.length > 0) await client.subscribeAsync(watch, { qos: 1 });
  return {
    client,
    received: <T>(topic: string) => seen.filter((m) => m.topic === topic).map((m) => m.json as T),
    publishDesired: (state) =>
      client.publishAsync(topics.desired(STATION), JSON.stringify(TEST_SIGNER.desired(state)), {
        qos: 1,
        retain: true,
      }),
    sendAlert: (alert, target = alert.targets[0] as Target) =>
      client.publishAsync(topics.alert(target, alert.id), JSON.stringify(TEST_SIGNER.bulletin(alert)), {
        qos: 1,
        retain: true,
      }),
    ack: (ids) => client.publishAsync(topics.asRunAck(STATION), JSON.stringify({ ids }), { qos: 1 }),
    close: () => client.endAsync(true),
  };
}

export interface AgentWorld {
  /** The temp dir of this test. */
  dir: string;
  broker: Awaited<ReturnType<typeof startBroker>>;
  clips: Awaited<ReturnType<typeof startClipServer>>;
  controller: ControllerClient;
  /** A wired agent on dir (unless given), the world's clip server and broker; closed after the test. */
  agent<P extends AgentPlayer = FakePlayer>(o?: Partial<WiredAgentOptions<P>>): WiredAgent<P>;
  /** Closes `close` after the test, before the world itself. */
  closeAfter(close: () => Promise<void> | void): void;
}

/**
 * For a describe block of in-process agent tests: before each test, fake time that also flows on its
 * own (sockets and the broker keep working between jumps) from `startAt`, a temp dir, an aedes broker,
 * a clip server of `clips` (or `clipHandler`), and the controller's client watching `watch`, which has
 * published `desired` if given; after it, what the test opened, then the world, closed.
 */
export function useAgentWorld(o: {
  startAt?: Date;
  clips?: Map<string, Buffer>;
  clipHandler?: ClipHandler;
  watch?: string[];
  desired?: DesiredState;
}): AgentWorld {
  let tmp: TempDir;
  const closers: (() => Promise<void> | void)[] = [];
  const world = {
    agent<P extends AgentPlayer = FakePlayer>(a: Partial<WiredAgentOptions<P>> = {}) {
      const w = wiredAgent<P>({
        ...a,
        dataDir: a.dataDir ?? world.dir,
        config: { controllerUrl: world.clips.url, mqttUrl: world.broker.url, ...a.config },
      });
      closers.push(w.close);
      return w;
    },
    closeAfter: (close: () => Promise<void> | void) => void closers.push(close),
  } as AgentWorld;
  beforeEach(async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    if (o.startAt) vi.setSystemTime(o.startAt);
    tmp = tempDir('agent');
    world.dir = tmp.dir;
    world.broker = await startBroker();
    world.clips = await startClipServer(o.clips ?? new Map(), o.clipHandler);
    world.controller = await controllerClient(world.broker.url, o.watch);
    if (o.desired) await world.controller.publishDesired(o.desired);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await world.controller.close();
    await world.broker.close();
    await world.clips.close();
    vi.useRealTimers();
    tmp.cleanup();
  });
  return world;
}
