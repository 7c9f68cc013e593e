// The agent's own SNTP query against a fake server on loopback, and the clock trust asking it when the time
// daemon tells no offset.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createClockTrust } from '../../../edge-agent/hardware/clock-trust.ts';
import { readNtpTimestamp, sntpOffset, writeNtpTimestamp } from '../../../edge-agent/hardware/ntp.ts';
import { recordingLogger } from '../../support/log.ts';
import { waitFor } from '../../support/wait.ts';

/** A server whose clock is `aheadMs` ahead of this machine's, answering after `delayMs`; `stratum` 0 refuses. */
async function fakeServer(aheadMs: number, o: { delayMs?: number; stratum?: number } = {}) {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (m, from) => {
    const t1 = Date.now() + aheadMs;
    const answer = Buffer.alloc(48);
    answer[0] = 0x24; // version 4, mode 4 (server)
    answer[1] = o.stratum ?? 2;
    m.copy(answer, 24, 40, 48); // originate = the client's transmit time
    writeNtpTimestamp(answer, 32, t1);
    setTimeout(() => {
      writeNtpTimestamp(answer, 40, Date.now() + aheadMs);
      socket.send(answer, from.port, from.address);
    }, o.delayMs ?? 0);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { port: socket.address().port, close: () => socket.close() };
}

describe('sntpOffset', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it('measures this clock against the server: 120 ms slow reads -120 ms, whatever the server takes to answer', async () => {
    const s = await fakeServer(120, { delayMs: 30 });
    servers.push(s);
    const r = await sntpOffset('127.0.0.1', { port: s.port });
    // the server's 30 ms hold is not in the round trip, and the error is bounded by half of it (a loaded
    // machine lengthens the round trip, never the bound)
    expect(r.rttMs).toBeGreaterThanOrEqual(0);
    expect(Math.abs(r.offsetMs + 120)).toBeLessThanOrEqual(r.rttMs / 2 + 1);
  });

  it('refuses a kiss-o-death and gives up on silence', async () => {
    const s = await fakeServer(0, { stratum: 0 });
    servers.push(s);
    await expect(sntpOffset('127.0.0.1', { port: s.port })).rejects.toThrow(/refused/);
    await expect(sntpOffset('127.0.0.1', { port: 9, timeoutMs: 200 })).rejects.toThrow();
  });

  it('reads and writes NTP timestamps to the sub-millisecond', () => {
    const b = Buffer.alloc(48);
    writeNtpTimestamp(b, 40, 1_767_225_600_123.5);
    expect(readNtpTimestamp(b, 40)).toBeCloseTo(1_767_225_600_123.5, 2);
  });

  it('is what the clock trust reports when chrony and timesyncd tell no offset', async () => {
    const s = await fakeServer(-80);
    servers.push(s);
    const log = recordingLogger();
    const trust = createClockTrust({
      mode: 'always',
      clock: { now: () => new Date() },
      log,
      probe: async () => ({ synchronized: null, offsetMs: null, source: 'no systemd' }),
      ntp: async () => (await sntpOffset('127.0.0.1', { port: s.port })).offsetMs,
    });
    await trust.start();
    await waitFor(() => trust.offsetMs !== null, 2000, 'the offset');
    // within half the round trip, which a loaded machine stretches to tens of ms even on loopback
    expect(Math.abs((trust.offsetMs as number) - 80)).toBeLessThan(40);
    expect(trust.offsetSource).toBe('ntp');
    trust.stop();
  });
});
