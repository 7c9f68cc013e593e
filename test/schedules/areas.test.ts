// The area tree through the pure core, at 2, 3 and 5 levels: which rules and bulletins reach a station
// (its chain of areas), the precedence between them, the air-time policy in force, the bulletin topics.
import { describe, expect, it } from 'vitest';
import type { StationInfo, Target } from '../../schedules/model.ts';
import { effectivePolicy } from '../../schedules/policy.ts';
import { alertFilters, parseAlertTopic, topics } from '../../schedules/protocol.ts';
import { targetIncludes, zonesAt } from '../../schedules/targets.ts';
import { quietWith, TZ } from './fixtures.ts';
import { compile, ms, outcome, t } from './precedence/day.ts';
import { onlineClass, planWith, slot } from './precedence/fixtures.ts';

/** A station at the bottom of a chain, and one in a sibling branch at the same depth. */
const CHAINS = {
  2: { mine: ['vinh-long', 'xa-long-ho'], other: ['vinh-long', 'phuong-an-hoi'] },
  3: { mine: ['can-tho', 'phuong-ninh-kieu', 'kp-1'], other: ['can-tho', 'phuong-ninh-kieu', 'kp-2'] },
  5: {
    mine: ['nghe-an', 'huyen-nam-dan', 'xa-kim-lien', 'thon-sen-1', 'xom-3'],
    other: ['nghe-an', 'huyen-nam-dan', 'xa-kim-lien', 'thon-sen-1', 'xom-4'],
  },
} as const;
const stationAt = (path: readonly string[], id = 's1'): StationInfo => ({
  id,
  name: `Trạm ${id}`,
  areaPath: [...path],
  timezone: TZ,
});
const area = (id: string): Target => ({ scope: 'area', id });

for (const [depth, { mine, other }] of Object.entries(CHAINS)) {
  describe(`a tree of ${depth} levels`, () => {
    const station = stationAt(mine);
    const leaf = mine.at(-1) as string;

    it('every area of the chain reaches the station; the sibling does not', () => {
      for (const id of mine) expect(targetIncludes(area(id), station), id).toBe(true);
      expect(targetIncludes(area(other.at(-1) as string), station)).toBe(false);
      expect(targetIncludes({ scope: 'station', id: 's1' }, station)).toBe(true);
    });

    it('compiles the slots of every level of its chain and no other; a quiet window of the leaf skips them', () => {
      const slots = mine.map((id, i) => ({ ...slot(`s-${i}`, `0${i + 5}:00`), target: area(id) }));
      const foreign = { ...slot('s-other', '12:00'), target: area(other.at(-1) as string) };
      const entries = compile({ station, slots: [...slots, foreign] }, {});
      expect(entries.map((e) => e.slotId)).toEqual(slots.map((s) => s.id));
      const quiet = {
        ...quietWith({ id: 'qw-leaf', startTime: '04:00', endTime: '12:00', reason: 'local-event' }),
        target: area(leaf),
      };
      const held = compile({ station, slots, quietWindows: [quiet] }, {});
      expect(held.map(outcome)).toEqual(slots.map(() => 'local-event'));
    });

    it('an emergency for the leaf cuts into the root slot; one for the sibling does not reach', () => {
      const root = { ...slot('s-root', '09:00'), target: area(mine[0]) };
      const emergency = planWith({
        id: 'e1',
        level: 'emergency',
        receivedAt: t('09:02:00'),
        targets: [area(leaf)],
      });
      const elsewhere = planWith({
        id: 'e2',
        level: 'emergency',
        receivedAt: t('09:03:00'),
        targets: [area(other.at(-1) as string)],
      });
      const entries = compile({ station, slots: [root], alerts: [emergency, elsewhere] });
      expect(entries.map((e) => e.id)).toEqual(['s-root@2021-09-24', 'alert:e1']);
      expect(entries.find((e) => e.id === 'alert:e1')?.status).toBe('scheduled');
      // the online class of the whole tree holds a normal bulletin of the leaf until it ends
      const normal = planWith({
        id: 'n1',
        level: 'normal',
        receivedAt: t('08:00:00'),
        targets: [area(leaf)],
      });
      const classHours = { ...onlineClass, target: area(mine[0]) };
      const held = compile({ station, quietWindows: [classHours], alerts: [normal], slots: [root] }).find(
        (e) => e.id === 'alert:n1',
      );
      expect(held).toBeDefined();
      expect(held?.status !== 'scheduled' || Date.parse(held?.startsAt ?? '') >= ms('11:30')).toBe(true);
    });

    it('the deepest policy of the chain sets what it names; the station’s own is deepest of all', () => {
      const policies = [
        {
          target: area(mine[0]),
          policy: { maxSessionsPerDay: 2, maxMinutesPerSession: 15, enforcement: 'warn' as const },
        },
        { target: area(leaf), policy: { maxMinutesPerSession: 45, enforcement: 'warn' as const } },
        {
          target: area(other.at(-1) as string),
          policy: { maxMinutesPerSession: 5, enforcement: 'refuse' as const },
        },
      ];
      expect(effectivePolicy(policies, station)).toEqual({
        enforcement: 'warn',
        maxSessionsPerDay: 2,
        maxMinutesPerSession: 45,
      });
      const own = [
        ...policies,
        {
          target: { scope: 'station' as const, id: 's1' },
          policy: { maxMinutesPerSession: 30, enforcement: 'warn' as const },
        },
      ];
      expect(effectivePolicy(own, station)?.maxMinutesPerSession).toBe(30);
    });

    it('subscribes to one topic per area of its chain and its own; parses them back', () => {
      const filters = alertFilters(station);
      expect(filters).toEqual([
        ...mine.map((id) => `loa/v1/alerts/area/${id}/+`),
        'loa/v1/alerts/station/s1/+',
      ]);
      const topic = topics.alert(area(leaf), 'al-1');
      expect(topic).toBe(`loa/v1/alerts/area/${leaf}/al-1`);
      expect(parseAlertTopic(topic)).toEqual({ target: area(leaf), alertId: 'al-1', root: 'loa/v1' });
      expect(filters).not.toContain(`loa/v1/alerts/area/${other.at(-1)}/+`);
    });
  });
}

