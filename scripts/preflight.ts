// The first step of `npm test`: finds the system programs the tests run for real, installs the missing
// ones with apt-get when it may (root, or sudo without a password), or stops at once with the command.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * What the tests run, the Debian package that brings it, and why. One list; add new needs here. An
 * `optional` one that cannot be installed does not stop the tests: the tests that need it skip, saying why.
 */
export const SYSTEM_NEEDS: readonly { program: string; pkg: string; why: string; optional?: boolean }[] = [
  { program: 'ffmpeg', pkg: 'ffmpeg', why: 'transcoding, playback and loudness' },
  { program: 'ffprobe', pkg: 'ffmpeg', why: 'probing uploads' },
  { program: 'espeak-ng', pkg: 'espeak-ng', why: 'real speech for the loudness and station tests' },
  { program: 'mosquitto', pkg: 'mosquitto', why: 'the external-broker tests' },
  { program: 'chromium', pkg: 'chromium', why: 'the console and station page browser tests' },
  { program: 'openssl', pkg: 'openssl', why: 'self-signed certificates for the TLS tests' },
  { program: 'icecast2', pkg: 'icecast2', why: 'the stream server of the relay and live-speech tests' },
  {
    program: 'rabbitmq-server',
    pkg: 'rabbitmq-server',
    why: 'the cluster tests (test/cluster/, docs/cluster.md)',
    optional: true,
  },
];

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

const missingPackages = (needs = SYSTEM_NEEDS) => [
  ...new Set(needs.filter((n) => !locate(n.program)).map((n) => n.pkg)),
];
const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const pids = (name: string) => {
  try {
    return new Set(execFileSync('pgrep', ['-x', name]).toString().split('\n').filter(Boolean));
  } catch {
    return new Set<string>();
  }
};

/** Installs each group with its own apt-get (an optional package that fails takes no other down). */
function install(groups: string[][]): boolean {
  const pkgs = groups.flat();
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
  // their own brokers and stream servers, so anything the install started is stopped again, by its pid
  // (rabbitmq-server: the Erlang VM and its port mapper).
  const daemons = ['mosquitto', 'icecast2', 'beam.smp', 'epmd'];
  const before = daemons.map(pids);
  const done =
    run(['apt-get', 'update', '-qq']) &&
    groups
      .filter((g) => g.length > 0)
      .map((g) => run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...g]))
      .every(Boolean);
  daemons.forEach((name, i) => {
    for (const pid of pids(name)) if (!before[i]?.has(pid)) process.kill(Number(pid), 'SIGTERM');
  });
  return done;
}

function main(): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const required = SYSTEM_NEEDS.filter((n) => !n.optional);
  const optionalNeeds = SYSTEM_NEEDS.filter((n) => n.optional);
  if (install([missingPackages(required), missingPackages(optionalNeeds)]) && missingPackages().length === 0)
    return;
  const still = missingPackages(required);
  const optional = missingPackages(optionalNeeds);
  for (const n of optionalNeeds.filter((n) => optional.includes(n.pkg)))
    console.warn(
      `preflight: ${n.program} is missing, so ${n.why} skip; install it with\n` +
        `  sudo apt-get install -y --no-install-recommends ${n.pkg}`,
    );
  if (still.length === 0) return;
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
