// The signing keys through the API: the admin lists them (public halves only) and rotates them, and the
// rotation republishes every station's desired state so that the next key is announced; others may not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController();
  await ctl.call('POST', '/api/stations', {
    id: 'st-khoa',
    name: 'Đài phường Khóa',
    district: 'd',
    ward: 'w',
  });
});
afterEach(() => ctl.cleanup());

describe('/api/signing/keys', () => {
  it('lists the current key and rotates to a next one, announced to every station at once', async () => {
    const listed = await ctl.call('GET', '/api/signing/keys');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        state: 'current',
        retiredAt: null,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('privateKey');
    const before = ctl.published.length;
    const rotated = await ctl.call('POST', '/api/signing/keys', { graceHours: 24 });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ state: 'next' });
    expect(Date.parse(rotated.body.activeFrom) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    // every station's state went out again (signed by the link with both keys announced)
    expect(ctl.published.length).toBe(before + 1);
    const keys = (await ctl.call('GET', '/api/signing/keys')).body as {
      state: string;
      retiredAt: string | null;
    }[];
    expect(keys.map((k) => k.state)).toEqual(['current', 'next']);
    expect(keys[0]?.retiredAt).not.toBeNull();
  });

  it('refuses a grace period out of range, and anyone but an admin', async () => {
    for (const graceHours of [0, 721, 1.5, 'x'])
      expect((await ctl.call('POST', '/api/signing/keys', { graceHours })).status).toBe(400);
    const token = await ctl.tokenFor('kiem-duyet', 'reviewer');
    expect((await ctl.call('POST', '/api/signing/keys', {}, token)).status).toBe(403);
    expect((await ctl.call('GET', '/api/signing/keys', undefined, token)).status).toBe(403);
    expect((await ctl.call('GET', '/api/signing/keys')).body).toHaveLength(1);
  });
});
