// What an operator sees of the controller's load: /metrics with the load figures and prom-client's process
// metrics beside the stored counts, and logs as readable lines or, with LOG_FORMAT=json, JSON objects.
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { createLogger, silentLogger } from '../../../common/log.ts';
import { loadConfig } from '../../../controller/config.ts';
import { openDb } from '../../../controller/db.ts';
import { createApp } from '../../../controller/http/app.ts';
import { createLoadMetrics } from '../../../controller/mqtt/load.ts';
import { tempDir } from '../../support/temp.ts';

const tmp = tempDir('observability');
afterAll(() => tmp.cleanup());

describe('/metrics', () => {
  it('shows stations connected, ingest, desired-state publishing, event-loop lag and memory', async () => {
    const config = loadConfig({ DATA_DIR: tmp.dir, ADMIN_PASSWORD: 'observability-password' });
    const db = openDb(path.join(tmp.dir, 'controller.db'));
    const metrics = createLoadMetrics({ connectedStations: () => 42 });
    metrics.ingested({ messages: new Map([['as-run', 3]]), records: 250, lagMs: 12 });
    metrics.desiredPublished(10_000, 1800);
    const app = createApp(
      {
        config,
        db,
        clock: { now: () => new Date() },
        ffmpeg: resolveFfmpeg(process.env),
        desired: { sync() {} },
        log: silentLogger,
      },
      { mqttConnected: () => true, metrics },
    );
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    db.close();
    for (const line of [
      'loa_stations 0',
      'loa_mqtt_stations_connected 42',
      'loa_ingest_asrun_records_total 250',
      'loa_ingest_messages_total{kind="as-run"} 3',
      'loa_ingest_lag_seconds_count 1',
      'loa_desired_published_total 10000',
      'loa_desired_publish_seconds_bucket{le="2.5"} 1',
    ])
      expect(text).toContain(`${line}\n`);
    // prom-client's defaults: the ecosystem's names for the process's own figures
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
  });
});

describe('logs', () => {
  const at = { now: () => new Date('2026-03-02T01:02:03.000Z') };
  it('are one JSON object per line with LOG_FORMAT=json', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const log = createLogger('controller', at, 'json', sink as never);
    log.info('mqtt: connected');
    log.warn('mqtt: dropped "x"\non two lines');
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { level: 'info', time: '2026-03-02T01:02:03.000Z', part: 'controller', msg: 'mqtt: connected' },
      {
        level: 'warn',
        time: '2026-03-02T01:02:03.000Z',
        part: 'controller',
        msg: 'mqtt: dropped "x"\non two lines',
      },
    ]);
  });

  it('stay readable by default, and LOG_FORMAT takes only the formats there are', () => {
    expect(loadConfig({}).logFormat).toBe('text');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});
