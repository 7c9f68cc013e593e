// No surprises at the station: the stop asks first and says what it cuts, until when and what plays next
// (in the page's dialog, and as plain forms that work without JS), and a stop or pause in force shows as a
// banner at the top of the page, with who set it and until when, and a button that ends it.
import { afterAll, describe, expect, it } from 'vitest';
import { toneClip } from '../../audio/fixtures.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, slot } from '../helpers.ts';
import { advanceTo, recordOf, useLocalStation, vn } from './station.ts';

const DAY = '2025-03-03';
const fixtures = tempDir('fixtures');
const tone = toneClip(fixtures.dir, 'clip-tone', 20);
const state = desired(1, {
  slots: [slot('sang', '07:00', [tone.ref.id]), slot('trua', '11:00', [tone.ref.id])],
  clips: [tone.ref],
});
afterAll(() => fixtures.cleanup());

/** The banner section of a page, or '' when there is none. */
const bannerOf = (html: string) => /<section id="banner"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the stop asks first, and what holds the air shows at the top', () => {
  const local = useLocalStation({
    startAt: vn(DAY, '06:50:00'),
    clips: [tone],
    desired: state,
    staff: 'Chị Lan',
  });
  const get = (path: string) =>
    fetch(`${local.st.base}${path}`, { headers: { cookie: local.staff.cookie }, redirect: 'manual' }).then(
      async (r) => ({ status: r.status, html: await r.text(), location: r.headers.get('location') }),
    );
  /** A plain HTML form post, as a browser without JS sends it. */
  const form = (path: string, fields: Record<string, string>) =>
    fetch(`${local.st.base}${path}`, {
      method: 'POST',
      headers: { cookie: local.staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    }).then(async (r) => ({ status: r.status, html: await r.text(), location: r.headers.get('location') }));

  it('says what the stop cuts, until when and what plays next, and acts only when confirmed', async () => {
    await advanceTo(vn(DAY, '06:59:59'));
    await advanceTo(vn(DAY, '07:00:00.100'));
    await waitFor(
      () => local.st.relay.on && local.st.agent.status().playing === `sang@${DAY}`,
      5000,
      'on air',
    );

    const page = await get('/');
    expect(page.html).toContain('<form id="stop" method="get" action="/stop"');
    // the page's dialog is filled when it opens (what the stop would do then); the page without JS is /stop
    expect(page.html).toContain('<dialog id="stop-dialog"></dialog>');
    for (const html of [textOf((await get('/stop?part=dialog')).html), textOf((await get('/stop')).html)]) {
      expect(html).toContain('Dừng phát ngay bây giờ?');
      expect(html).toContain('Sẽ dừng: sang (đang phát từ 07:00)');
      expect(html).toContain('Không lượt phát nào khác bị ảnh hưởng.');
      expect(html).toMatch(
        /Đài không phát đến 07:00:2\d 03\/03\/2025; lượt phát tiếp theo: trua lúc 11:00 03\/03\/2025/,
      );
      expect(html).toContain('Xác nhận dừng phát');
    }
    // looking is not stopping
    expect(local.st.relay.on).toBe(true);
    // signed out, the dialog's part is refused and the page leads to the sign-in
    expect((await fetch(`${local.st.base}/stop?part=dialog`)).status).toBe(401);
    const out = await fetch(`${local.st.base}/stop`, { redirect: 'manual' });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/']);

    // refused without the session's token, or when what is on air is not what was shown
    const stale = await form('/stop', { csrf: 'nope', entryId: `sang@${DAY}`, reason: 'x' });
    expect(stale.status).toBe(403);
    expect(textOf(stale.html)).toContain('Trang đã cũ: hãy tải lại trang rồi làm lại.');
    const changed = await form('/stop', { csrf: local.staff.csrf, entryId: `trua@${DAY}`, reason: 'x' });
    expect(changed.status).toBe(409);
    expect(textOf(changed.html)).toContain('Chương trình đang phát đã thay đổi');
    const api = await local.staff.call('POST', '/api/stop', { reason: 'x', entryId: `trua@${DAY}` });
    expect(api).toMatchObject({ status: 409, body: { error: 'on_air_changed' } });
    expect(local.st.relay.on).toBe(true);
    expect((await local.staff.call('GET', '/api/overrides')).body).toEqual([]);

    // confirmed without JS: a form post, then back to the page
    const before = Date.now();
    const done = await form('/stop', { csrf: local.staff.csrf, entryId: `sang@${DAY}`, reason: 'Có tang' });
    expect(done).toMatchObject({ status: 303, location: '/' });
    await waitFor(() => !local.st.relay.on, 1000, 'relay off');
    expect(Date.parse(local.st.journal().findLast((j) => !j.on)?.at ?? '') - before).toBeLessThan(1000);
    expect(await recordOf(local.st, `sang@${DAY}`)).toMatchObject({
      outcome: 'interrupted',
      reason: 'local-stop',
    });

    // the banner: what, since and until when, who; and the way to end it
    const stopped = (await local.staff.call('GET', '/api/overrides')).body[0];
    const banner = bannerOf((await get('/')).html);
    expect(banner).toContain(`data-kind="stop"`);
    expect(textOf(banner)).toMatch(/Đài đang dừng phát từ 07:00:\d\d đến 07:00:2\d 03\/03\/2025/);
    expect(textOf(banner)).toContain('Người thực hiện: Chị Lan · Lý do: Có tang');
    expect(banner).toContain(`action="/overrides/${stopped.id}/cancel"`);
    // with nothing on air the confirmation says there is nothing to stop
    expect(textOf((await get('/stop')).html)).toContain('Không có chương trình nào đang phát để dừng.');

    const resumed = await form(`/overrides/${stopped.id}/cancel`, { csrf: local.staff.csrf });
    expect(resumed).toMatchObject({ status: 303, location: '/' });
    const after = (await local.staff.call('GET', '/api/overrides')).body[0];
    expect(after).toMatchObject({ active: false, cancelledBy: 'station:Chị Lan' });
    expect(bannerOf((await get('/')).html)).toBe('');
    const again = await form(`/overrides/${stopped.id}/cancel`, { csrf: local.staff.csrf });
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('Quay lại trang đài');
  }, 60_000);

  it('shows a pause at the top, to visitors too, and ends it from the banner', async () => {
    const pause = await local.staff.call('POST', '/api/overrides', {
      kind: 'pause',
      endsAt: `${DAY}T08:30`,
      reason: 'Lễ tang ở khu vực 3',
    });
    expect(pause.status).toBe(201);
    // a pause that starts later is not in force yet: no banner for it
    const later = await local.staff.call('POST', '/api/overrides', {
      kind: 'pause',
      startsAt: `${DAY}T10:00`,
      endsAt: `${DAY}T10:30`,
      reason: 'Họp',
    });
    expect(later.status).toBe(201);

    const signedIn = bannerOf((await get('/')).html);
    expect(signedIn).toContain('data-kind="pause"');
    expect(textOf(signedIn)).toMatch(/Đài đang tạm dừng phát từ 06:5\d đến 08:30 03\/03\/2025/);
    expect(textOf(signedIn)).toContain('Người thực hiện: Chị Lan · Lý do: Lễ tang ở khu vực 3');
    expect(signedIn).toContain(`data-api="/api/overrides/${pause.body.id}/cancel"`);
    expect(signedIn).not.toContain(later.body.id);
    // a visitor without a session sees it, without the button
    const visitor = bannerOf(await fetch(`${local.st.base}/`).then((r) => r.text()));
    expect(textOf(visitor)).toContain('Đài đang tạm dừng phát');
    expect(visitor).not.toContain('<form');

    const ended = await local.staff.call('POST', `/api/overrides/${pause.body.id}/cancel`, {});
    expect(ended.status).toBe(200);
    expect(bannerOf((await get('/')).html)).toBe('');
  });
});

