// The embedded broker's wire guard: connection limits per address at TCP accept, and MQTT framing checked
// on the raw stream before aedes buffers a byte of a packet it would have to hold whole.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import { createRequestLimiter } from '../../common/rate-limit.ts';

export interface WireLimits {
  /** Largest remaining length of the first packet, which must be CONNECT. */
  maxConnectBytes: number;
  /** Largest remaining length of any later packet. */
  maxPacketBytes: number;
}

export interface WireGuardOptions extends WireLimits {
  /** A connection that has not logged in by then is closed (TLS handshake and CONNECT included). */
  connectTimeoutMs: number;
  /** Connections from one address that have not logged in yet, at most. */
  maxPendingPerAddress: number;
  /** Connection attempts per address: a burst, then this many a second. */
  connectBurst: number;
  connectsPerSec: number;
}

/**
 * Connection attempts per address by default: a burst of 300, then 30 a second. A province's stations
 * reach the controller over 3G/4G, where carrier-grade NAT puts many subscribers behind one public address;
 * after a controller restart every station reconnects within the agents' first backoff (up to 5 s), so an
 * address shared by up to about 1,000 stations is back within the 30 s a storm may take (300 at once, then
 * 30 a second). A connection refused here is retried with the agent's backoff, not lost.
 */
export const CONNECT_LIMITS = { burst: 300, perSec: 30 } as const;

/** A CONNECT of a station or the controller is well under 1 KB; 8 KB leaves room and bounds what a stranger sends. */
export const MAX_CONNECT_BYTES = 8 * 1024;

const CONNECT_HEADER = 0x10;

/**
 * Follows MQTT framing across chunks with a few counters, never the bytes: answers why the stream must be
 * closed, or null. aedes' parser holds a packet until all of its declared length has arrived, so a
 * declared length is refused here, before any of it is buffered.
 */
export function createFrameInspector(limits: WireLimits): (chunk: Buffer) => string | null {
  let packets = 0;
  let phase: 'header' | 'length' | 'body' = 'header';
  let length = 0;
  let lengthBytes = 0;
  let left = 0;
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (phase === 'body') {
        const take = Math.min(left, chunk.length - i);
        left -= take;
        i += take;
        if (left === 0) phase = 'header';
        continue;
      }
      const byte = chunk[i++] as number;
      if (phase === 'header') {
        if (packets === 0 && byte !== CONNECT_HEADER)
          return `first packet is not CONNECT (header 0x${byte.toString(16).padStart(2, '0')})`;
        // 0 is reserved and 15 (AUTH) is MQTT 5 only; aedes speaks 3.1 and 3.1.1.
        if (byte >> 4 === 0 || byte >> 4 === 15) return `reserved packet type ${byte >> 4}`;
        phase = 'length';
        length = 0;
        lengthBytes = 0;
        continue;
      }
      length += (byte & 0x7f) * 128 ** lengthBytes;
      lengthBytes++;
      if (byte & 0x80) {
        if (lengthBytes === 4) return 'malformed remaining length (more than 4 bytes)';
        continue;
      }
      const [what, limit] =
        packets === 0 ? ['CONNECT', limits.maxConnectBytes] : ['packet', limits.maxPacketBytes];
      if (length > limit) return `${what} declares ${length} bytes; limit ${limit}`;
      packets++;
      left = length;
      phase = left > 0 ? 'body' : 'header';
    }
    return null;
  };
}

/**
 * The connection as aedes sees it: bytes reach aedes only once the inspector has passed them; writes,
 * flow control, end and destruction go straight through to the socket.
 */
class GuardedConn extends Duplex {
  readonly remoteAddress: string | undefined;
  #admitted = false;

  constructor(
    private readonly socket: Duplex,
    address: string,
    pass: (chunk: Buffer) => boolean,
    private readonly onAdmit: () => void,
  ) {
    super();
    this.remoteAddress = address;
    socket.on('data', (chunk: Buffer) => {
      if (pass(chunk) && !this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (e) => this.destroy(e));
    socket.on('close', () => this.destroy());
  }

  admit(): void {
    if (this.#admitted) return;
    this.#admitted = true;
    this.onAdmit();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.socket.write(chunk)) done();
    else this.socket.once('drain', () => done());
  }

  override _final(done: (e?: Error | null) => void): void {
    this.socket.end(() => done());
  }

  override _destroy(e: Error | null, done: (e?: Error | null) => void): void {
    this.socket.destroy();
    done(e);
  }
}

export interface WireGuard {
  /** Takes an accepted TCP socket: closes it at once, or hands `handle` a guarded stream (TLS inside if given). */
  accept(socket: Socket, handle: (conn: Duplex) => void, tls?: SecureContext): void;
  /** The connection has logged in: no longer pending, no longer timed. */
  admitted(conn: unknown): void;
  /** Closes every connection not logged in yet (aedes closes only the clients it has registered). */
  close(): void;
}

export function createWireGuard(opts: WireGuardOptions, deps: { clock: Clock; log: Logger }): WireGuard {
  const { log } = deps;
  // A reconnect loop or a scan from one address is throttled; stations behind one NAT address share it.
  const attempts = createRequestLimiter(deps.clock, opts.connectsPerSec, opts.connectBurst);
  const pending = new Map<string, number>();
  const unsettled = new Set<Duplex>();
  return {
    accept(socket, handle, tls) {
      const address = socket.remoteAddress ?? 'unknown';
      socket.on('error', () => {}); // a reset before the stream is wired must not crash the process
      const refuse = (why: string, conn?: Duplex) => {
        log.warn(`mqtt: ${why}; closed connection from ${address}`);
        conn?.destroy();
        socket.destroy();
      };
      if (!attempts.take(address)) return refuse('too many connection attempts');
      const waiting = pending.get(address) ?? 0;
      if (waiting >= opts.maxPendingPerAddress) return refuse(`${waiting} connections not logged in yet`);
      pending.set(address, waiting + 1);

      const stream = tls ? new TLSSocket(socket, { isServer: true, secureContext: tls }) : socket;
      const inspect = createFrameInspector(opts);
      const conn: GuardedConn = new GuardedConn(
        stream,
        address,
        (chunk) => {
          const why = inspect(chunk);
          if (why) refuse(why, conn);
          return why === null;
        },
        () => settle(),
      );
      const timer = setTimeout(
        () => refuse(`no login within ${opts.connectTimeoutMs} ms`, conn),
        opts.connectTimeoutMs,
      );
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsettled.delete(conn);
        const n = (pending.get(address) ?? 1) - 1;
        if (n > 0) pending.set(address, n);
        else pending.delete(address);
      };
      socket.once('close', settle);
      conn.once('close', settle);
      unsettled.add(conn);
      handle(conn);
    },
    admitted(conn) {
      if (conn instanceof GuardedConn) conn.admit();
    },
    close() {
      for (const conn of unsettled) conn.destroy();
    },
  };
}
