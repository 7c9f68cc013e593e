// A mobile unit's side: its config checked once at start, and its position report (retained, QoS 1, on its
// own topic; a receiver's nonsense logged and not sent; an unchanged position not sent again).
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../edge-agent/config/config.ts';
import type { PositionFix } from '../../../edge-agent/hardware/position.ts';
import { fixedPosition } from '../../../edge-agent/hardware/position.ts';
import { createPositionReport } from '../../../edge-agent/link/position.ts';
import { recordingLogger } from '../../support/log.ts';
import { testConfig } from '../helpers.ts';

describe('a mobile unit’s config', () => {
  it('defaults to gpsd on this machine and checks a fixed position', () => {
    expect(testConfig('/tmp/x', { mobile: {} }).mobile).toEqual({
      reportEverySec: 30,
      source: 'gpsd',
      gpsd: { host: '127.0.0.1', port: 2947 },
    });
    expect(() => testConfig('/tmp/x', { mobile: { source: 'fixed' } })).toThrow(
      /mobile\.fixed: source 'fixed' needs fixed \{lat, lon\}/,
    );
    expect(() => testConfig('/tmp/x', { mobile: { source: 'fixed', fixed: { lat: 95, lon: 105 } } })).toThrow(
      ConfigError,
    );
    expect(() => testConfig('/tmp/x', { mobile: { reportEverySec: 1 } })).toThrow(/mobile\.reportEverySec/);
    expect(testConfig('/tmp/x').mobile).toBeUndefined();
  });
});

describe('the position report', () => {
  const rig = () => {
    const sent: { topic: string; payload: string; opts: unknown }[] = [];
    const client = {
      publish: (topic: string, payload: string, opts: unknown) => sent.push({ topic, payload, opts }),
    } as unknown as MqttClient;
    let fix: PositionFix | null = null;
    const log = recordingLogger();
    const report = createPositionReport({
      stationId: 'st-xe',
      log,
      source: { current: () => fix, close: () => {} },
      client: () => client,
    });
    return { sent, log, report, set: (f: PositionFix | null) => (fix = f) };
  };

  it('publishes a valid fix retained on its own topic, once until it moves', () => {
    const r = rig();
    r.report.send(false); // no fix yet
    r.set({ lat: 10.04, lon: 105.78, accuracyM: 6, at: new Date('2026-12-04T01:00:00Z') });
    r.report.send(false);
    r.set({ lat: 10.04, lon: 105.78, accuracyM: 6, at: new Date('2026-12-04T01:00:30Z') });
    r.report.send(false); // not moved
    r.report.send(true); // a new connection: sent again
    expect(r.sent).toHaveLength(2);
    expect(r.sent[0]).toEqual({
      topic: 'loa/v1/station/st-xe/position',
      payload: JSON.stringify({ lat: 10.04, lon: 105.78, accuracyM: 6, at: '2026-12-04T01:00:00.000Z' }),
      opts: { qos: 1, retain: true },
    });
  });

  it('logs a fix out of range once and sends nothing', () => {
    const r = rig();
    r.set({ lat: 91, lon: 105.78, accuracyM: null, at: new Date() });
    r.report.send(true);
    r.report.send(true);
    expect(r.sent).toHaveLength(0);
    expect(r.log.lines).toEqual(['warn position: not sent, the receiver gave lat: latitude above 90']);
  });

  it('a fixed position is where the config puts it, stamped now', () => {
    const now = new Date('2026-12-04T02:00:00Z');
    expect(fixedPosition(10, 105.7, () => now).current()).toEqual({
      lat: 10,
      lon: 105.7,
      accuracyM: null,
      at: now,
    });
  });
});
