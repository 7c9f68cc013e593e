// An HLS stand-in: a live playlist of 1 s AAC segments written by a real ffmpeg in real time, served by a
// static Node HTTP server with the content types HLS servers send.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { waitFor } from '../../support/wait.ts';
import { paths } from '../fixtures.ts';

const TYPES: Record<string, string> = { m3u8: 'application/vnd.apple.mpegurl', ts: 'video/mp2t' };

export async function startHlsUpstream(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const enc = spawn(
    paths.ffmpeg,
    [
      ...[
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:r=48000',
      ],
      ...['-ac', '1', '-c:a', 'aac', '-b:a', '64k', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '4'],
      ...['-hls_flags', 'delete_segments+omit_endlist', join(dir, 'live.m3u8')],
    ],
    { stdio: 'ignore' },
  );
  const server = createServer((req, res) => {
    const file = join(dir, basename(new URL(req.url ?? '/', 'http://x').pathname));
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  // a playlist once it names two segments: a player joins a few segments from its live end
  await waitFor(() => existsSync(join(dir, 'live1.ts')), 10_000, 'the HLS playlist');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/live.m3u8`,
    close: () =>
      new Promise<void>((r) => {
        enc.kill('SIGKILL');
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
