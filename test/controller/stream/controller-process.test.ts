// `npm run controller` with its stream server: the embedded Icecast starts with it (status and metrics
// say so) and stops with it; with ICECAST_PORT=off, or no icecast2, the rest runs and says why in one line.
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startControllerProcess } from '../../support/apps.ts';
import { freePort } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the controller process and its stream server', () => {
  it('starts the embedded Icecast, shows it in status and metrics, and stops it on SIGTERM', async () => {
    const tmp = tempDir('ctl-stream');
    chmodSync(tmp.dir, 0o755);
    const ctl = await startControllerProcess({
      dataDir: tmp.dir,
      env: { ICECAST_PORT: String(await freePort()), ICECAST_HOST: '127.0.0.1' },
    });
    try {
      const status = await ctl.call('GET', '/api/stream/status');
      expect(status.body).toMatchObject({ kind: 'embedded', running: true, pulls: [] });
      const metrics = await (await fetch(`${ctl.api}/metrics`)).text();
      expect(metrics).toMatch(/^loa_stream_server_up 1$/m);
      const pid = Number(readFileSync(path.join(tmp.dir, 'icecast', 'log', 'icecast.pid'), 'utf8'));
      expect(alive(pid)).toBe(true);
      expect(ctl.proc.output()).not.toContain(
        JSON.parse(readFileSync(path.join(tmp.dir, 'icecast', 'secrets.json'), 'utf8')).source,
      );
      await ctl.proc.stop('SIGTERM');
      await waitFor(() => !alive(pid), 10_000, 'icecast2 gone', 100);
    } finally {
      await ctl.proc.stop();
      tmp.cleanup();
    }
  }, 60_000);

  it('runs the rest without a stream server, saying so once', async () => {
    const tmp = tempDir('ctl-stream');
    const ctl = await startControllerProcess({ dataDir: tmp.dir, env: { ICECAST_PORT: 'off' } });
    try {
      expect((await ctl.call('GET', '/api/stream/status')).body).toMatchObject({
        kind: 'off',
        running: false,
      });
      expect(ctl.proc.output()).toContain('stream server: off (ICECAST_PORT=off)');
      expect((await ctl.call('GET', '/api/stations')).status).toBe(200);
    } finally {
      await ctl.proc.stop();
      tmp.cleanup();
    }
  }, 60_000);
});
