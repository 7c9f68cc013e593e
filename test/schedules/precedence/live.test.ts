// Live sessions (a bulletin whose sound is a live stream): on air at once at any level, cutting the clip on
// air; held by an online class unless an emergency overrides quiet windows; over when the speaker ends.
import { describe, expect, it } from 'vitest';
import { Alert } from '../../../schedules/alerts.ts';
import { compile, get, S, skipOf, t } from './day.ts';
import { onlineClass, planWith, slot } from './fixtures.ts';

/** A live session opened at `at`, a bulletin without a clip; ends at `endedAt` if given. */
function live(
  id: string,
  level: Alert['level'],
  at: string,
  more: { ignoreQuietWindows?: boolean; endedAt?: string } = {},
) {
  const plan = planWith({
    id,
    level,
    receivedAt: at,
    expiresAt: new Date(Date.parse(at) + 7_200_000).toISOString(),
  });
  const { clip: _clip, ...rest } = plan.alert;
  const alert = Alert.parse({
    ...rest,
    ignoreQuietWindows: more.ignoreQuietWindows ?? false,
    live: {
      url: 'http://127.0.0.1:8000/live/x.ogg',
      sessionId: id,
      speaker: 'Nguyễn Văn An',
      endedAt: more.endedAt,
    },
  });
  return { ...plan, alert, readyAt: at };
}

describe('a live session', () => {
  it.each(['normal', 'priority', 'emergency'] as const)(
    'at %s level goes on air at once and cuts the clip on air',
    (level) => {
      const out = compile({ slots: [slot('s-14', '14:00')], alerts: [live('l1', level, t('14:05'))] });
      const e = get(out, 'alert:l1');
      expect(e).toMatchObject({
        status: 'scheduled',
        startsAt: t('14:05'),
        clipIds: [],
        live: { sessionId: 'l1' },
      });
      // the clip's record names the session: preempted by its level, or an overlap below priority
      const cut = level === 'normal' ? { code: 'overlap' } : { code: 'preempted', by: level };
      expect(skipOf(get(out, S('s-14')))).toEqual({ ...cut, entryId: 'alert:l1' });
    },
  );

  it('lasts until its speaker ends it, and frees the air after', () => {
    const out = compile({
      slots: [slot('s-15', '14:20')],
      alerts: [live('l1', 'priority', t('14:05'), { endedAt: t('14:12') })],
    });
    expect(get(out, 'alert:l1')?.endsAt).toBe(t('14:12'));
    expect(get(out, S('s-15'))?.status).toBe('scheduled');
  });

  it('is held by an online class until it ends, unless an emergency overrides quiet windows', () => {
    const held = compile({ quietWindows: [onlineClass], alerts: [live('l1', 'priority', t('11:00'))] });
    expect(get(held, 'alert:l1')?.startsAt).toBe(t('11:30:02'));
    const emergency = compile({
      quietWindows: [onlineClass],
      alerts: [live('l2', 'emergency', t('11:00'), { ignoreQuietWindows: true })],
    });
    expect(get(emergency, 'alert:l2')?.startsAt).toBe(t('11:00'));
  });

  it('below emergency waits for an emergency on air', () => {
    const emergency = planWith({ id: 'e1', level: 'emergency', receivedAt: t('14:00'), durationMs: 120_000 });
    const out = compile({ alerts: [emergency, live('l1', 'priority', t('14:01'))] });
    expect(Date.parse(get(out, 'alert:l1')?.startsAt ?? '')).toBeGreaterThanOrEqual(Date.parse(t('14:02')));
  });
});
