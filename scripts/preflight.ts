// The first step of `npm test`: finds the system programs the tests run for real, installs the missing
// ones with apt-get when it may (root, or sudo without a password), or stops at once with the command.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** What the tests run, the Debian package that brings it, and why. One list; add new needs here. */
export const SYSTEM_NEEDS = [
  { program: 'ffmpeg', pkg: 'ffmpeg', why: 'transcoding, playback and loudness' },
  { program: 'ffprobe', pkg: 'ffmpeg', why: 'probing uploads' },
  { program: 'espeak-ng', pkg: 'espeak-ng', why: 'real speech for the loudness and station tests' },
  { program: 'mosquitto', pkg: 'mosquitto', why: 'the external-broker tests' },
  { program: 'chromium', pkg: 'chromium', why: 'the console and station page browser tests' },
  { program: 'openssl', pkg: 'openssl', why: 'self-signed certificates for the TLS tests' },
  { program: 'icecast2', pkg: 'icecast2', why: 'the stream server of the relay and live-speech tests' },
] as const;

// Debian puts daemons in /usr/sbin, which a non-root PATH often lacks.
const SEARCH = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'].filter(Boolean);

export function locate(program: string): string | null {
  for (const dir of SEARCH) {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return path.join(dir, program);
    } catch {}
  }
  return null;
}

const missingPackages = () => [
  ...new Set(SYSTEM_NEEDS.filter((n) => !locate(n.program)).map((n) => n.pkg as string)),
];
const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const pids = (name: string) => {
  try {
    return new Set(execFileSync('pgrep', ['-x', name]).toString().split('\n').filter(Boolean));
  } catch {
    return new Set<string>();
  }
};

function install(pkgs: string[]): boolean {
  const root = process.getuid?.() === 0;
  if (!locate('apt-get') || !(root || ok('sudo', ['-n', 'true']))) return false;
  const sudo = root ? [] : ['sudo', '-n'];
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...sudo, ...args] as [string, ...string[]];
    return (
      spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
        .status === 0
    );
  };
  console.log(`preflight: installing ${pkgs.join(' ')} with apt-get (the tests run them for real)`);
  // A package's install script may start its service (mosquitto, icecast2 on port 8000): the tests start
  // their own brokers and stream servers, so anything the install started is stopped again, by its pid.
  const daemons = ['mosquitto', 'icecast2'];
  const before = daemons.map(pids);
  const done =
    run(['apt-get', 'update', '-qq']) &&
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
  daemons.forEach((name, i) => {
    for (const pid of pids(name)) if (!before[i]?.has(pid)) process.kill(Number(pid), 'SIGTERM');
  });
  return done;
}

function main(): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (install(missing) && missingPackages().length === 0) return;
  const still = missingPackages();
  const needs = SYSTEM_NEEDS.filter((n) => still.includes(n.pkg)).map((n) => `  ${n.program}: ${n.why}`);
  console.error(
    [
      `npm test needs system programs that are missing:`,
      ...needs,
      'Install them, then run npm test again:',
      `  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${still.join(' ')}`,
    ].join('\n'),
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