describe('zones: a station’s loudspeaker clusters targeted on their own', () => {
  const station = stationAt(CHAINS[3].mine);
  it('a zone target reaches its station; the entry sounds on that zone only unless another target takes it all', () => {
    const cho: Target = { scope: 'zone', station: 's1', zone: 'cho' };
    expect(targetIncludes(cho, station)).toBe(true);
    expect(zonesAt([cho], station)).toEqual(['cho']);
    expect(zonesAt([cho, { scope: 'zone', station: 's1', zone: 'truong' }], station)).toEqual([
      'cho',
      'truong',
    ]);
    expect(zonesAt([cho, area('kp-1')], station)).toBeNull();
    expect(zonesAt([{ scope: 'zone', station: 's2', zone: 'cho' }, cho], station)).toEqual(['cho']);
    // a zone's bulletin goes on its station's topic
    expect(topics.alert(cho, 'al-1')).toBe('loa/v1/alerts/station/s1/al-1');
  });
});

describe('a desired state of the version before the tree', () => {
  it('subscribes to the old topics too, and its district and ward targets reach as before', () => {
    const old = { id: 's1', areaPath: ['q1', 'p1'], district: 'q1', ward: 'p1' };
    expect(alertFilters(old)).toEqual([
      'loa/v1/alerts/area/q1/+',
      'loa/v1/alerts/area/p1/+',
      'loa/v1/alerts/station/s1/+',
      'loa/v1/alerts/city/all/+',
      'loa/v1/alerts/district/q1/+',
      'loa/v1/alerts/ward/p1/+',
    ]);
    expect(parseAlertTopic('loa/v1/alerts/city/all/a1')).toEqual({
      target: { scope: 'city' },
      alertId: 'a1',
      root: 'loa/v1',
    });
    expect(parseAlertTopic('loa/v1/alerts/district/q1/a1')).toEqual({
      target: { scope: 'district', id: 'q1' },
      alertId: 'a1',
      root: 'loa/v1',
    });
    expect(parseAlertTopic('loa/v1/alerts/city/q1/a1')).toBeNull();
    expect(parseAlertTopic('loa/v1/alerts/zone/q1/a1')).toBeNull();
  });
});
