// The station's clip cache over days: prefetch in order of need, a disk budget that evicts only clips no
// entry needs (least recently played first), and a slot whose clip is corrupt or gone fails without sound.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ClipCache, createClipCache } from '../../../edge-agent/clips/cache.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import type { ClipRef } from '../../../schedules/model.ts';
import { recordingLogger } from '../../support/log.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { desired, SECRET, slot, startClipServer } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const KB20 = 20_000;
const bodies = new Map(
  ['cu-a', 'cu-b', 'hom-nay', 'tuan-sau'].map((id) => [`clip-${id}`, clipBytes(id, KB20)]),
);
const ref = (id: string): ClipRef => clipRef(`clip-${id}`, bodies.get(`clip-${id}`) as Buffer);

describe('clip cache budget and prefetch', () => {
  let tmp: TempDir;
  let store: AgentStore;
  let server: Awaited<ReturnType<typeof startClipServer>>;
  const log = recordingLogger();

  beforeEach(async () => {
    tmp = tempDir();
    store = openStore(tmp.dir);
    server = await startClipServer(bodies);
    log.lines.length = 0;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await server.close();
    store.close();
    tmp.cleanup();
  });

  const cache = (budgetBytes: number, now = new Date('2025-03-03T06:00:00+07:00')) =>
    createClipCache({
      dataDir: tmp.dir,
      controllerUrl: server.url,
      secret: SECRET,
      store,
      log,
      clock: { now: () => now },
      retry: { attempts: 2, baseMs: 5, maxMs: 10 },
      budgetBytes,
    });

  /** Two clips from an earlier campaign, played last in January and February. */
  async function oldClips(c: ClipCache) {
    await c.ensure(ref('cu-a'));
    await c.ensure(ref('cu-b'));
    store.touchClip('clip-cu-a', '2025-01-10T00:00:00.000Z');
    store.touchClip('clip-cu-b', '2025-02-10T00:00:00.000Z');
    server.hits.length = 0;
  }

  // Monday 3 March: one slot today, one starting next week, listed the other way round.
  const homNay = slot('hom-nay', '17:00', ['clip-hom-nay'], { startDate: '2025-03-01' });
  const state = desired(1, {
    slots: [
      slot('tuan-sau', '07:00', ['clip-tuan-sau'], { startDate: '2025-03-10' }),
      homNay,
      slot('het-han', '07:00', ['clip-cu-a'], { startDate: '2025-01-01', endDate: '2025-02-28' }),
    ],
    clips: [ref('tuan-sau'), ref('hom-nay')],
  });
  const cached = () => readdirSync(join(tmp.dir, 'clips')).sort();
  const file = (id: string) => `${ref(id).sha256}.opus`;

  it('fetches every needed clip, the soonest first, and evicts the least recently played unneeded one', async () => {
    const c = cache(65_000);
    await oldClips(c);
    expect(await c.prefetch(state)).toEqual({ cached: 2, failed: 0 });
    expect(server.hits).toEqual(['clip-hom-nay', 'clip-tuan-sau']);
    // 80 kB over a 65 kB budget: January's clip goes, February's still fits
    expect(cached()).toEqual([file('cu-b'), file('hom-nay'), file('tuan-sau')].sort());
    expect(store.getClip('clip-cu-a')).toBeNull();
    expect(store.getClip('clip-cu-b')).not.toBeNull();
    expect(log.lines.join('\n')).toMatch(/evicted [0-9a-f]{64}\.opus .*last used 2025-01-10/);
  });

  it('never evicts a clip an entry needs, even over budget, and says so', async () => {
    const c = cache(10_000);
    await oldClips(c);
    await c.prefetch(state);
    expect(cached()).toEqual([file('hom-nay'), file('tuan-sau')].sort());
    expect(log.lines.join('\n')).toMatch(/over its 0\.0 MB budget: every clip left is needed/);
    // no longer needed: the clip played most recently outlives the one fetched before it
    store.touchClip('clip-hom-nay', '2025-03-03T00:00:00.000Z');
    await cache(25_000).prefetch(desired(2, { slots: [], clips: [] }));
    expect(cached()).toEqual([file('hom-nay')]);
  });

  it('drops a stale partial download of a clip no longer needed first', async () => {
    const c = cache(30_000);
    writeFileSync(join(tmp.dir, 'clips', `${ref('cu-a').sha256}.part`), Buffer.alloc(15_000));
    await c.prefetch(desired(1, { slots: [homNay], clips: [ref('hom-nay')] }));
    expect(cached()).toEqual([file('hom-nay')]);
  });
});

describe('a clip missing or corrupt at its slot time', () => {
  // time stands still for file I/O (verifying reads the file) but moves for the schedule: the test fakes it
  const rig = useRunnerRig(new Date('2025-03-03T16:58:00+07:00'), { timers: null });
  let server: Awaited<ReturnType<typeof startClipServer>>;
  beforeEach(async () => {
    server = await startClipServer(bodies);
  });
  afterEach(() => server.close());

  it.each([
    ['corrupt', (path: string) => writeFileSync(path, Buffer.alloc(KB20, 1))],
    ['gone', (path: string) => rmSync(path)],
  ])('%s: a failed as-run record with the reason, and the amplifier never switched on', async (_, damage) => {
    const clips = createClipCache({
      dataDir: rig.dir,
      controllerUrl: server.url,
      secret: SECRET,
      store: rig.store,
      log: rig.log,
    });
    damage(await clips.ensure(ref('hom-nay')));

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2025-03-03T16:58:00+07:00'));
    rig.store.applyDesired(
      desired(1, { slots: [slot('hom-nay', '17:00', ['clip-hom-nay'])], clips: [ref('hom-nay')] }),
    );
    const { records, relay, player } = rig;
    const runner = rig.runner({ clips, monotonic: () => Date.now() });
    runner.start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    await vi.waitFor(() => expect(records).toHaveLength(1));
    await runner.stop();
    expect(records[0]).toMatchObject({
      entryId: 'hom-nay@2025-03-03',
      outcome: 'failed',
      reason: 'clip-missing',
      detail: expect.stringContaining('clip-hom-nay'),
      relayOnAt: null,
    });
    expect(relay.changes.filter((c) => c.on)).toEqual([]);
    expect(player.calls).toEqual([]);
    expect(rig.store.getClip('clip-hom-nay')).toBeNull();
  });
});
