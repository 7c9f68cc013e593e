// Each override made on the station's page changes what plays, checked through the file audio output, the
// relay journal and the as-run outbox; each ends on time, survives an agent restart and reaches the
// controller (retained report on the broker).
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { OverrideReport } from '../../../schedules/overrides.ts';
import { topics } from '../../../schedules/protocol.ts';
import { durationMs, toneClip } from '../../audio/fixtures.ts';
import { STATION } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, slot } from '../helpers.ts';
import { advanceTo, playEntry, recordOf, signIn, useLocalStation, vn, wavPeak } from './station.ts';

const DAY = '2025-03-03';
const at = (time: string) => vn(DAY, time);
const id = (slotId: string) => `${slotId}@${DAY}`;
const fixtures = tempDir('fixtures');
const tone = toneClip(fixtures.dir, 'clip-tone', 3);
// four entries, five minutes apart, each 3 s of tone
const state = desired(1, {
  slots: [
    slot('a', '07:00', [tone.ref.id]),
    slot('b', '07:05', [tone.ref.id]),
    slot('c', '07:10', [tone.ref.id]),
    slot('d', '07:15', [tone.ref.id]),
  ],
  clips: [tone.ref],
});
const TIMES: Record<string, string> = { a: '07:00:00', b: '07:05:00', c: '07:10:00', d: '07:15:00' };

