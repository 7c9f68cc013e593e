// Builders for the precedence tests: slots, the online class, local overrides and bulletins (as a station
// knows them).
import { Alert } from '../../../schedules/alerts.ts';
import { Override } from '../../../schedules/overrides.ts';
import type { AlertPlan } from '../../../schedules/precedence/precedence.ts';
import { alertRecord, overrideRecord } from '../../support/records.ts';
import { quietWith, slotWith } from '../fixtures.ts';

export const slot = (id: string, startTime: string, clip = 'clip-10p') =>
  slotWith({ id, startTime, clipIds: [clip] });
export const onlineClass = quietWith({
  id: 'qw-hoc',
  startTime: '07:00',
  endTime: '11:30',
  reason: 'online-class',
});

export const SHA = 'a'.repeat(64);

export const clipRef = (id: string, durationMs: number) => ({ id, sha256: SHA, durationMs, bytes: 1000 });

/** An override at station `stationId` (default 's1'), in force from startsAt to endsAt. */
export function overrideWith(over: {
  id: string;
  kind: Override['kind'];
  startsAt: string;
  endsAt: string;
  stationId?: string;
  entryId?: string | null;
  clip?: ReturnType<typeof clipRef> | null;
  volume?: number | null;
  cancelledAt?: string | null;
}): Override {
  return Override.parse(overrideRecord({ stationId: 's1', ...over }));
}

/** A bulletin received at `receivedAt`, expiring a day later unless said; city-wide unless targets say. */
export function planWith(over: {
  id: string;
  level: Alert['level'];
  receivedAt: string;
  durationMs?: number;
  expiresAt?: string;
  ignoreQuietWindows?: boolean;
  cancelledAt?: string | null;
  readyAt?: string | null;
  startedAt?: string | null;
  targets?: Alert['targets'];
}): AlertPlan {
  const { id, level, receivedAt, durationMs = 60_000, readyAt, startedAt, ...rest } = over;
  const alert = Alert.parse(
    alertRecord(id, clipRef(`clip-${id}`, durationMs), {
      level,
      title: `Bản tin ${id}`,
      reason: 'thử nghiệm',
      targets: [{ scope: 'city' }],
      issuedAt: receivedAt,
      issuedBy: 'admin',
      expiresAt: new Date(Date.parse(receivedAt) + 86_400_000).toISOString(),
      ...rest,
    }),
  );
  return {
    alert,
    receivedAt,
    ...(readyAt !== undefined ? { readyAt } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
  };
}
