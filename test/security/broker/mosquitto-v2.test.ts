// Protocol v2 through a real Mosquitto with the generated files: a station logs in as `<id>@<province>`,
// reads its own desired state and roll call on its province's root and nothing of another station's, and
// what it publishes for another station never reaches the controller.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoFiles } from '../../../controller/mqtt/broker-files.ts';
import { spokenRoots } from '../../../controller/mqtt/roots.ts';
import { brokerHash } from '../../../controller/users/secrets.ts';
import { protocolTopics } from '../../../schedules/protocol.ts';
import { tryConnect } from '../../support/mqtt/clients.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../../support/mqtt/mosquitto.ts';
import { waitFor } from '../../support/wait.ts';

const V2 = protocolTopics('loa/v2/can-tho');
const ROOTS = spokenRoots('can-tho', ['v2']);
const stations = [
  { id: 'st-a', brokerHash: brokerHash('pw-a'), revoked: false, areaPath: ['tinh', 'xa-1'] },
  { id: 'st-b', brokerHash: brokerHash('pw-b'), revoked: false, areaPath: ['tinh', 'xa-2'] },
];
const files = () =>
  mosquittoFiles(stations, { username: 'controller@can-tho', brokerHash: brokerHash('ctl') }, ROOTS);

describe('mosquittoFiles for protocol v2', () => {
  it('writes a login and a block of its own topics for each station of the province', () => {
    const f = files();
    expect(f.passwd.split('\n').map((l) => l.split(':')[0])).toEqual([
      'controller@can-tho',
      'st-a@can-tho',
      'st-b@can-tho',
      '',
    ]);
    expect(f.acl).toContain('user controller@can-tho\ntopic readwrite loa/v2/can-tho/#\n');
    expect(f.acl).toContain(
      'user st-a@can-tho\ntopic read loa/v2/can-tho/station/st-a/desired\ntopic read loa/v2/can-tho/station/st-a/as-run/ack\n' +
        'topic read loa/v2/can-tho/control/roll-call\n',
    );
    expect(f.acl).toContain('topic write loa/v2/can-tho/station/st-a/hello\n');
    expect(f.acl).toContain('topic read loa/v2/can-tho/alerts/area/xa-1/+\n');
    expect(f.acl).not.toContain('loa/v1');
    expect(f.acl).not.toContain('%u');
  });
});

describe('protocol v2 through Mosquitto', () => {
  let broker: Mosquitto;
  const clients: MqttClient[] = [];
  const connect = async (username: string, password: string) => {
    const c = await mqtt.connectAsync(broker.url, {
      clientId: `station-${username}`,
      username,
      password,
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const bin = findMosquitto();
    if (!bin) throw new Error('mosquitto not found: install mosquitto (apt-get install mosquitto)');
    broker = await startMosquitto(bin, files());
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.stop();
  });

  it('admits <id>@<province> only, and keeps each station to its own topics', async () => {
    expect(await tryConnect(broker.url, { username: 'st-a', password: 'pw-a' })).toBe('refused');
    expect(await tryConnect(broker.url, { username: 'st-a@hue', password: 'pw-a' })).toBe('refused');
    const ctl = await connect('controller@can-tho', 'ctl');
    const heard: string[] = [];
    ctl.on('message', (t) => heard.push(t));
    await ctl.subscribeAsync(V2.stations, { qos: 1 });
    await ctl.publishAsync(V2.desired('st-a'), '{"v":"a"}', { qos: 1, retain: true });
    await ctl.publishAsync(V2.desired('st-b'), '{"v":"b"}', { qos: 1, retain: true });

    const a = await connect('st-a@can-tho', 'pw-a');
    const got: string[] = [];
    a.on('message', (t) => got.push(t));
    await a.subscribeAsync([V2.desired('st-a'), V2.desired('st-b'), V2.rollCall], { qos: 1 });
    await waitFor(() => got.includes(V2.desired('st-a')), 3000, 'its own retained desired state');
    await ctl.publishAsync(V2.rollCall, '{}', { qos: 1 });
    await waitFor(() => got.includes(V2.rollCall), 3000, 'the roll call');
    await a.publishAsync(V2.hello('st-b'), '{}', { qos: 1 });
    await a.publishAsync(V2.hello('st-a'), '{}', { qos: 1 });
    await waitFor(() => heard.includes(V2.hello('st-a')), 3000, 'its own hello');
    expect(heard).not.toContain(V2.hello('st-b'));
    expect(got).not.toContain(V2.desired('st-b'));
  });
});
