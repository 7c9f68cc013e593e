import { describe, expect, it } from 'vitest';
import {
  parseAlertTopic,
  parseStationTopic,
  protocolTopics,
  rootProtocol,
  topicRoot,
  topics,
} from '../../schedules/protocol.ts';

describe('topic roots', () => {
  it('v1 has no province; v2 carries it in every topic', () => {
    expect(topicRoot()).toBe('loa/v1');
    expect(topicRoot('can-tho')).toBe('loa/v2/can-tho');
    const v2 = protocolTopics(topicRoot('can-tho'));
    expect(v2.desired('st-1')).toBe('loa/v2/can-tho/station/st-1/desired');
    expect(v2.alert({ scope: 'area', id: 'p-1' }, 'a1')).toBe('loa/v2/can-tho/alerts/area/p-1/a1');
    expect(v2.stations).toBe('loa/v2/can-tho/station/+/+');
    expect(topics.desired('st-1')).toBe('loa/v1/station/st-1/desired');
    expect(rootProtocol('loa/v2/can-tho')).toEqual({ version: 'v2', province: 'can-tho' });
    expect(rootProtocol('loa/v1')).toEqual({ version: 'v1' });
  });

  it('refuses a province that would widen a topic filter', () => {
    for (const bad of ['+', '#', 'a/b', '', 'x'.repeat(65)]) expect(() => topicRoot(bad)).toThrow(/province/);
  });

  it('parses station and alert topics of either version, with their root', () => {
    expect(parseStationTopic('loa/v1/station/st-1/as-run')).toEqual({
      root: 'loa/v1',
      stationId: 'st-1',
      kind: 'as-run',
    });
    expect(parseStationTopic('loa/v2/hue/station/st-1/as-run/ack')).toEqual({
      root: 'loa/v2/hue',
      stationId: 'st-1',
      kind: 'as-run/ack',
    });
    expect(parseStationTopic('loa/v2/station/st-1/as-run')).toBeNull();
    expect(parseStationTopic('loa/v3/x/station/st-1/as-run')).toBeNull();
    expect(parseAlertTopic('loa/v2/hue/alerts/city/all/a1')).toEqual({
      root: 'loa/v2/hue',
      target: { scope: 'city' },
      alertId: 'a1',
    });
    expect(parseAlertTopic('loa/v1/alerts/area/p-1/a1')?.target).toEqual({ scope: 'area', id: 'p-1' });
  });

  it('gives a station the bulletin filters of its chain under its root', () => {
    const st = { id: 'st-1', areaPath: ['p', 'p-1'] };
    expect(protocolTopics('loa/v2/hue').alertFilters(st)).toEqual([
      'loa/v2/hue/alerts/area/p/+',
      'loa/v2/hue/alerts/area/p-1/+',
      'loa/v2/hue/alerts/station/st-1/+',
    ]);
  });
});
