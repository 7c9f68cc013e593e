// Relay lines: the simulated journal, several lines switched as one, and synchronous switch-off.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay, RelayGroup, SimRelay } from '../../../edge-agent/hardware/relay.ts';
import { startAgentProcess, writeAgentConfig } from '../../support/apps.ts';
import { recordingLogger } from '../../support/log.ts';
import { relayJournal, STATION } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';
import { SECRET, testConfig } from '../helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const clock = { now: () => new Date() };

/** A line that records the order of switching, and can be told to fail. */
function line(name: string, order: string[], failOn = false): Relay {
  const sim = new SimRelay(clock, null, name);
  return {
    get on() {
      return sim.on;
    },
    simulated: true,
    lines: () => sim.lines(),
    set: async (on) => {
      order.push(`${name}:${on ? 'on' : 'off'}`);
      if (on && failOn) throw new Error(`${name} stuck`);
      await sim.set(on);
    },
    offSync: () => sim.offSync(),
    close: () => sim.close(),
  };
}

describe('relays', () => {
  it('journals every change of every simulated line with its time and name', async () => {
    const config = testConfig(tmp.dir, {
      relays: [
        { name: 'cho', pin: 17 },
        { name: 'truong', pin: 27 },
      ],
    });
    const relay = createRelay(config, clock, recordingLogger());
    await relay.set(true);
    expect(relay.lines()).toEqual([
      { name: 'cho', on: true },
      { name: 'truong', on: true },
    ]);
    relay.offSync();
    expect(relay.on).toBe(false);
    const journal = relayJournal(join(tmp.dir, 'relay.jsonl'));
    expect(journal.map((j) => `${j.relay}:${j.on}`)).toEqual([
      'cho:false',
      'truong:false',
      'cho:true',
      'truong:true',
      'cho:false',
      'truong:false',
    ]);
    expect(journal.every((j) => !Number.isNaN(Date.parse(j.at)))).toBe(true);
  });

  it('switches a group on in order and off in reverse; a line that fails to switch on takes all off', async () => {
    const order: string[] = [];
    const group = new RelayGroup([line('a', order), line('b', order)]);
    await group.set(true);
    await group.set(false);
    expect(order).toEqual(['a:on', 'b:on', 'b:off', 'a:off']);

    const failing = new RelayGroup([line('a', order), line('b', order, true), line('c', order)]);
    await expect(failing.set(true)).rejects.toThrow('b stuck');
    expect(failing.on).toBe(false);
    expect(failing.lines().map((l) => l.on)).toEqual([false, false, false]);
  });
});

describe('relay-off (systemd ExecStopPost)', () => {
  it('drives every configured relay OFF and exits 0; a bad config exits non-zero', async () => {
    const dir = join(tmp.dir, 'stop-post');
    const config = writeAgentConfig(join(tmp.dir, 'stop-post.json'), {
      stationId: STATION,
      secret: SECRET,
      controllerUrl: 'http://127.0.0.1:9',
      mqttUrl: 'mqtt://127.0.0.1:9',
      dataDir: dir,
      relays: [
        { name: 'cho', pin: 17 },
        { name: 'truong', pin: 27 },
      ],
    });
    const run = async (file: string) => {
      const p = startAgentProcess(file, 'edge-agent/cli/relay-off.ts');
      return { code: await p.exited(), output: p.output() };
    };
    expect((await run(config)).code).toBe(0);
    expect(relayJournal(join(dir, 'relay.jsonl')).map((c) => `${c.relay}:${c.on}`)).toEqual([
      'cho:false',
      'truong:false',
    ]);
    writeFileSync(config, '{}');
    const bad = await run(config);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/relay-off: invalid agent config/);
  }, 30_000);
});
