// The agent as a real process, killed on air: SIGKILL mid-entry, an uncaught error, SIGTERM. Real clock, slots a few
// seconds ahead; the simulated relay's journal and the agent's own SQLite outbox show what happened.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { toneClip } from '../../audio/fixtures.ts';
import { startAgentProcess, writeAgentConfig } from '../../support/apps.ts';
import { freePort, type Proc } from '../../support/process.ts';
import { type RelayChange, relayJournal, STATION } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { cacheClip, desired, SECRET, slot } from '../helpers.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const CLIP_MS = 4000;

describe('agent process killed on air', () => {
  let tmp: TempDir;
  let procs: Proc[];
  let dataDir: string;
  let configFile: string;

  /** A data dir holding a desired state with slots at `times` (UTC instants) and its clip already cached. */
  async function seed(times: Date[]): Promise<void> {
    const { ref: clip, bytes } = toneClip(tmp.dir, 'clip-tone', CLIP_MS / 1000);
    const store = openStore(dataDir);
    cacheClip(store, dataDir, clip, bytes);
    const slots = times.map((t, i) =>
      slot(`s${i}`, utcToZoned(t, TZ).time, [clip.id], { startDate: '2000-01-01', endDate: '2099-12-31' }),
    );
    store.applyDesired(desired(1, { slots, clips: [clip] }));
    store.close();
    writeAgentConfig(configFile, {
      stationId: STATION,
      secret: SECRET,
      controllerUrl: `http://127.0.0.1:${await freePort()}`,
      mqttUrl: `mqtt://127.0.0.1:${await freePort()}`, // no broker: the agent runs on its own
      dataDir: './data',
      audio: 'file:./speaker',
      warmUpMs: 500,
      tailMs: 300,
      agentPort: await freePort(),
    });
  }

  const start = (script?: string, env: NodeJS.ProcessEnv = {}) => {
    const p = startAgentProcess(configFile, script, env);
    procs.push(p);
    return p;
  };
  const journal = () => relayJournal(join(dataDir, 'relay.jsonl'));
  /** The agent's outbox, read beside the running process (SQLite WAL allows it). */
  const outbox = (): AsRunRecord[] => {
    const db = new Database(join(dataDir, 'agent.db'), { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare<[], { json: string }>('SELECT json FROM outbox ORDER BY created_at, id')
        .all()
        .map((r) => JSON.parse(r.json) as AsRunRecord);
    } finally {
      db.close();
    }
  };
  /** waitFor, with what the processes printed when it times out. */
  const until = <T>(probe: () => T | null | undefined | false, timeoutMs: number, what: string) =>
    waitFor(probe, timeoutMs, what).catch((err: Error) => {
      throw new Error(`${err.message}\n${procs.map((p) => p.output()).join('\n')}`);
    }) as Promise<T>;
  /** Whether the entry of slot `slotId` is sounding (the player's output file has begun). */
  const sounding = (slotId: string) =>
    existsSync(join(tmp.dir, 'speaker')) &&
    readdirSync(join(tmp.dir, 'speaker')).some((f) => f.startsWith(slotId));
  /** A whole second at least `ms` from now, as slot times are whole seconds. */
  const ahead = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

  beforeEach(() => {
    tmp = tempDir('crash');
    procs = [];
    dataDir = join(tmp.dir, 'data');
    configFile = join(tmp.dir, 'agent.json');
  });
  afterEach(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    tmp.cleanup();
  });

  it('SIGKILL mid-entry: at restart the relay is off first, the entry is interrupted, the next one plays on time', async () => {
    const first = ahead(6000);
    const second = new Date(first.getTime() + 10_000);
    await seed([first, second]);
    const agent = start();
    await until(() => journal().some((c) => c.on), 20_000, 'relay on for the first entry');
    // into the sound: relay on, 500 ms warm-up, then the 4 s clip
    await until(() => sounding('s0'), 10_000, 'the first entry sounding');
    expect(journal().at(-1)?.on).toBe(true);
    agent.child.kill('SIGKILL');
    await agent.exited();
    const killedAt = new Date().toISOString();
    const before = journal().length;
    expect(journal().at(-1)?.on).toBe(true); // nothing could switch it off: the process is gone

    const again = start();
    await until(() => journal().length > before, 10_000, 'the restarted agent to touch the relay');
    const firstChange = journal()[before] as RelayChange;
    expect(firstChange.on).toBe(false);
    expect(firstChange.at >= killedAt).toBe(true);
    expect(again.output().split('\n')[0]).toMatch(/relay: simulated .* off/);

    const interrupted = await until(
      () => outbox().find((r) => r.slotId === 's0'),
      10_000,
      'the interrupted record',
    );
    expect(interrupted).toMatchObject({ outcome: 'interrupted', reason: 'agent-restart' });
    expect(interrupted.recordedAt >= firstChange.at).toBe(true);

    const played = await until(() => outbox().find((r) => r.slotId === 's1'), 25_000, 'the second entry');
    expect(played.outcome).toBe('played');
    const late = Date.parse(played.audioStartAt as string) - second.getTime();
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1000);
    expect(journal().at(-1)?.on).toBe(false);
    expect(outbox().filter((r) => r.slotId === 's0')).toHaveLength(1); // never replayed
  }, 60_000);

  it('an uncaught error switches the relay off and exits non-zero; SIGTERM on air switches off and records', async () => {
    const first = ahead(6000);
    const second = new Date(first.getTime() + 8_000);
    await seed([first, second]);
    const crashing = start('test/edge-agent/cli/fixtures/throwing-agent.ts', {
      THROW_WHEN_RELAY_ON: join(dataDir, 'relay.jsonl'),
    });
    expect(await crashing.exited()).toBe(70);
    expect(journal().map((c) => c.on)).toEqual([false, true, false]);
    expect(crashing.output()).toMatch(
      /uncaught exception: Error: injected by the test[\s\S]*relay off, exiting/,
    );

    const agent = start();
    const onAir = journal().length;
    await until(
      () =>
        journal()
          .slice(onAir)
          .some((c) => c.on),
      20_000,
      'relay on for the second entry',
    );
    await until(() => sounding('s1'), 10_000, 'the second entry sounding');
    agent.child.kill('SIGTERM');
    expect(await agent.exited()).toBe(0);
    expect(journal().at(-1)?.on).toBe(false);
    expect(outbox().map((r) => [r.slotId, r.outcome, r.reason])).toEqual([
      ['s0', 'interrupted', 'agent-restart'],
      ['s1', 'interrupted', 'agent-stopped'],
    ]);
  }, 60_000);
});