describe('overrides from the local page', () => {
  const local = useLocalStation({
    startAt: at('06:50:00'),
    clips: [tone],
    desired: state,
    watch: [topics.overrides(STATION)],
    staff: 'Chị Lan',
  });
  afterAll(() => fixtures.cleanup());
  const reports = () => local.world.controller.received<OverrideReport>(topics.overrides(STATION));

  /** Runs the day through the given slots in order: fake time to each, then real time for ffmpeg to play. */
  async function runThrough(...slots: string[]) {
    for (const s of slots) await playEntry(local.st, id(s), at(TIMES[s] as string));
  }

  const create = async (body: Record<string, unknown>) => {
    const r = await local.staff.call('POST', '/api/overrides', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; kind: string; startsAt: string; endsAt: string };
  };
  const inForce = async (overrideId: string) =>
    (await local.staff.call('GET', '/api/overrides')).body.find((o: { id: string }) => o.id === overrideId)
      ?.active;
  const reported = (overrideId: string) =>
    waitFor(
      () => reports().findLast((r) => r.overrides.some((o) => o.id === overrideId)),
      5000,
      `override ${overrideId} reported`,
    ) as Promise<OverrideReport>;

  it('stop: the relay goes off within a second, the entry is interrupted by local-stop', async () => {
    await advanceTo(at('06:59:58'));
    await advanceTo(at('07:00:00.100'));
    const wav = await waitFor(() => local.st.relay.on && local.st.wav(id('a')), 5000, 'entry a on air');
    await new Promise((r) => setTimeout(r, 1000)); // a second of sound (ffmpeg plays in real time)
    const page = await fetch(`${local.st.base}/`, { headers: { cookie: local.staff.cookie } }).then((r) =>
      r.text(),
    );
    expect(page).toContain(`data-id="${id('a')}"`);

    const before = Date.now();
    const stop = await local.staff.call('POST', '/api/stop', { reason: 'Có tang trong khu phố' });
    expect(stop.status, JSON.stringify(stop.body)).toBe(201);
    expect(stop.body).toMatchObject({ kind: 'stop', entryId: id('a'), createdBy: 'Chị Lan' });
    await waitFor(() => !local.st.relay.on, 1000, 'relay off');
    const off = local.st.journal().findLast((j) => !j.on);
    expect(Date.parse(off?.at ?? '') - before).toBeLessThan(1000);

    const r = await recordOf(local.st, id('a'));
    expect(r).toMatchObject({ outcome: 'interrupted', reason: 'local-stop' });
    expect(r.detail).toContain('Chị Lan');
    expect(r.detail).toContain('Có tang trong khu phố');
    expect(statSync(wav).size).toBeLessThan(3 * 48_000 * 2); // less than the 3 s of sound

    // it ends when the cut entry would have ended, and the next entry plays
    await advanceTo(at('07:00:10'));
    expect(await inForce(stop.body.id)).toBe(false);
    await runThrough('b');
    expect(local.st.record(id('b'))).toMatchObject({ outcome: 'played' });
    const report = await reported(stop.body.id);
    expect(report.overrides.find((o) => o.id === stop.body.id)).toMatchObject({
      kind: 'stop',
      createdBy: 'Chị Lan',
      reason: 'Có tang trong khu phố',
    });
  });

  it('skip: the next entry does not play, the one after does', async () => {
    const tt = await local.staff.call('GET', '/api/timetable?days=1');
    const next = tt.body.entries.find((e: { status: string }) => e.status === 'scheduled');
    expect(next.id).toBe(id('a'));
    const skip = await create({ kind: 'skip', entryId: next.id, reason: 'Họp tổ dân phố' });
    const after = await local.staff.call('GET', '/api/timetable?days=1');
    expect(after.body.entries[0]).toMatchObject({
      id: id('a'),
      status: 'skipped',
      reason: 'local-skip',
      reasonText: { vi: expect.stringContaining('Bỏ qua'), en: expect.stringContaining('ward staff') },
    });
    await runThrough('a', 'b');
    expect(local.st.record(id('a'))).toMatchObject({
      outcome: 'skipped',
      reason: 'local-skip',
      relayOnAt: null,
    });
    expect(local.st.wav(id('a'))).toBeNull();
    expect(local.st.record(id('b'))).toMatchObject({ outcome: 'played' });
    expect(durationMs(local.st.wav(id('b')) as string)).toBeGreaterThan(2900);
    expect(await inForce(skip.id)).toBe(false);
    await reported(skip.id);
  });

  it('pause until a time: nothing plays until then, and entries after it play', async () => {
    const pause = await create({ kind: 'pause', endsAt: `${DAY}T07:07`, reason: 'Kiểm tra âm ly' });
    expect(pause.endsAt).toBe(at('07:07:00').toISOString());
    await runThrough('a', 'b');
    for (const s of ['a', 'b']) {
      expect(local.st.record(id(s))).toMatchObject({ outcome: 'skipped', reason: 'local-pause' });
      expect(local.st.wav(id(s))).toBeNull();
    }
    expect(local.st.journal().filter((j) => j.on)).toEqual([]);
    await advanceTo(at('07:07:00.500'));
    expect(await inForce(pause.id)).toBe(false);
    await runThrough('c');
    expect(local.st.record(id('c'))).toMatchObject({ outcome: 'played' });
  });

  it('local quiet window: entries inside it are skipped, those outside play', async () => {
    const quiet = await create({
      kind: 'quiet',
      startsAt: `${DAY}T07:04`,
      endsAt: `${DAY}T07:12`,
      reason: 'Thi học kỳ tại trường',
    });
    expect(await inForce(quiet.id)).toBe(true); // not started yet, but not ended: shown as in force
    await runThrough('a', 'b', 'c', 'd');
    expect(local.st.record(id('a'))).toMatchObject({ outcome: 'played' });
    expect(local.st.record(id('b'))).toMatchObject({ outcome: 'skipped', reason: 'local-quiet' });
    expect(local.st.record(id('c'))).toMatchObject({ outcome: 'skipped', reason: 'local-quiet' });
    expect(local.st.record(id('d'))).toMatchObject({ outcome: 'played' });
    expect(await inForce(quiet.id)).toBe(false);
  });

  it('volume: the file output is quieter while it lasts, and back to normal after', async () => {
    const vol = await create({ kind: 'volume', volume: 0.5, endsAt: `${DAY}T07:07`, reason: 'Có người ốm' });
    expect(vol).toMatchObject({ kind: 'volume', volume: 0.5 });
    await runThrough('a', 'b', 'c');
    const peaks = ['a', 'b', 'c'].map((s) => wavPeak(local.st.wav(id(s)) as string));
    expect((peaks[0] as number) / (peaks[2] as number)).toBeCloseTo(0.5, 1);
    expect((peaks[1] as number) / (peaks[2] as number)).toBeCloseTo(0.5, 1);
    expect(await inForce(vol.id)).toBe(false);
  });

  it('cancel: a cancelled pause no longer holds, and says who cancelled it', async () => {
    const pause = await create({ kind: 'pause', endsAt: `${DAY}T08:00`, reason: 'Sửa loa' });
    const other = await signIn(local.st.base, 'Anh Tuấn');
    const cancelled = await other.call('POST', `/api/overrides/${pause.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      cancelledBy: 'station:Anh Tuấn',
      cancelledAt: expect.any(String),
    });
    expect((await other.call('POST', `/api/overrides/${pause.id}/cancel`)).status).toBe(409);
    await runThrough('a');
    expect(local.st.record(id('a'))).toMatchObject({ outcome: 'played' });
    const report = (await waitFor(
      () => reports().findLast((r) => r.overrides.some((o) => o.id === pause.id && o.cancelledAt)),
      5000,
      'cancel reported',
    )) as OverrideReport;
    expect(report.overrides.find((o) => o.id === pause.id)?.cancelledBy).toBe('station:Anh Tuấn');
  });

  it('survives an agent restart: stored overrides still hold after the store and agent reopen', async () => {
    const pause = await create({
      kind: 'pause',
      startsAt: `${DAY}T07:04`,
      endsAt: `${DAY}T07:12`,
      reason: 'Lễ',
    });
    const vol = await create({ kind: 'volume', volume: 1.5, endsAt: `${DAY}T07:20`, reason: 'Chợ ồn' });
    await local.st.close();
    await local.open();
    const listed = (await local.staff.call('GET', '/api/overrides')).body.map((o: { id: string }) => o.id);
    expect(listed).toEqual(expect.arrayContaining([pause.id, vol.id]));
    await runThrough('a', 'b', 'c', 'd');
    expect(local.st.record(id('a'))).toMatchObject({ outcome: 'played' });
    expect(local.st.record(id('b'))).toMatchObject({ outcome: 'skipped', reason: 'local-pause' });
    expect(local.st.record(id('c'))).toMatchObject({ outcome: 'skipped', reason: 'local-pause' });
    expect(local.st.record(id('d'))).toMatchObject({ outcome: 'played' });
  });
});
