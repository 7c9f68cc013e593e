// Tests for the edge agent's config file loading: defaults, path resolution, env override, clear errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../edge-agent/config/config.ts';
import { tempDir } from '../../support/temp.ts';

const base = {
  stationId: 'st-1',
  secret: 'st_abcdefgh',
  controllerUrl: 'http://controller.local:8080',
  mqttUrl: 'mqtt://controller.local:1883',
  dataDir: 'data',
};

describe('loadConfig', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const write = (name: string, body: unknown) => {
    const file = join(tmp.dir, name);
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };

  it('applies defaults, resolves relative paths against the file, and freezes', () => {
    const c = loadConfig(write('a.json', { ...base, audio: 'file:out' }), {});
    expect(c.dataDir).toBe(join(tmp.dir, 'data'));
    expect(c.audio).toBe(`file:${join(tmp.dir, 'out')}`);
    expect(c).toMatchObject({
      gpio: 'sim',
      volume: 1,
      warmUpMs: 2000,
      tailMs: 1000,
      graceMs: 60_000,
      horizonHours: 48,
      clockTrust: 'system',
      watchdogMarginMs: 60_000,
      healthIntervalSec: 60,
      agentPort: 8090,
      agentHost: '0.0.0.0',
      relays: [{ name: 'amp', pin: 17, activeLow: false }],
    });
    expect(c.timezone).toBeUndefined();
    expect(c.gpioChipLabel).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.relays)).toBe(true);
    expect(Object.isFrozen(c.relays[0])).toBe(true);
  });

  it('accepts one relay (the older form) or several, and maps the older clockTrusted', () => {
    const one = loadConfig(
      write('r1.json', { ...base, relay: { pin: 27, activeLow: true }, clockTrusted: false }),
      {},
    );
    expect(one.relays).toEqual([{ name: 'amp', pin: 27, activeLow: true }]);
    expect(one.clockTrust).toBe('never');
    expect(loadConfig(write('r1b.json', { ...base, clockTrusted: true }), {}).clockTrust).toBe('always');
    const zones = [
      { name: 'cho', pin: 17 },
      { name: 'truong-hoc', pin: 27, activeLow: true },
    ];
    const many = loadConfig(write('r2.json', { ...base, relays: zones, clockTrust: 'always' }), {});
    expect(many.relays).toEqual([
      { name: 'cho', pin: 17, activeLow: false },
      { name: 'truong-hoc', pin: 27, activeLow: true },
    ]);
    const bad = write('r3.json', {
      ...base,
      relay: { pin: 17 },
      relays: [
        { name: 'a', pin: 17 },
        { name: 'a', pin: 17 },
      ],
      clockTrust: 'always',
      clockTrusted: true,
    });
    expect(() => loadConfig(bad, {})).toThrow(
      /relay: give relay or relays[\s\S]*clockTrusted: give[\s\S]*relays\.1\.name: duplicate name[\s\S]*relays\.1\.pin: duplicate pin/,
    );
    expect(() => loadConfig(write('r4.json', { ...base, relays: [] }), {})).toThrow(/relays:/);
  });

  it('lets AGENT_PORT override the port and keeps absolute paths', () => {
    const c = loadConfig(write('b.json', { ...base, dataDir: '/var/lib/loa', audio: 'alsa:plughw:CARD=x' }), {
      AGENT_PORT: '9100',
    });
    expect(c.agentPort).toBe(9100);
    expect(c.dataDir).toBe('/var/lib/loa');
    expect(c.audio).toBe('alsa:plughw:CARD=x');
    expect(() => loadConfig(write('b2.json', base), { AGENT_PORT: 'x' })).toThrow(/AGENT_PORT/);
  });

  it('reports every invalid key by its path', () => {
    const file = write('c.json', {
      ...base,
      stationId: 'bad id!',
      controllerUrl: 'ftp://x',
      volume: 3,
      relay: { pin: 99, activeLow: 'yes' },
      audio: 'speaker',
      timezone: 'Mars/Olympus',
      extra: 1,
    });
    let err: unknown;
    try {
      loadConfig(file, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    for (const path of [
      'stationId:',
      'controllerUrl:',
      'volume:',
      'relay.pin:',
      'relay.activeLow:',
      'audio:',
      'timezone:',
    ]) {
      expect(msg).toContain(path);
    }
    expect(msg).toMatch(/extra/);
  });

  it('names missing keys, bad JSON and unreadable files', () => {
    expect(() => loadConfig(write('d.json', { stationId: 'st-1' }), {})).toThrow(/secret:[\s\S]*mqttUrl:/);
    expect(() => loadConfig(write('e.json', '{ nope'), {})).toThrow(/not valid JSON/);
    expect(() => loadConfig(join(tmp.dir, 'missing.json'), {})).toThrow(/cannot read agent config/);
  });
});
