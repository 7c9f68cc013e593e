// Finds the ffmpeg and ffprobe binaries: an explicit setting, then PATH, then the npm static builds.
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  // empty PATH entries mean "current directory"; never pick a binary from wherever we happen to run
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function fromNpm(pkg: string): string | null {
  try {
    const file = (createRequire(import.meta.url)(pkg) as { path: string }).path;
    // some installs skip postinstall scripts, which is what normally sets the mode bits
    if (!isExecutableFile(file)) chmodSync(file, statSync(file).mode | 0o100);
    return isExecutableFile(file) ? file : null;
  } catch {
    return null; // the package throws (a string!) on unsupported platforms
  }
}

function resolveOne(name: string, envVar: string, pkg: string, env: NodeJS.ProcessEnv): string {
  const explicit = env[envVar];
  if (explicit) {
    // an explicit setting that is wrong should fail loudly, not silently use another binary
    if (!isExecutableFile(explicit)) throw new Error(`${envVar}=${explicit} is not an executable file`);
    return resolve(explicit);
  }
  const found = findOnPath(name, env) ?? fromNpm(pkg);
  if (found) return found;
  throw new Error(
    `cannot find ${name}: tried $${envVar} (unset), ${name} on PATH, and the npm package ${pkg}`,
  );
}

export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegPaths {
  return {
    ffmpeg: resolveOne('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg', env),
    ffprobe: resolveOne('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe', env),
  };
}
