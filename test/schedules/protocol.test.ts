import { describe, expect, it } from 'vitest';
import {
  Hello,
  parseAlertTopic,
  parseStationTopic,
  protocolTopics,
  RollCall,
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

  it('has the hello of each station and the roll call of each root, with their payloads', () => {
    const t = protocolTopics('loa/v2/hue');
    expect(t.hello('st-1')).toBe('loa/v2/hue/station/st-1/hello');
    expect(t.rollCall).toBe('loa/v2/hue/control/roll-call');
    expect(topics.rollCall).toBe('loa/v1/control/roll-call');
    expect(parseStationTopic(t.hello('st-1'))).toEqual({
      root: 'loa/v2/hue',
      stationId: 'st-1',
      kind: 'hello',
    });
    expect(parseStationTopic(t.rollCall)).toBeNull();
    const at = '2026-12-05T09:30:00.000Z';
    expect(Hello.safeParse({ desiredVersion: 3, alerts: ['a-1'], at }).success).toBe(true);
    expect(Hello.safeParse({ desiredVersion: 3, alerts: ['a/1'], at }).success).toBe(false);
    expect(Hello.safeParse({ desiredVersion: 3, alerts: Array(501).fill('a'), at }).success).toBe(false);
    expect(RollCall.safeParse({ at, withinMs: 30_000 }).success).toBe(true);
    expect(RollCall.safeParse({ at, withinMs: 600_001 }).success).toBe(false);
  });
});
