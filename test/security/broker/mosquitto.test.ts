// Station isolation through a real Mosquitto with the generated password, ACL and config files.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mosquittoFiles, readStationsForBroker } from '../../../controller/mqtt/broker-files.ts';
import type { ControllerLink } from '../../../controller/mqtt/link.ts';
import { brokerHash, newSecret } from '../../../controller/users/secrets.ts';
import type { DesiredState, Target } from '../../../schedules/model.ts';
import { alertFilters, topics } from '../../../schedules/protocol.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { connectLink, nextMessage, sendAsRun } from '../../support/mqtt/clients.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../../support/mqtt/mosquitto.ts';
import { skippedRecord } from '../../support/records.ts';

const hash = brokerHash('pw');

describe('mosquittoFiles', () => {
  it('lists only stations that may log in, and grants stations their own topics by pattern', () => {
    const f = mosquittoFiles(
      [
        { id: 'st-b', brokerHash: hash, revoked: false },
        { id: 'st-a', brokerHash: hash, revoked: false, areaPath: ['tinh', 'xa-1', 'thon-2'] },
        { id: 'st-revoked', brokerHash: hash, revoked: true },
        { id: 'st-new', brokerHash: null, revoked: false },
        { id: 'controller', brokerHash: hash, revoked: false },
        { id: 'a/#', brokerHash: hash, revoked: false },
      ],
      { username: 'controller', brokerHash: hash },
    );
    expect(f.passwd.split('\n').map((l) => l.split(':')[0])).toEqual(['controller', 'st-a', 'st-b', '']);
    expect(f.excluded.map((e) => e.id).sort()).toEqual(['a/#', 'controller', 'st-new', 'st-revoked']);
    expect(f.acl).toContain('user controller\ntopic readwrite loa/v1/#\n');
    expect(f.acl).toContain('pattern read loa/v1/station/%u/desired\n');
    expect(f.acl).toContain('pattern write loa/v1/station/%u/as-run\n');
    expect(f.acl).toContain('pattern write loa/v1/station/%u/alert-status\n');
    expect(f.acl).toContain('pattern write loa/v1/station/%u/overrides\n');
    expect(f.acl).toContain('pattern read loa/v1/alerts/station/%u/+\n');
    // each station's chain of areas, whatever its depth, by its username only
    expect(f.acl).toContain(
      'user st-a\ntopic read loa/v1/alerts/area/tinh/+\ntopic read loa/v1/alerts/area/xa-1/+\n' +
        'topic read loa/v1/alerts/area/thon-2/+\n',
    );
    expect(f.acl).not.toContain('user st-b\n');
    expect(f.acl).not.toMatch(/pattern read loa\/v1\/alerts\/area/);
    // only the controller writes bulletins
    expect(f.acl).not.toMatch(/^(pattern|topic) (write|readwrite) loa\/v1\/alerts/m);
    expect(f.acl).not.toMatch(/pattern (readwrite|write) loa\/v1\/station\/%u\/desired/);
    expect(f.conf({ port: 1883, dir: '/etc/mosquitto/loa' })).toContain(
      'listener 1883 127.0.0.1\nmax_topic_alias 0\nallow_anonymous false\npassword_file /etc/mosquitto/loa/passwd\n',
    );
    expect(() => mosquittoFiles([], { username: 'con:troller', brokerHash: hash })).toThrow(/username/);
  });
});

