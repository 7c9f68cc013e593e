// The controller's link straight into the embedded broker of its own process: no MQTT client, no TCP, no
// PUBACKs between the two. The controller and the broker share one thread; over a socket every message
// from a station was parsed, acknowledged and re-encoded twice in it, and every acknowledgement and
// desired state once more on the way out.
import type { Aedes, AedesPublishPacket } from 'aedes';
import type { LinkTransport } from './link.ts';

export function embeddedTransport(broker: Aedes): LinkTransport {
  let up = false;
  let deliver: ((packet: AedesPublishPacket, done: () => void) => void) | null = null;
  let filters: readonly string[] = [];
  return {
    name: 'the embedded broker in this process',
    publish: (topic, payload, retain, done) =>
      broker.publish(
        { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false },
        (err?: Error | null) => done?.(err ?? undefined),
      ),
    get connected() {
      return up && !broker.closed;
    },
    start: (f, on) => {
      filters = f;
      deliver = (packet, done) => {
        // a direct subscription sees live messages only: none is a replayed retained copy
        on.message(packet.topic, packet.payload as Buffer, false);
        // Released on a fresh stack: mqemitter drains its queue by recursion when every listener of a
        // message answers at once, which overflowed the stack with thousands of messages queued.
        queueMicrotask(done);
      };
      const d = deliver;
      let left = filters.length;
      for (const filter of filters)
        broker.subscribe(filter, d, () => {
          if (--left > 0) return;
          up = true;
          on.up();
        });
    },
    end: async () => {
      up = false;
      const d = deliver;
      if (!d || broker.closed) return;
      await Promise.all(
        filters.map(
          (filter) => new Promise<void>((resolve) => broker.unsubscribe(filter, d, () => resolve())),
        ),
      );
    },
  };
}