describe('the stop names what still plays after it', () => {
  const minute = toneClip(fixtures.dir, 'clip-minute', 60);
  // back to back: the second entry touches the first's air, so the timetable already skips it (overlap)
  const backToBack = desired(1, {
    slots: [slot('sang', '07:00', [minute.ref.id]), slot('tiep', '07:01', [tone.ref.id])],
    clips: [minute.ref, tone.ref],
  });
  const local = useLocalStation({
    startAt: vn(DAY, '06:50:00'),
    clips: [minute, tone],
    desired: backToBack,
    staff: 'Chị Lan',
  });

  it('not an entry already kept off air, but the next that plays', async () => {
    await advanceTo(vn(DAY, '06:59:59'));
    await advanceTo(vn(DAY, '07:00:00.100'));
    await waitFor(() => local.st.agent.status().playing === `sang@${DAY}`, 5000, 'on air');
    const html = await fetch(`${local.st.base}/stop?part=dialog`, {
      headers: { cookie: local.staff.cookie },
    });
    const text = textOf(await html.text());
    expect(text).toContain('Không lượt phát nào khác bị ảnh hưởng.');
    expect(text).toContain(
      'Đài không phát đến 07:01:00 03/03/2025; lượt phát tiếp theo: sang lúc 07:00 04/03/2025.',
    );
    expect(text).not.toContain('tiep');
  });
});
