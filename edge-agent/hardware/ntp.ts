// The agent's own SNTP query (RFC 4330), for how far the system clock is from true time where neither chrony
// nor systemd-timesyncd reports it. One request, one answer; the offset by the usual four timestamps.
import { createSocket } from 'node:dgram';

/** Seconds between the NTP era (1900) and the Unix epoch (1970). */
const NTP_EPOCH_S = 2_208_988_800;

const readTimestamp = (b: Buffer, at: number) =>
  (b.readUInt32BE(at) - NTP_EPOCH_S) * 1000 + (b.readUInt32BE(at + 4) / 2 ** 32) * 1000;

function writeTimestamp(b: Buffer, at: number, ms: number): void {
  const s = Math.floor(ms / 1000);
  b.writeUInt32BE(s + NTP_EPOCH_S, at);
  b.writeUInt32BE(Math.floor(((ms - s * 1000) / 1000) * 2 ** 32), at + 4);
}

export interface SntpOptions {
  port?: number;
  timeoutMs?: number;
  /** The system clock (ms); tests pass a fake one. */
  now?: () => number;
}

/**
 * Asks `server` once; resolves with the system clock minus the server's (ms, positive: this clock is fast), half
 * the round trip being its uncertainty. Rejects on a timeout, a malformed answer or a kiss-o'-death.
 */
export function sntpOffset(
  server: string,
  o: SntpOptions = {},
): Promise<{ offsetMs: number; rttMs: number }> {
  const now = o.now ?? (() => Date.now());
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const done = (err: Error | null, v?: { offsetMs: number; rttMs: number }) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(v as { offsetMs: number; rttMs: number });
    };
    const timer = setTimeout(() => done(new Error(`ntp ${server}: no answer`)), o.timeoutMs ?? 3000);
    const request = Buffer.alloc(48);
    request[0] = 0x23; // LI 0, version 4, mode 3 (client)
    let t0 = 0;
    socket.on('error', (err) => done(err));
    socket.on('message', (m) => {
      const t3 = now();
      const mode = (m[0] ?? 0) & 0x7;
      const stratum = m[1] ?? 0;
      if (m.length < 48 || mode !== 4) return done(new Error(`ntp ${server}: not a server answer`));
      if (stratum === 0 || stratum > 15)
        return done(new Error(`ntp ${server}: refused (stratum ${stratum})`));
      const t1 = readTimestamp(m, 32);
      const t2 = readTimestamp(m, 40);
      // the server's offset from us is ((t1 - t0) + (t2 - t3)) / 2; ours from the server is its opposite
      done(null, { offsetMs: -(t1 - t0 + (t2 - t3)) / 2, rttMs: t3 - t0 - (t2 - t1) });
    });
    t0 = now();
    writeTimestamp(request, 40, t0);
    socket.send(request, o.port ?? 123, server, (err) => err && done(err));
  });
}

export { readTimestamp as readNtpTimestamp, writeTimestamp as writeNtpTimestamp };
