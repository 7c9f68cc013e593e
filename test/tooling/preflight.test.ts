// `npm test` on a machine without the system programs stops in its first seconds with the command to run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { locate, SYSTEM_NEEDS } from '../../scripts/preflight.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

it('finds every program the tests need on this machine (an optional one: its tests skip, saying so)', () => {
  expect(SYSTEM_NEEDS.filter((n) => !n.optional && !locate(n.program)).map((n) => n.program)).toEqual([]);
});

it('without them and without apt-get, stops at once and prints the one command that installs them', () => {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/preflight.ts'], {
    cwd: ROOT,
    env: { ...process.env, PATH: '/nonexistent' },
    encoding: 'utf8',
  });
  expect(run.status).toBe(1);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(run.stderr).toContain('ffmpeg: transcoding, playback and loudness');
  expect(run.stderr).toMatch(
    /sudo apt-get update && sudo apt-get install -y --no-install-recommends ffmpeg espeak-ng .*chromium openssl/,
  );
});
