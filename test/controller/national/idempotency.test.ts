// At a province: a POST retried with the same Idempotency-Key answers the first success and creates nothing
// more; another key creates another; a refusal is not kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeController } from '../../support/controller.ts';

let ctl: Awaited<ReturnType<typeof makeController>>;
beforeAll(async () => {
  ctl = await makeController();
  expect(
    (await ctl.call('POST', '/api/stations', { id: 'st-1', name: 'Đài 1', district: 'd', ward: 'w' })).status,
  ).toBe(201);
});
afterAll(() => ctl.cleanup());

const window = {
  weekdays: [1, 2, 3, 4, 5],
  startTime: '11:00',
  endTime: '13:30',
  startDate: '2026-12-01',
  endDate: '2026-12-31',
  reason: 'other',
  target: { scope: 'area', id: 'city' },
};

async function post(body: unknown, key: string) {
  const res = await ctl.app.request('/api/quiet-windows', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ctl.token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { id: string };
  return { status: res.status, replay: res.headers.get('idempotent-replay'), body: answer };
}

describe('Idempotency-Key', () => {
  it('answers the first success again and creates one quiet window', async () => {
    const a = await post(window, 'national.nat-1.can-tho.quiet');
    const b = await post(window, 'national.nat-1.can-tho.quiet');
    expect(a.status).toBe(201);
    expect(b).toMatchObject({ status: 201, replay: 'true', body: { id: a.body.id } });
    const c = await post(window, 'national.nat-2.can-tho.quiet');
    expect(c.body.id).not.toBe(a.body.id);
    expect((await ctl.call('GET', '/api/quiet-windows')).body).toHaveLength(2);
  });

  it('keeps no refusal: the same key may succeed later', async () => {
    const bad = await post({ ...window, startTime: 'later' }, 'national.nat-3.can-tho.quiet');
    expect(bad.status).toBe(400);
    const good = await post(window, 'national.nat-3.can-tho.quiet');
    expect(good).toMatchObject({ status: 201, replay: null });
  });
});
