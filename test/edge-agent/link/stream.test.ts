// The agent's own MQTT transport (edge-agent/link/stream.ts): mqtt:// is covered by link.test.ts; here mqtts://
// against a real aedes broker behind TLS with a self-signed certificate: refused when the certificate is not
// trusted, connected when it is (NODE_EXTRA_CA_CERTS, read by node at start: a child process).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createServer } from 'node:tls';
import { Aedes } from 'aedes';
import { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqttStream } from '../../../edge-agent/link/stream.ts';
import { ROOT, spawnCollecting } from '../../support/process.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

describe('MQTT transport of the agent', () => {
  let tmp: TempDir;
  let cert: string;
  let port: number;
  let close: () => Promise<void>;

  beforeAll(async () => {
    tmp = tempDir();
    cert = path.join(tmp.dir, 'cert.pem');
    const key = path.join(tmp.dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'],
        ...[
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost',
          '-keyout',
          key,
          '-out',
          cert,
        ],
      ],
      { stdio: 'pipe' },
    );
    const broker = await Aedes.createBroker();
    const { readFileSync } = await import('node:fs');
    const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    close = async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
  });
  afterAll(async () => {
    await close();
    tmp.cleanup();
  });

  it('makes the transport itself for mqtt:// and mqtts://, and leaves WebSockets to mqtt.js', () => {
    expect(mqttStream('mqtt://127.0.0.1:1883')).toBeTypeOf('function');
    expect(mqttStream('tcp://broker')).toBeTypeOf('function');
    expect(mqttStream('mqtts://controller.example.vn:8883')).toBeTypeOf('function');
    expect(mqttStream('ws://controller.example.vn/mqtt')).toBeNull();
    expect(mqttStream('wss://controller.example.vn/mqtt')).toBeNull();
  });

  it('refuses an mqtts broker whose certificate it does not trust', async () => {
    const stream = mqttStream(`mqtts://localhost:${port}`);
    if (!stream) throw new Error('no stream');
    const client = new MqttClient(stream, { reconnectPeriod: 0, connectTimeout: 5000, writeCache: false });
    const errors: Error[] = [];
    const err = await new Promise<Error>((resolve) =>
      client.on('error', (e) => {
        errors.push(e);
        resolve(e);
      }),
    );
    expect(err.message).toMatch(/self[- ]signed/i);
    expect(client.connected).toBe(false);
    client.end(true);
  });

  it('connects to an mqtts broker whose certificate it trusts, checking the name in the URL', async () => {
    const script = `
      import { MqttClient } from 'mqtt';
      import { mqttStream } from ${JSON.stringify(path.join(ROOT, 'edge-agent/link/stream.ts'))};
      const client = new MqttClient(mqttStream(process.argv[1]), { reconnectPeriod: 0, writeCache: false });
      client.on('connect', () => { console.log('connected'); client.end(true, () => process.exit(0)); });
      client.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
    `;
    const run = async (url: string) => {
      const p = spawnCollecting(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script, url],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
        },
      );
      await p.exited();
      return p.output();
    };
    expect(await run(`mqtts://localhost:${port}`)).toContain('connected');
    // the certificate names localhost, not 127.0.0.1: refused
    expect(await run(`mqtts://127.0.0.1:${port}`)).toMatch(/error .*(IP|altnames)/i);
  }, 30_000);
});
