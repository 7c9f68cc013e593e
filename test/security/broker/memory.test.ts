// Memory exhaustion before login: CONNECT headers declaring 256 MB, then zeros, against the controller
// process; its memory must come back, and it must keep serving the API and stations meanwhile.
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { startControllerProcess } from '../../support/apps.ts';
import { stationLogin, tryConnect } from '../../support/mqtt/clients.ts';
import { remainingLength } from '../../support/mqtt/wire.ts';
import { type Proc, rssOf } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../../support/wait.ts';

const ATTACKERS = 20;
/** The largest length MQTT can declare (4 varint bytes): 256 MB less one byte. */
const DECLARED = 268_435_455;
/** Each attacker stops after this much or this long: enough to show buffering without exhausting the test host. */
const MAX_BYTES_EACH = 8 * 1024 * 1024;
const MAX_MS_EACH = 3000;

const tmp = tempDir('mqtt-mem');
const { dir } = tmp;
let proc: Proc | null = null;
afterAll(async () => {
  await proc?.stop();
  tmp.cleanup();
});

const rss = rssOf;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Sends a CONNECT header declaring DECLARED bytes, then zeros until closed or a limit; answers bytes sent. */
function attack(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s: Socket = connect(port, '127.0.0.1');
    const zeros = Buffer.alloc(64 * 1024);
    let sent = 0;
    const end = Date.now() + MAX_MS_EACH;
    const pump = () => {
      while (!s.destroyed && sent < MAX_BYTES_EACH && Date.now() < end) {
        sent += zeros.length;
        if (!s.write(zeros)) return void s.once('drain', pump);
      }
      s.destroy();
    };
    s.once('connect', () => {
      s.write(Buffer.concat([Buffer.from([0x10]), remainingLength(DECLARED)]));
      pump();
    });
    s.on('error', () => {});
    s.once('close', () => resolve(sent));
  });
}

describe('memory before login', () => {
  it('20 half-open CONNECTs declaring 256 MB leave the controller within 20 MB of where it was', async () => {
    const ctl = await startControllerProcess({ dataDir: path.join(dir, 'data') });
    const p = ctl.proc;
    proc = p;
    onTestFailed(() => console.error(p.output().slice(-6000)));
    const { api } = ctl;
    const { secret } = (
      await ctl.call('POST', '/api/stations', { id: 'st-m', name: 'M', district: 'd', ward: 'w' })
    ).body;
    const url = ctl.mqttUrl as string;
    const station = () => tryConnect(url, stationLogin('st-m', secret));
    expect(await station()).toBe('accepted');

    const pid = p.child.pid as number;
    const before = rss(pid);
    const attacks = Promise.all(Array.from({ length: ATTACKERS }, () => attack(ctl.mqttPort as number)));
    // Meanwhile the API answers and a station logs in.
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect(await station()).toBe('accepted');
    const sent = await attacks;
    const peak = rss(pid);
    // Memory freed is memory the process can give back: wait (bounded) for it to be within 20 MB.
    const after = await waitFor(
      async () => {
        const now = rss(pid);
        return now - before <= 20 * 1024 * 1024 && now;
      },
      15_000,
      'the controller to give back the memory',
      PROCESS_POLL_MS,
    ).catch(() => rss(pid));
    console.log(
      `mqtt memory: ${ATTACKERS} attackers sent ${mb(sent.reduce((a, b) => a + b, 0))} ` +
        `(at most ${mb(Math.max(...sent))} each); controller RSS before ${mb(before)}, ` +
        `right after ${mb(peak)}, settled ${mb(after)}`,
    );
    expect(after - before).toBeLessThanOrEqual(20 * 1024 * 1024);
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect(await station()).toBe('accepted');
    expect(p.child.exitCode).toBeNull();
  }, 60_000);
});
