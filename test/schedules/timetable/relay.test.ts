// Relay slots (tiếp sóng): a stream from the slot's start to its end time, under the same quiet windows and
// overlap rules as clips; what a relay slot may be.
import { describe, expect, it } from 'vitest';
import { Slot } from '../../../schedules/model.ts';
import { at, compile, DAY, quiet, slot, summary } from './fixtures.ts';

const VOV1 = 'https://stream.vov.vn/vov1.mp3';
const relay = (over: Record<string, unknown> = {}) =>
  slot({ id: 'vov', startTime: '18:00', clipIds: [], relay: { url: VOV1, endTime: '18:30' }, ...over });

describe('relay entries', () => {
  it('run from the start to the end time and carry their stream', () => {
    const [e] = compile({ slots: [relay()] }, DAY);
    expect(e).toMatchObject({
      id: 'vov@2021-09-24',
      status: 'scheduled',
      clipIds: [],
      startsAt: at('2021-09-24', '18:00').toISOString(),
      endsAt: at('2021-09-24', '18:30').toISOString(),
      relay: { url: VOV1, endTime: '18:30', via: 'stream-server' },
    });
  });

  it('keep their hours whatever their fallback clip lasts, and do not need it at the station', () => {
    const withClip = compile({ slots: [relay({ clipIds: ['clip-10p'] })] }, DAY)[0];
    expect(withClip?.endsAt).toBe(at('2021-09-24', '18:30').toISOString());
    const unknown = compile({ slots: [relay({ clipIds: ['clip-nowhere'] })] }, DAY)[0];
    expect(unknown?.status).toBe('scheduled');
  });

  it('are held by a quiet window anywhere in their hours, and block clips inside them', () => {
    const exam = quiet({ id: 'thi', startTime: '18:20', endTime: '19:00', reason: 'local-event' });
    expect(summary(compile({ slots: [relay()], quietWindows: [exam] }, DAY))).toEqual([
      'vov@2021-09-24 quiet-window',
    ]);
    const inside = slot({ id: 'clip-inside', startTime: '18:10' });
    expect(summary(compile({ slots: [relay(), inside] }, DAY))).toEqual([
      'vov@2021-09-24 scheduled',
      'clip-inside@2021-09-24 overlap',
    ]);
  });

  it('move a flexible clip slot out of their hours', () => {
    const flexible = slot({ id: 'flex', startTime: '18:00', flexibleUntil: '19:00', clipIds: ['clip-4p'] });
    const out = compile({ slots: [relay(), flexible] }, DAY);
    expect(out.find((e) => e.slotId === 'flex')?.startsAt).toBe(at('2021-09-24', '18:30').toISOString());
  });
});

describe('what a relay slot may be', () => {
  const base = {
    id: 'vov',
    startTime: '18:00',
    weekdays: [1],
    startDate: '2021-09-20',
    endDate: '2021-09-30',
    target: { scope: 'area', id: 'tp-can-tho' },
  };
  const problems = (over: Record<string, unknown>) =>
    Slot.safeParse({ ...base, ...over }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('takes http and https streams, with or without fallback clips', () => {
    expect(problems({ relay: { url: VOV1, endTime: '18:30' } })).toEqual([]);
    expect(
      problems({
        relay: { url: 'http://10.0.0.5:8000/tinh.aac', endTime: '18:30', via: 'direct' },
        clipIds: ['c'],
      }),
    ).toEqual([]);
  });

  it.each([
    ['file:///etc/passwd', 'relay.url: a stream URL must be http:// or https://'],
    ['rtmp://live.example/vov', 'relay.url: a stream URL must be http:// or https://'],
    ['vov1', 'relay.url: a stream URL must be http:// or https://'],
  ])('refuses the stream %s', (url, problem) => {
    expect(problems({ relay: { url, endTime: '18:30' } })).toEqual([problem]);
  });

  it('refuses an end not after the start, a flexible relay and a clip slot without clips', () => {
    expect(problems({ relay: { url: VOV1, endTime: '18:00' } })).toEqual([
      'relay.endTime: relay.endTime must be after startTime on the same day',
    ]);
    expect(problems({ relay: { url: VOV1, endTime: '19:00' }, flexibleUntil: '18:30' })).toEqual([
      'flexibleUntil: a relay starts at its time: it cannot be flexible',
    ]);
    expect(problems({})).toEqual(['clipIds: a slot plays at least one clip']);
  });
});
