// Relay slots through the API: saved and refused like any slot, shown in the preview for their hours, and in
// a station's desired state with where it listens when the relay goes through the stream server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../../controller/rules/station-rules.ts';
import {
  AN_HOA,
  apiSlot,
  IN_SLOT_DATES,
  makeController,
  type TestController,
} from '../../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController(IN_SLOT_DATES);
  await ctl.call('POST', '/api/stations', AN_HOA);
});
afterEach(() => ctl.cleanup());

const VOV1 = 'https://stream.vov.vn/vov1.mp3';
const relaySlot = (relay: object, extra: object = {}) =>
  apiSlot([], {
    id: 'slot-vov1',
    startTime: '18:00',
    relay: { url: VOV1, endTime: '18:30', ...relay },
    ...extra,
  });

describe('a relay slot', () => {
  it('is saved, reaches the station, and previews for its hours', async () => {
    const before = ctl.published.length;
    const saved = await ctl.call('POST', '/api/slots', relaySlot({}));
    expect(saved.status).toBe(201);
    expect(saved.body.relay).toEqual({ url: VOV1, endTime: '18:30', via: 'stream-server' });
    expect(ctl.published.length).toBe(before + 1);
    const state = ctl.published.at(-1);
    expect(state?.slots[0]?.relay).toEqual({ url: VOV1, endTime: '18:30', via: 'stream-server' });
    const week = await ctl.call(
      'GET',
      `/api/stations/${AN_HOA.id}/timetable?from=2026-12-07T00:00:00Z&to=2026-12-08T00:00:00Z`,
    );
    expect(week.status).toBe(200);
    const entry = week.body.find((e: { slotId: string }) => e.slotId === 'slot-vov1');
    expect(entry).toMatchObject({ status: 'scheduled', relay: { url: VOV1 } });
    expect(Date.parse(entry.endsAt) - Date.parse(entry.startsAt)).toBe(30 * 60_000);
  });

  it('tells each station where to listen when it goes through the stream server, and not when direct', async () => {
    await ctl.call('POST', '/api/slots', relaySlot({}));
    await ctl.call(
      'POST',
      '/api/slots',
      relaySlot({ via: 'direct' }, { id: 'slot-tinh', startTime: '19:00' }),
    );
    const listen = (url: string) => `http://radio.example:8000/relay/${url.length}.ogg`;
    const state = buildDesiredState(ctl.db, AN_HOA.id, new Date('2026-12-05T00:00:00Z'), listen);
    const relays = Object.fromEntries(state.slots.map((s) => [s.id, s.relay]));
    expect(relays['slot-vov1']?.listenUrl).toBe(listen(VOV1));
    expect(relays['slot-tinh']?.listenUrl).toBeUndefined();
    // without a stream server, every station pulls directly
    const none = buildDesiredState(ctl.db, AN_HOA.id, new Date('2026-12-05T00:00:00Z'));
    expect(none.slots.every((s) => s.relay?.listenUrl === undefined)).toBe(true);
  });

  it.each([
    [{ url: 'file:///etc/passwd' }, 'a stream URL must be http:// or https://'],
    [{ url: 'rtsp://camera.local/stream' }, 'a stream URL must be http:// or https://'],
    [{ endTime: '17:00' }, 'relay.endTime must be after startTime'],
    [{ listenUrl: 'http://evil.example/x.ogg' }, 'listenUrl'],
  ])('refuses %j, and stores nothing', async (relay, message) => {
    const r = await ctl.call('POST', '/api/slots', relaySlot(relay));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(message);
    expect((await ctl.call('GET', '/api/slots')).body).toEqual([]);
  });

  it('refuses a flexible relay and a clip slot without clips', async () => {
    const flexible = await ctl.call('POST', '/api/slots', relaySlot({}, { flexibleUntil: '19:00' }));
    expect(flexible.body.message).toContain('a relay starts at its time');
    const empty = await ctl.call('POST', '/api/slots', apiSlot([]));
    expect(empty.body.message).toContain('a slot plays at least one clip');
  });
});
