// The controller's protocol settings, validated once at start: PROVINCE_ID a topic level, MQTT_PROTOCOLS
// v1, v2 or both (v2 only with a province), MQTT_URL one broker or a cluster's nodes.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../controller/config.ts';
import { spokenRoots } from '../../../controller/mqtt/roots.ts';

const env = (extra: NodeJS.ProcessEnv) => loadConfig({ DATA_DIR: '/tmp/x', ...extra });

describe('the controller protocol settings', () => {
  it('speaks v1 alone by default, v1 and v2 with a province, and logs in as controller@<province>', () => {
    expect(env({})).toMatchObject({ provinceId: null, mqttProtocols: ['v1'], mqttUsername: 'controller' });
    const c = env({ PROVINCE_ID: 'can-tho' });
    expect(c).toMatchObject({ mqttProtocols: ['v1', 'v2'], mqttUsername: 'controller@can-tho' });
    expect(spokenRoots(c.provinceId, c.mqttProtocols)).toEqual(['loa/v1', 'loa/v2/can-tho']);
    expect(env({ PROVINCE_ID: 'hue', MQTT_PROTOCOLS: 'v2' }).mqttProtocols).toEqual(['v2']);
    expect(env({ MQTT_URL: 'mqtt://a:1883, mqtt://b:1883' }).mqttUrl).toBe('mqtt://a:1883, mqtt://b:1883');
  });

  it('refuses what it cannot speak, with the variable named', () => {
    expect(() => env({ PROVINCE_ID: 'can/tho' })).toThrow(/PROVINCE_ID/);
    expect(() => env({ PROVINCE_ID: 'can+tho' })).toThrow(/PROVINCE_ID/);
    expect(() => env({ MQTT_PROTOCOLS: 'v2' })).toThrow(/v2 needs PROVINCE_ID/);
    expect(() => env({ MQTT_PROTOCOLS: 'v3' })).toThrow(/MQTT_PROTOCOLS/);
    expect(() => env({ MQTT_URL: 'mqtt://a:1883,http://b' })).toThrow(/MQTT_URL/);
  });
});
