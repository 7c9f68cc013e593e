// End to end: nobody but the controller can make a loudspeaker say anything. The controller and an agent
// run as processes. With the embedded broker as shipped, a station's own credentials cannot even publish
// a desired state or a bulletin. Over a broker that lets them (a compromised or misconfigured one), a
// forged desired state and a forged bulletin published with the station's own secret reach the agent,
// which refuses them, changes nothing and reports the refusal the controller shows; the genuine ones still
// work. An as-run batch with a record missing from its chain is flagged on the station.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { chainNext } from '../../common/chain.ts';
import { enrol, storeSecret } from '../../edge-agent/cli/enrol.ts';
import { topics } from '../../schedules/protocol.ts';
import { tone } from '../audio/fixtures.ts';
import { startBroker } from '../edge-agent/helpers.ts';
import {
  type ControllerProcess,
  startAgentProcess,
  startControllerProcess,
  writeAgentConfig,
} from '../support/apps.ts';
import { freePort, type Proc } from '../support/process.ts';
import { asRunRecord } from '../support/records.ts';
import { testSigner } from '../support/signing.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const tmp = tempDir('forgery');
const { dir } = tmp;
const ST = 'st-gia-mao';
const procs: Proc[] = [];
let broker: Awaited<ReturnType<typeof startBroker>>;
let ctl: ControllerProcess;
let secret = '';
let agentPort = 0;
const call = (method: string, url: string, body?: unknown) => ctl.call(method, url, body);
const agentStatus = async () =>
  (await (await fetch(`http://127.0.0.1:${agentPort}/api/status`)).json()) as { desiredVersion: number };
/** A client with the station's own credentials (its id and secret), as a thief of them would have. */
const asStation = (url: string) =>
  mqtt.connectAsync(url, { clientId: `forger-${ST}`, username: ST, password: secret, reconnectPeriod: 0 });