describe('station isolation through Mosquitto', () => {
  let bin: string;
  let ctl: TestController;
  let broker: Mosquitto;
  let link: ControllerLink;
  let controllerPassword: string;
  const clients: MqttClient[] = [];
  const secrets: Record<string, string> = {};
  const states: Record<string, DesiredState> = {};

  beforeAll(() => {
    const found = findMosquitto();
    // CI installs it; a silent skip would hide that the external-broker isolation went untested.
    if (!found) throw new Error('mosquitto not found: install mosquitto (apt-get install mosquitto)');
    bin = found;
  });

  const files = () =>
    mosquittoFiles(readStationsForBroker(ctl.db), {
      username: 'controller',
      brokerHash: brokerHash(controllerPassword),
    });

  beforeEach(async () => {
    ctl = await makeController();
    for (const id of ['st-a', 'st-b']) {
      const r = await ctl.call('POST', '/api/stations', { id, name: id, district: 'd1', ward: `w-${id}` });
      secrets[id] = r.body.secret;
      // Until issuing a secret stores its broker hash everywhere, fill it here.
      const row = ctl.db.prepare('SELECT broker_hash FROM stations WHERE id = ?').get(id) as {
        broker_hash: string | null;
      };
      if (!row.broker_hash)
        ctl.db.prepare('UPDATE stations SET broker_hash = ? WHERE id = ?').run(brokerHash(r.body.secret), id);
    }
    controllerPassword = newSecret('ctl');
    broker = await startMosquitto(bin, files());
    // From now on the app's desired states go out through the real link, as in controller/main.ts.
    ctl.published.push = (s) => {
      states[s.station.id] = s;
      link.publishDesired(s.station.id, s);
      return 0;
    };
    await connectLink(ctl.db, null, {
      url: broker.url,
      username: 'controller',
      password: controllerPassword,
      onConnect: (l) => {
        link = l;
        ctl.desired.publishAll();
      },
    });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await link?.close();
    await broker?.stop();
    ctl?.cleanup();
  });

  const connect = (username: string | undefined, password: string | undefined) => {
    const c = mqtt.connect(broker.url, { username, password, reconnectPeriod: 0 });
    clients.push(c);
    return new Promise<MqttClient>((resolve, reject) => {
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
  };
  const connectStation = (id: string) => connect(id, secrets[id]);

  /** Every message a client receives, to prove later that nothing foreign ever arrived. */
  const inbox = (c: MqttClient) => {
    const got: { topic: string; body: string }[] = [];
    c.on('message', (topic, p) => got.push({ topic, body: p.toString() }));
    return got;
  };
  const record = skippedRecord;
  const playIds = async () => (await ctl.call('GET', '/api/plays')).body.map((p: { id: string }) => p.id);

  /** Publishes one as-run batch and waits for its ack: the broker keeps order, so anything sent before has been handled. */
  async function roundTrip(c: MqttClient, stationId: string, id: string) {
    expect(await sendAsRun(c, stationId, [record(stationId, id)])).toEqual({ ids: [id] });
  }

  it('refuses anonymous clients, unknown users, wrong secrets and another station secret', async () => {
    const attempts: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['st-a', 'st_wrong'],
      ['st-a', secrets['st-b']],
      ['nobody', 'pw'],
      ['controller', 'st_wrong'],
    ];
    for (const [user, pw] of attempts) {
      await expect(connect(user, pw), `${user}`).rejects.toThrow(/Not authorized/);
    }
  });

  it("a station never receives another station's desired state, retained or live, nor $SYS", async () => {
    const a = await connectStation('st-a');
    const got = inbox(a);
    // Mosquitto 2.0's acl_file does not check subscriptions (it grants the SUBACK); what protects the
    // data is the read check on every delivery, retained messages included.
    for (const t of [topics.desired('st-b'), 'loa/v1/station/+/desired', '#', '$SYS/#']) {
      await a.subscribeAsync(t, { qos: 1 }).catch(() => 'refused');
    }
    const own = nextMessage(a, topics.desired('st-a'));
    await a.subscribeAsync(topics.desired('st-a'), { qos: 1 });
    expect(await own).toMatchObject({ station: { id: 'st-a' } });
    // Live: st-b's state goes out first, so it would have arrived before st-a's.
    const live = nextMessage(a, topics.desired('st-a'));
    link.publishDesired('st-b', states['st-b'] as DesiredState);
    link.publishDesired('st-a', states['st-a'] as DesiredState);
    await live;
    expect(got.length).toBeGreaterThan(0);
    expect(got.filter((m) => m.topic !== topics.desired('st-a'))).toEqual([]);
    expect(got.every((m) => JSON.parse(m.body).station.id === 'st-a')).toBe(true);
  });

  it('a station cannot speak for another station nor rewrite its own desired state', async () => {
    const a = await connectStation('st-a');
    // Self-consistent forgeries the controller would accept if the broker passed them on. Mosquitto
    // drops them silently (a v3.1.1 PUBACK has no refusal code) and keeps the connection.
    await a.publishAsync(topics.asRun('st-b'), JSON.stringify({ records: [record('st-b', 'forged')] }), {
      qos: 1,
    });
    const at = new Date().toISOString();
    await a.publishAsync(topics.presence('st-b'), JSON.stringify({ online: true, at }), {
      qos: 1,
      retain: true,
    });
    const fake = { ...states['st-a'], version: 999, slots: [] };
    await a.publishAsync(topics.desired('st-a'), JSON.stringify(fake), { qos: 1, retain: true });
    await roundTrip(a, 'st-a', 'real');
    expect(await playIds()).toEqual(['real']);
    const stations = (await ctl.call('GET', '/api/stations')).body as { id: string; online: boolean }[];
    expect(stations.find((s) => s.id === 'st-b')?.online).toBe(false);
    expect(broker.output()).toMatch(
      /Denied PUBLISH from \S+ \(d0, q1, r0, m\d+, 'loa\/v1\/station\/st-b\/as-run'/,
    );
    // The retained desired state is still the controller's.
    const b = await connectStation('st-a');
    const desired = nextMessage(b, topics.desired('st-a'));
    await b.subscribeAsync(topics.desired('st-a'), { qos: 1 });
    expect(await desired).toMatchObject({ version: states['st-a']?.version, station: { id: 'st-a' } });
  });

  it('the controller link delivers desired states and stores each as-run batch once, acknowledged', async () => {
    const a = await connectStation('st-a');
    const desired = nextMessage(a, topics.desired('st-a'));
    await a.subscribeAsync([topics.desired('st-a'), topics.asRunAck('st-a')], { qos: 1 });
    expect(await desired).toMatchObject({ version: 1, station: { id: 'st-a' } });
    const batch = [record('st-a', 'e1'), record('st-a', 'e2')];
    for (let i = 0; i < 2; i++) expect(await sendAsRun(a, 'st-a', batch)).toEqual({ ids: ['e1', 'e2'] });
    expect((await playIds()).sort()).toEqual(['e1', 'e2']);
    await a.publishAsync(
      topics.presence('st-a'),
      JSON.stringify({ online: true, at: new Date().toISOString() }),
      {
        qos: 1,
      },
    );
    await roundTrip(a, 'st-a', 'e3');
    const stations = (await ctl.call('GET', '/api/stations')).body as { id: string; online: boolean }[];
    expect(stations.find((s) => s.id === 'st-a')?.online).toBe(true);
  });

  it("a station reads the bulletins of the areas of its chain and itself, never another ward's", async () => {
    const a = await connectStation('st-a');
    const got = inbox(a);
    const own = alertFilters({ id: 'st-a', areaPath: ['city', 'd1', 'w-st-a'] });
    const theirs = alertFilters({ id: 'st-b', areaPath: ['city', 'd1', 'w-st-b'] });
    for (const t of [...own, ...theirs, 'loa/v1/alerts/#']) {
      await a.subscribeAsync(t, { qos: 1 }).catch(() => 'refused');
    }
    const send = (target: Target, id: string) =>
      link.publish(topics.alert(target, id), `{"id":"${id}"}`, { retain: true });
    send({ scope: 'area', id: 'w-st-b' }, 'al-their-ward');
    send({ scope: 'station', id: 'st-b' }, 'al-their-station');
    send({ scope: 'area', id: 'd2' }, 'al-other-district');
    for (const [id, name] of [
      ['city', 'al-city'],
      ['d1', 'al-district'],
      ['w-st-a', 'al-ward'],
    ] as const)
      send({ scope: 'area', id } as Target, name);
    send({ scope: 'station', id: 'st-a' }, 'al-last');
    await vi.waitFor(() => expect(got.map((m) => JSON.parse(m.body).id)).toContain('al-last'));
    expect([...new Set(got.map((m) => JSON.parse(m.body).id))].sort()).toEqual([
      'al-city',
      'al-district',
      'al-last',
      'al-ward',
    ]);
    // a station cannot publish a bulletin (dropped by Mosquitto)
    const b = await connectStation('st-b');
    const gotB = inbox(b);
    await b.subscribeAsync(alertFilters({ id: 'st-b', areaPath: ['city', 'd1', 'w-st-b'] }), { qos: 1 });
    await a.publishAsync(topics.alert({ scope: 'area', id: 'city' }, 'al-forged'), '{"id":"al-forged"}', {
      qos: 1,
      retain: true,
    });
    send({ scope: 'station', id: 'st-b' }, 'al-marker');
    await vi.waitFor(() => expect(gotB.map((m) => JSON.parse(m.body).id)).toContain('al-marker'));
    expect(gotB.map((m) => JSON.parse(m.body).id)).not.toContain('al-forged');
    expect(broker.output()).toMatch(/Denied PUBLISH .*'loa\/v1\/alerts\/area\/city\/al-forged'/);
  });

  it('a revoked station is cut off and refused once the files are regenerated and Mosquitto reloads', async () => {
    const a = await connectStation('st-a');
    const b = await connectStation('st-b');
    const aClosed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    ctl.db.prepare('UPDATE stations SET secret_revoked = 1 WHERE id = ?').run('st-a');
    const regenerated = files();
    expect(regenerated.excluded).toEqual([{ id: 'st-a', reason: 'secret revoked' }]);
    broker.write(regenerated);
    await broker.reload();
    // On reload Mosquitto re-checks every connected client against the new password file.
    await aClosed;
    await expect(connectStation('st-a')).rejects.toThrow(/Not authorized/);
    // Everyone else keeps their connection.
    expect(b.connected).toBe(true);
    expect(link.connected).toBe(true);
    await roundTrip(b, 'st-b', 'after-reload');
    expect(await playIds()).toEqual(['after-reload']);
  });
});
