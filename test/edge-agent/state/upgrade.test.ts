// The agent's store follows the controller's rules: from every earlier schema (schemas/v*.sql) it
// migrates after a copy of the old file, keeps every row it had, and reads them; a store written by a
// newer agent is refused before anything in it is changed.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, STORE_VERSION, StoreTooNew } from '../../../edge-agent/state/store.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir('agent-upgrade');
});
afterEach(() => tmp.cleanup());

const load = (v: number) => {
  const dir = path.join(tmp.dir, `v${v}`);
  mkdirSync(dir);
  const db = new Database(path.join(dir, 'agent.db'));
  db.exec(readFileSync(path.join(HERE, `schemas/v${v}.sql`), 'utf8'));
  const counts = Object.fromEntries(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).map((t) => [
      t,
      db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get(),
    ]),
  );
  db.close();
  return { dir, counts };
};

describe('the agent store upgraded', () => {
  const versions = Array.from({ length: STORE_VERSION - 1 }, (_, i) => i + 1);
  it.each(versions)('from schema %i: a copy first, every row kept and read', (v) => {
    const { dir, counts } = load(v);
    const store = openStore(dir);
    expect(store.desiredVersion()).toBe(7);
    expect(store.getClip('clip-tin-sang')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.outboxLength()).toBe(1);
    expect(store.isDone('sang@2026-11-21T23:30:00.000Z')).toBe(true);
    store.close();
    const copy = path.join(dir, `agent.db.before-v${STORE_VERSION}`);
    expect(existsSync(copy)).toBe(true);
    const before = new Database(copy, { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(v);
    before.close();
    const db = new Database(path.join(dir, 'agent.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(STORE_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const [t, n] of Object.entries(counts))
      expect(db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get(), t).toBe(n);
    db.close();
  });

  it('refuses a store of a newer agent and leaves it as it was', () => {
    const dir = path.join(tmp.dir, 'newer');
    openStore(dir).close();
    const file = path.join(dir, 'agent.db');
    const db = new Database(file);
    db.pragma(`user_version = ${STORE_VERSION + 1}`);
    db.close();
    const bytes = readFileSync(file);
    expect(() => openStore(dir)).toThrow(StoreTooNew);
    expect(() => openStore(dir)).toThrow(/newer than this agent/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