beforeAll(async () => {
  // the broker the controller and the station use lets anyone publish anything
  broker = await startBroker();
  ctl = await startControllerProcess({
    dataDir: path.join(dir, 'controller'),
    env: { MQTT_URL: broker.url, MQTT_PASSWORD: 'open-broker' },
  });
  procs.push(ctl.proc);
  expect(
    (
      await call('POST', '/api/stations', {
        id: ST,
        name: 'Đài phường Giả Mạo',
        district: 'd-1',
        ward: 'w-1',
      })
    ).status,
  ).toBe(201);
  // enrolled as at install: the secret and the controller's signing key go into the agent's config
  const { code } = (await call('POST', `/api/stations/${ST}/enrolment`)).body;
  agentPort = await freePort();
  const file = writeAgentConfig(path.join(dir, `${ST}.json`), {
    stationId: ST,
    secret: 'not-yet-enrolled',
    controllerUrl: ctl.api,
    mqttUrl: broker.url,
    dataDir: `./${ST}`,
    audio: `file:./${ST}/speaker`,
    warmUpMs: 300,
    tailMs: 200,
    agentPort,
    agentHttpsPort: 0,
  });
  const enrolled = await enrol(ctl.api, ST, code, { fetch });
  storeSecret(file, enrolled.secret, enrolled.signingKeys);
  secret = enrolled.secret;
  expect(JSON.parse(readFileSync(file, 'utf8')).controllerKeys).toHaveLength(1);
  procs.push(startAgentProcess(file));
  await waitFor(
    async () => (await agentStatus().catch(() => null))?.desiredVersion === 1,
    60_000,
    'the first desired state',
    PROCESS_POLL_MS,
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await broker?.close();
  tmp.cleanup();
});

describe('forged desired states and bulletins', () => {
  it('are refused by the agent and reported; the genuine ones still work', async () => {
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-6000));
    });
    const forger = await asStation(broker.url);
    // the genuine state, as the broker holds it (retained), to tamper with
    const genuine = await new Promise<Record<string, unknown>>((resolve) => {
      forger.on('message', (t, p) => t === topics.desired(ST) && resolve(JSON.parse(p.toString())));
      void forger.subscribeAsync(topics.desired(ST));
    });
    expect(genuine.signature).toMatchObject({ keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const { signature: _, signingKeys: __, ...content } = genuine;
    const loud = {
      ...content,
      version: 50,
      slots: [],
      quietWindows: [],
    };
    const attacker = testSigner();
    const forgedStates = [
      loud, // unsigned
      attacker.desired(loud), // signed by a key of its own, announcing it
      { ...genuine, version: 51 }, // the controller's signature on other content
    ];
    for (const s of forgedStates)
      await forger.publishAsync(topics.desired(ST), JSON.stringify(s), { qos: 1, retain: true });
    const bulletin = {
      id: 'al-gia-mao',
      level: 'emergency',
      title: 'Sơ tán ngay',
      reason: 'Tin giả',
      clip: (genuine.clips as unknown[])[0] ?? {
        id: 'c-x',
        sha256: 'a'.repeat(64),
        durationMs: 1000,
        bytes: 10,
      },
      targets: [{ scope: 'station', id: ST }],
      issuedAt: new Date().toISOString(),
      issuedBy: 'kẻ giả mạo',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      ignoreQuietWindows: true,
      cancelledAt: null,
    };
    const alertTopic = topics.alert({ scope: 'station', id: ST }, bulletin.id);
    await forger.publishAsync(alertTopic, JSON.stringify(bulletin), { qos: 1, retain: true });
    await forger.publishAsync(alertTopic, JSON.stringify(attacker.bulletin(bulletin)), {
      qos: 1,
      retain: true,
    });

    // refused and reported: the controller shows it on the station
    const health = await waitFor(
      async () => {
        const h = (await call('GET', `/api/stations/${ST}`)).body?.health;
        return h?.refused?.count >= 5 ? h : null;
      },
      30_000,
      'the refusals in the station health',
      PROCESS_POLL_MS,
    );
    expect(health.refused.last).toMatchObject({ kind: 'bulletin', reason: 'unknown-key', topic: alertTopic });
    const agentLog = procs[1]?.output() ?? '';
    expect(agentLog).toMatch(/refused a desired state .*: it carries no signature/);
    expect(agentLog).toMatch(
      /refused a desired state .*: its key [0-9a-f]{16} is not one the station trusts/,
    );
    expect(agentLog).toMatch(/refused a desired state .*: its signature does not match its content/);
    expect(agentLog).toMatch(/refused a bulletin .*: it carries no signature/);
    // nothing changed at the station
    expect((await agentStatus()).desiredVersion).toBe(1);
    await forger.endAsync();

    // the genuine ones: a quiet window makes a new desired state; a bulletin is received and reported
    const qw = await call('POST', '/api/quiet-windows', {
      startTime: '01:00',
      endTime: '02:00',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      reason: 'local-event',
      target: { scope: 'station', id: ST },
    });
    expect(qw.status).toBe(201);
    await waitFor(
      async () => (await agentStatus()).desiredVersion === 2,
      30_000,
      'the genuine state',
      PROCESS_POLL_MS,
    );
    const clip = await ctl.upload(tone(path.join(dir, 'alarm.mp3'), 2), 'Cảnh báo thật');
    expect(clip.status).toBe(201);
    const alert = await call('POST', '/api/alerts', {
      level: 'emergency',
      title: 'Cảnh báo thật',
      reason: 'Diễn tập',
      clipId: clip.body.id,
      targets: [{ scope: 'station', id: ST }],
    });
    expect(alert.status).toBe(201);
    await waitFor(
      async () => {
        const rows = (await call('GET', `/api/alerts/${alert.body.id}`)).body?.stations as {
          state: string;
        }[];
        return rows?.some((s) => s.state !== 'pending' && s.state !== 'sent');
      },
      30_000,
      'the genuine bulletin reported by the station',
      PROCESS_POLL_MS,
    );
    // the refusals stayed at five
    expect((await call('GET', `/api/stations/${ST}`)).body.health.refused.count).toBe(5);
    // its as-run record comes chained, and the chain holds
    await waitFor(
      async () => ((await call('GET', `/api/plays?station=${ST}`)).body as unknown[])?.length > 0,
      30_000,
      "the bulletin's as-run record",
      PROCESS_POLL_MS,
    );
    const held = (await call('GET', `/api/stations/${ST}/as-run-chain`)).body;
    expect(held.head).toMatchObject({ seq: 1 });
    expect(held.breaks).toEqual([]);
  }, 120_000);

  it('flags an as-run chain with a record missing, sent with the station credentials', async () => {
    const client = await asStation(broker.url);
    const first = chainNext(asRunRecord('forged-1@2026-12-05', { stationId: ST }), {
      seq: 1000,
      hash: 'b'.repeat(64),
    });
    const third = chainNext(
      asRunRecord('forged-3@2026-12-05', { stationId: ST }),
      chainNext(asRunRecord('x', { stationId: ST }), first),
    );
    await client.publishAsync(topics.asRun(ST), JSON.stringify({ records: [first, third] }), { qos: 1 });
    await client.endAsync();
    // (the station's own records may come in between: the gap is found among the breaks)
    const gap = await waitFor(
      async () => {
        const { breaks } = (await call('GET', `/api/stations/${ST}/as-run-chain`)).body;
        return (breaks as { kind: string; missing: { from: number } | null }[]).find(
          (b) => b.kind === 'gap' && b.missing?.from === 1002,
        );
      },
      20_000,
      'the chain flagged',
      PROCESS_POLL_MS,
    );
    expect(gap).toMatchObject({ missing: { from: 1002, to: 1002 }, recordIds: [first.id, third.id] });
    expect((await call('GET', `/api/stations/${ST}`)).body.asRunChain.breaks).toBeGreaterThanOrEqual(1);
  });
});
