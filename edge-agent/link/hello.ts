// The station's hello (docs/protocol.md, "Hello and roll call"): at every connect and in answer to the
// controller's roll call it says which desired version it applied and which bulletins it holds, so that the
// controller sends what it lacks and no station depends on a retained copy kept by the broker node it reached.
import type { MqttClient } from 'mqtt';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import { type Hello, type ProtocolTopics, RollCall } from '../../schedules/protocol.ts';
import type { AgentStore } from '../state/store.ts';

export interface HelloDeps {
  stationId: string;
  topics: ProtocolTopics;
  store: Pick<AgentStore, 'desiredVersion' | 'alertsSince'>;
  clock: Clock;
  log: Logger;
  /** The client while connected, else null. */
  client(): MqttClient | null;
  /** In [0, 1); Math.random by default (tests pass their own). */
  random?: () => number;
}

/** At most one roll call a minute is answered (the hello at connect does not count). */
const ROLL_CALL_GAP_MS = 60_000;
/** A bulletin is held at most a day after it arrives (edge-agent/bulletins.ts looks back as far). */
const DAY = 24 * 3_600_000;
/** The hello names at most this many bulletins (Hello in schedules/protocol.ts). */
const MAX_ALERTS = 500;

export function createHello(deps: HelloDeps) {
  const { stationId, topics, store, clock, log } = deps;
  let lastAnswer = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;

  /** What the station holds now: its applied version, and the bulletins neither expired nor withdrawn. */
  function hello(): Hello {
    const now = clock.now();
    const since = new Date(now.getTime() - DAY).toISOString();
    const alerts = store
      .alertsSince(since)
      .filter((a) => !a.alert.cancelledAt && Date.parse(a.alert.expiresAt) > now.getTime())
      .map((a) => a.alert.id)
      .slice(0, MAX_ALERTS);
    return { desiredVersion: store.desiredVersion(), alerts, at: now.toISOString() };
  }

  function send(): void {
    const client = deps.client();
    if (!client) return;
    client.publish(topics.hello(stationId), JSON.stringify(hello()), { qos: 1 }, (err) => {
      if (err) log.warn(`mqtt: hello not sent: ${err.message}`);
    });
  }

  return {
    /** At every connect, once subscribed. */
    send,
    /** A roll call arrived: a hello after a random delay within its window, unless one answered a minute ago. */
    rollCall(payload: Buffer): void {
      let parsed: ReturnType<typeof RollCall.safeParse>;
      try {
        parsed = RollCall.safeParse(JSON.parse(payload.toString('utf8')));
      } catch {
        log.warn('mqtt: dropped a roll call that is not JSON');
        return;
      }
      if (!parsed.success) {
        log.warn(`mqtt: dropped an invalid roll call (${parsed.error.issues[0]?.message})`);
        return;
      }
      const now = clock.now().getTime();
      if (timer || now - lastAnswer < ROLL_CALL_GAP_MS) return;
      lastAnswer = now;
      const delay = Math.floor((deps.random ?? Math.random)() * parsed.data.withinMs);
      timer = setTimeout(() => {
        timer = null;
        send();
      }, delay);
    },
    stop(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
