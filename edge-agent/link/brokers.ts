// The brokers an agent may reach: one URL, or a cluster's nodes separated by commas. A fleet spreads over
// the nodes by starting each agent at the node its station id hashes to (evenly spread, and the same node
// at every start, which keeps a station's logs in one place); after a failed connection or a drop the
// link moves to the next (docs/agent.md, "Several brokers").
import { createHash } from 'node:crypto';
import mqtt, { type IClientOptions, MqttClient } from 'mqtt';
import { mqttStream } from './stream.ts';

/** The URLs of a broker field: split on commas, trimmed, empty parts dropped. */
export function parseBrokerUrls(text: string): string[] {
  return text
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
}

export interface BrokerList {
  /** The broker the next connection goes to. */
  readonly current: string;
  readonly size: number;
  /** Moves on to the next broker (round the list) and answers it. */
  next(): string;
}

/** Where station `stationId` starts in a list of `count` brokers: its id's hash, evenly spread. */
export function firstBroker(stationId: string, count: number): number {
  return createHash('sha256').update(stationId).digest().readUInt32BE(0) % count;
}

/** A rotation over `urls` (at least one), starting at index `start`. */
export function brokerList(urls: readonly string[], start = 0): BrokerList {
  if (urls.length === 0) throw new Error('no broker URL');
  let at = ((start % urls.length) + urls.length) % urls.length;
  return {
    get current() {
      return urls[at] as string;
    },
    size: urls.length,
    next() {
      at = (at + 1) % urls.length;
      return urls[at] as string;
    },
  };
}

/** A client whose every (re)connection goes to the list's current broker (ws:// only as the one broker). */
export function connectClient(brokers: BrokerList, options: IClientOptions): MqttClient {
  if (brokers.size === 1) {
    const stream = mqttStream(brokers.current);
    return stream ? new MqttClient(stream, options) : mqtt.connect(brokers.current, options);
  }
  const streams = new Map<string, NonNullable<ReturnType<typeof mqttStream>>>();
  return new MqttClient((c) => {
    const url = brokers.current;
    let stream = streams.get(url);
    if (!stream) {
      stream = mqttStream(url) ?? undefined;
      if (!stream) throw new Error(`${url}: several brokers must be mqtt:// or mqtts:// URLs`);
      streams.set(url, stream);
    }
    return stream(c);
  }, options);
}
