// `npm run agent-pin`: the PIN's scrypt hash (salt and parameters in the string) written into the agent's
// config, the other keys untouched, the file kept private; and the hash checks.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../edge-agent/config/config.ts';
import { hashPin, parsePinHash, pinProblem, verifyPin } from '../../../edge-agent/local/auth.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

const root = resolve(import.meta.dirname, '../../..');
const runPin = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'edge-agent/cli/pin.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });

describe('the station PIN', () => {
  let tmp: TempDir;
  let file: string;
  const base = {
    stationId: 'st-an-binh',
    secret: 'st_secret-123456',
    controllerUrl: 'https://controller.example.vn',
    mqttUrl: 'mqtts://controller.example.vn:8883',
    dataDir: '/var/lib/loa',
    relays: [{ name: 'amp', pin: 17, activeLow: false }],
  };
  beforeEach(() => {
    tmp = tempDir();
    file = join(tmp.dir, 'agent.json');
    writeFileSync(file, JSON.stringify(base, null, 2), { mode: 0o644 });
  });
  afterEach(() => tmp.cleanup());

  it('hashes with scrypt, salt and parameters in the string, and verifies only the same PIN', async () => {
    const hash = await hashPin('2468');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(hash).not.toBe(await hashPin('2468')); // a new salt each time
    expect(await verifyPin('2468', hash)).toBe(true);
    expect(await verifyPin('2469', hash)).toBe(false);
    expect(await verifyPin('', hash)).toBe(false);
    expect(await verifyPin('2468', 'scrypt$AAAA$AAAA')).toBe(false);
    expect(parsePinHash('scrypt$3$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==')).toBeNull(); // N not a power of 2
    expect(pinProblem('123')).toMatch(/at least 4/);
    expect(pinProblem('mật khẩu')).toBeNull();
  });

  it('writes localPinHash into the config from --pin, mode 600, other keys untouched', async () => {
    chmodSync(file, 0o604); // world-readable: no longer after
    const r = runPin(['--config', file, '--pin', '2468']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('PIN set');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject(base);
    expect(Object.keys(written)).toEqual([...Object.keys(base), 'localPinHash']);
    expect(await verifyPin('2468', written.localPinHash)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseConfig(written, tmp.dir).localPinHash).toBe(written.localPinHash);
    expect(readFileSync(file, 'utf8')).not.toContain('2468');
  });

  it('reads the PIN from stdin, keeps a group-readable file group-readable, and refuses a short PIN', async () => {
    chmodSync(file, 0o640);
    const r = runPin(['--config', file], 'mat-khau-phuong\n');
    expect(r.status, r.stderr).toBe(0);
    const hash = JSON.parse(readFileSync(file, 'utf8')).localPinHash;
    expect(await verifyPin('mat-khau-phuong', hash)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o640);

    const before = readFileSync(file, 'utf8');
    const short = runPin(['--config', file, '--pin', '12']);
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 4');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(runPin([]).status).toBe(2);
  });

  it('is run as npm run agent-pin', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts['agent-pin']).toBe('tsx edge-agent/cli/pin.ts');
    const out = execFileSync(
      'npm',
      ['run', '--silent', 'agent-pin', '--', '--config', file, '--pin', '1357'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(out).toContain('PIN set');
  });
});
