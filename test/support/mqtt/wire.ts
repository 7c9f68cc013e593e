// MQTT at the byte level for hostile tests: packets built by hand (well-formed or not) and raw TCP probes.
import { connect } from 'node:net';

/** MQTT's remaining-length varint: 7 bits a byte, high bit set while more follow. */
export function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const str = (s: string | Uint8Array) => {
  const b = Buffer.from(s);
  return Buffer.concat([u16(b.length), b]);
};

export interface RawConnect {
  clientId: string;
  username?: string;
  password?: string | Uint8Array;
  keepalive?: number;
  /** 4 is MQTT 3.1.1, 3 is 3.1 (`MQIsdp`); anything else is sent as given. */
  protocolLevel?: number;
  clean?: boolean;
}

/** A CONNECT packet, with no will. */
export function encodeConnect(c: RawConnect): Buffer {
  const level = c.protocolLevel ?? 4;
  let flags = (c.clean ?? true) ? 0x02 : 0;
  if (c.username !== undefined) flags |= 0x80;
  if (c.password !== undefined) flags |= 0x40;
  const body = Buffer.concat([
    str(level === 3 ? 'MQIsdp' : 'MQTT'),
    Buffer.from([level & 0xff, flags]),
    u16(c.keepalive ?? 60),
    str(c.clientId),
    ...(c.username !== undefined ? [str(c.username)] : []),
    ...(c.password !== undefined ? [str(c.password)] : []),
  ]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

export interface ProbeResult {
  /** The broker closed the connection, after `ms`; false if it was still open at the end. */
  closed: boolean;
  ms: number;
  /** CONNACK return code, if one came (0 is accepted). */
  connack: number | null;
}

export interface ProbeOptions {
  /** Gives up (and closes) after this long. */
  deadlineMs: number;
  /** Sent once a CONNACK accepted the login; without it, the probe ends there. */
  afterLogin?: Buffer[];
  /** Zeros sent after the last chunks while the connection stays open. */
  streamZeros?: number;
}

/**
 * Opens a TCP connection, writes `chunks`, and watches: answers when the broker closes it, when a CONNACK
 * accepts the login (unless `afterLogin` follows), or at the deadline.
 */
export function probe(port: number, chunks: Buffer[], opts: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const start = Date.now();
    const s = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let connack: number | null = null;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      s.destroy();
      resolve({ closed, ms: Date.now() - start, connack });
    };
    const deadline = setTimeout(() => finish(false), opts.deadlineMs);
    const send = (bytes: Buffer[]) => {
      for (const c of bytes) s.write(c);
      let left = opts.streamZeros ?? 0;
      const zeros = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (left > 0 && !s.destroyed) {
          left -= zeros.length;
          if (!s.write(zeros)) return void s.once('drain', pump);
        }
      };
      pump();
    };
    s.on('error', () => {});
    s.on('data', (d: Buffer) => {
      if (connack !== null) return;
      received = Buffer.concat([received, d]);
      if (received.length < 4 || received[0] !== 0x20) return;
      connack = received[3] as number;
      if (connack !== 0) return;
      if (opts.afterLogin) send(opts.afterLogin);
      else finish(false);
    });
    s.once('close', () => finish(true));
    s.once('connect', () => {
      if (!opts.afterLogin) return send(chunks);
      for (const c of chunks) s.write(c);
    });
  });
}
