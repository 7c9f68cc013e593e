// The stream server's settings (validated once, at start) and what the controller does without one:
// ICECAST_PORT=off, or icecast2 missing, says so in one line and starts nothing.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../controller/config.ts';
import { icecastXml } from '../../../controller/stream/icecast-xml.ts';
import { mountFor } from '../../../controller/stream/pulls.ts';
import { parseListenerCounts } from '../../../controller/stream/server.ts';
import { startStreamService } from '../../../controller/stream/service.ts';
import { tempDir } from '../../support/temp.ts';

const lines = () => {
  const said: string[] = [];
  const log = {
    info: (m: string) => said.push(m),
    warn: (m: string) => said.push(m),
    error: (m: string) => said.push(m),
  };
  return { said, log };
};

describe('stream server settings and start', () => {
  it('embeds Icecast on 8000 by default, none with ICECAST_PORT=off, an existing one by ICECAST_URL', () => {
    expect(loadConfig({}).stream).toEqual({ kind: 'embedded', host: '0.0.0.0', port: 8000, publicUrl: null });
    expect(loadConfig({ ICECAST_PORT: 'off' }).stream).toBeNull();
    expect(loadConfig({ ICECAST_URL: 'http://source:pw@radio.local:8001' }).stream).toMatchObject({
      kind: 'external',
    });
    expect(() => loadConfig({ ICECAST_URL: 'http://radio.local:8001' })).toThrow(
      /ICECAST_URL is http:\/\/user:password@host:port/,
    );
    expect(() => loadConfig({ ICECAST_PORT: 'eight' })).toThrow(/ICECAST_PORT/);
  });

  it('starts nothing without icecast2, and says how to install it', async () => {
    const tmp = tempDir('stream');
    const { said, log } = lines();
    const service = await startStreamService({
      settings: { kind: 'embedded', host: '127.0.0.1', port: 1, publicUrl: null },
      dataDir: tmp.dir,
      controllerUrl: 'http://127.0.0.1:1',
      ffmpeg: 'ffmpeg',
      log,
      binary: undefined,
      locate: () => null,
    });
    expect(service).toBeNull();
    expect(said).toEqual([expect.stringContaining('sudo apt-get install icecast2')]);
    tmp.cleanup();
  });

  it('names relay mounts by their URL, reads Icecast listener counts, and escapes what it writes', () => {
    expect(mountFor('http://vov1.vov.vn/live.mp3')).toBe(mountFor('http://vov1.vov.vn/live.mp3'));
    expect(mountFor('http://vov1.vov.vn/live.mp3')).not.toBe(mountFor('http://vov2.vov.vn/live.mp3'));
    const xml =
      '<icestats><source mount="/relay/a.ogg"><listeners>3</listeners></source><source mount="/live/b.ogg"><listeners>0</listeners></source></icestats>';
    expect([...parseListenerCounts(xml)]).toEqual([
      ['/relay/a.ogg', 3],
      ['/live/b.ogg', 0],
    ]);
    const conf = icecastXml({
      host: '127.0.0.1',
      port: 8000,
      logDir: '/x',
      sourcePassword: 'a<b',
      adminPassword: 'c&d',
      authUrl: 'http://h/api?token=t&x=1',
    });
    expect(conf).toContain('a&lt;b');
    expect(conf).toContain('token=t&amp;x=1');
    expect(conf).not.toContain('<changeowner>');
  });
});
