// Memory exhaustion before login: CONNECT headers declaring 256 MB, then zeros, against the controller
// process; its memory must come back, and it must keep serving the API and stations meanwhile.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { ADMIN_PASSWORD } from '../support/controller.ts';
import { tryConnect } from '../support/mqtt.ts';
import { remainingLength } from '../support/mqtt-wire.ts';
import { freePort, type Proc, startProcess, waitFor } from '../support/process.ts';

const ATTACKERS = 20;
/** The largest length MQTT can declare (4 varint bytes): 256 MB less one byte. */
const DECLARED = 268_435_455;
/** Each attacker stops after this much or this long: enough to show buffering without exhausting the test host. */
const MAX_BYTES_EACH = 8 * 1024 * 1024;
const MAX_MS_EACH = 3000;

const dir = mkdtempSync(path.join(tmpdir(), 'loa-mqtt-mem-'));
let proc: Proc | null = null;
afterAll(async () => {
  await proc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Resident memory of a process, in bytes. */
function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}
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
    const [port, mqttPort] = [await freePort(), await freePort()];
    const p = startProcess('controller/main.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'data'),
      ADMIN_PASSWORD,
    });
    proc = p;
    onTestFailed(() => console.error(p.output().slice(-6000)));
    const api = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${api}/healthz`)).ok, 30_000, 'controller health');
    const json = async (url: string, init: RequestInit) => {
      const res = await fetch(`${api}${url}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...init.headers },
      });
      return (await res.json()) as Record<string, string>;
    };
    const { token } = await json('/api/auth/token', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { secret } = await json('/api/stations', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ id: 'st-m', name: 'M', district: 'd', ward: 'w' }),
    });
    const url = `mqtt://127.0.0.1:${mqttPort}`;
    const station = () => tryConnect(url, { clientId: 'station-st-m', username: 'st-m', password: secret });
    expect(await station()).toBe('accepted');

    const pid = p.child.pid as number;
    const before = rss(pid);
    const attacks = Promise.all(Array.from({ length: ATTACKERS }, () => attack(mqttPort)));
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
