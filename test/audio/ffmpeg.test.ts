// resolveFfmpeg's lookup order (env, PATH, npm static binaries) and its error when nothing is found.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../audio/index.ts';
import { tempDir } from '../support/temp.ts';
import { npmPaths } from './fixtures.ts';

const tmp = tempDir('resolve');
afterAll(() => tmp.cleanup());

const runs = (bin: string) => execFileSync(bin, ['-version'], { encoding: 'utf8' }).split('\n')[0];

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_PATH / FFPROBE_PATH', () => {
    const env = { FFMPEG_PATH: npmPaths.ffmpeg, FFPROBE_PATH: npmPaths.ffprobe, PATH: '/usr/bin:/bin' };
    expect(resolveFfmpeg(env)).toEqual(npmPaths);
  });

  it('refuses an explicit path that is not an executable file', () => {
    expect(() => resolveFfmpeg({ FFMPEG_PATH: join(tmp.dir, 'nope'), PATH: '/usr/bin' })).toThrow(
      /FFMPEG_PATH/,
    );
  });

  it('searches PATH directories for executables', () => {
    const bin = join(tmp.dir, 'bin');
    mkdirSync(bin);
    for (const name of ['ffmpeg', 'ffprobe']) {
      copyFileSync('/bin/true', join(bin, name));
      chmodSync(join(bin, name), 0o755);
    }
    // a non-executable ffmpeg earlier on PATH is skipped
    const shadow = join(tmp.dir, 'shadow');
    mkdirSync(shadow);
    copyFileSync('/bin/true', join(shadow, 'ffmpeg'));
    chmodSync(join(shadow, 'ffmpeg'), 0o644);
    expect(resolveFfmpeg({ PATH: `${shadow}::${bin}` })).toEqual({
      ffmpeg: join(bin, 'ffmpeg'),
      ffprobe: join(bin, 'ffprobe'),
    });
  });

  it('falls back to the npm static binaries when PATH has none, and they run', () => {
    const found = resolveFfmpeg({ PATH: '' });
    expect(found.ffmpeg).toMatch(/@ffmpeg-installer/);
    expect(found.ffprobe).toMatch(/@ffprobe-installer/);
    expect(runs(found.ffmpeg)).toMatch(/^ffmpeg version/);
    expect(runs(found.ffprobe)).toMatch(/^ffprobe version/);
  });
});
