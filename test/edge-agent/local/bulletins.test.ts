// Bulletins on the station's page: an emergency on air cannot be stopped there (the page says so, the API
// refuses 409), and ward staff decline a normal one, which then does not play.
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../schedules/alerts.ts';
import { toneClip } from '../../audio/fixtures.ts';
import { alertRecord, STATION } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, slot } from '../helpers.ts';
import { playEntry, recordOf, useLocalStation, vn } from './station.ts';

const DAY = '2025-03-03';
const fixtures = tempDir('fixtures');
const tone = toneClip(fixtures.dir, 'clip-sang', 2);
const siren = toneClip(fixtures.dir, 'clip-bao-lu', 6);
// The emergency's clip is one the station already holds (an approved clip it has cached).
const state = desired(1, { slots: [slot('sang', '07:00', [tone.ref.id])], clips: [tone.ref, siren.ref] });

const bulletin = (id: string, level: Alert['level'], clip = siren.ref): Alert =>
  alertRecord(id, clip, {
    level,
    title: level === 'emergency' ? 'Cảnh báo lũ quét' : 'Lịch tiêm chủng',
    reason: level === 'emergency' ? 'Mưa lớn, nước sông dâng nhanh' : 'Thông báo của trạm y tế',
    targets: [{ scope: 'station', id: STATION }],
    issuedAt: vn(DAY, '06:50:00').toISOString(),
    expiresAt: vn(DAY, '12:00:00').toISOString(),
  });

describe('bulletins on the local page', () => {
  const local = useLocalStation({
    startAt: vn(DAY, '06:50:00'),
    clips: [tone, siren],
    desired: state,
    staff: 'Chị Lan',
  });
  afterAll(() => fixtures.cleanup());

  const send = (a: Alert) => local.world.controller.sendAlert(a);
  const page = () =>
    fetch(`${local.st.base}/`, { headers: { cookie: local.staff.cookie } }).then((r) => r.text());

  it('an emergency on air cannot be stopped from the page: the button says so and the API refuses 409', async () => {
    await send(bulletin('al-lu', 'emergency'));
    await waitFor(() => local.st.agent.status().playing === 'alert:al-lu', 30_000, 'emergency on air');
    const html = await page();
    expect(html).toContain('Bản tin khẩn cấp đang phát - không thể dừng tại đài');
    expect(html).toMatch(/<button type="submit" class="stop" disabled/);
    expect(html).toContain('Cảnh báo lũ quét');
    // the banner at the top: what, since and until when, who sent it
    const banner = /<section id="banner"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(banner).toContain('data-kind="emergency"');
    expect(banner.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toMatch(
      /Bản tin khẩn cấp đang phát: Cảnh báo lũ quét từ 0[67]:\d\d đến 12:00 03\/03\/2025 Người gửi: kt-ninh-kieu/,
    );
    expect(banner).not.toContain('<form');

    const stop = await local.staff.call('POST', '/api/stop', { reason: 'Muốn dừng' });
    expect(stop.status).toBe(409);
    expect(stop.body).toMatchObject({ error: 'emergency_on_air' });
    expect(stop.body.message).toContain('Cảnh báo lũ quét');
    const pause = await local.staff.call('POST', '/api/overrides', {
      kind: 'pause',
      endsAt: `${DAY}T08:00`,
      reason: 'Muốn dừng',
    });
    expect(pause.status).toBe(409);
    const decline = await local.staff.call('POST', '/api/alerts/al-lu/decline', { reason: 'Không muốn' });
    expect(decline.status).toBe(409);
    expect((await local.staff.call('GET', '/api/overrides')).body).toEqual([]);
    expect(local.st.relay.on).toBe(true);

    const r = await recordOf(local.st, 'alert:al-lu', 20_000);
    expect(r.outcome).toBe('played');
    const alerts = (await local.staff.call('GET', '/api/alerts')).body;
    expect(alerts[0]).toMatchObject({ alert: { id: 'al-lu', level: 'emergency' }, state: 'finished' });
  });

  it('declines a normal bulletin: its entry is skipped local-skip and its state is declined', async () => {
    await send(bulletin('al-tiem', 'normal', tone.ref));
    await waitFor(
      async () => (await local.staff.call('GET', '/api/alerts')).body.length === 1,
      5000,
      'bulletin received',
    );
    const entries = async () =>
      (await local.staff.call('GET', '/api/timetable')).body.entries as { id: string }[];
    expect((await entries()).map((e) => e.id)).toContain('alert:al-tiem');
    expect(await page()).toContain('Từ chối phát');

    const declined = await local.staff.call('POST', '/api/alerts/al-tiem/decline', {
      reason: 'Đã thông báo ở họp tổ',
    });
    expect(declined.status, JSON.stringify(declined.body)).toBe(201);
    expect(declined.body).toMatchObject({ kind: 'skip', entryId: 'alert:al-tiem', createdBy: 'Chị Lan' });
    const entry = (await entries()).find((e) => e.id === 'alert:al-tiem');
    expect(entry).toMatchObject({ status: 'skipped', reason: 'local-skip' });

    await playEntry(local.st, `sang@${DAY}`, vn(DAY, '07:00:00'));
    const r = await recordOf(local.st, 'alert:al-tiem');
    expect(r).toMatchObject({ outcome: 'skipped', reason: 'local-skip' });
    await waitFor(
      async () => (await local.staff.call('GET', '/api/alerts')).body[0]?.state === 'declined',
      5000,
      'declined state',
    );
  });
});
