// The hostile-input suite's controller: seeded objects to aim at, and one door for every request that
// checks the answer (no 5xx, a reason on every refusal, no leak) and that a refusal stored nothing.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { clipPath } from '../../../controller/clips/files.ts';
import { hashSecret } from '../../../controller/users/secrets.ts';
import { LEAK } from '../../support/clip-store.ts';
import { makeController } from '../../support/controller.ts';
import type { Hints } from './hostile-values.ts';

export interface HostileRequest {
  /** what the generator did, for the report of a failing case */
  what: string;
  method: string;
  /** with path parameters filled in */
  path: string;
  /** raw, '' or starting with '?' */
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
}

/** The time of every request: tokens never expire during the suite and sign-in back-off never ends. */
const NOW = new Date('2026-10-05T08:00:00Z');
const CLIP_SHA = 'd'.repeat(64);
/** The one request that ends the caller's own session. */
const SIGN_OUT = '/api/auth/logout';

export async function createHostileHarness() {
  const ctl = await makeController(
    { now: () => NOW },
    { API_RATE_PER_SEC: '1000000' },
    { liveSessions: true },
  );
  const { db, dataDir } = ctl;
  let cases = 0;
  let accepted = 0;

  /** The objects requests aim at; created again when a request deleted them. */
  async function seed() {
    for (const [id, ward] of [
      ['st-a', 'w-1'],
      ['st-b', 'w-2'],
    ])
      await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, district: 'd-1', ward });
    db.prepare(
      `INSERT OR IGNORE INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 'Thông báo', 'a.opus', 'ogg/opus', ?, 10, 1000, '2026-01-01T00:00:00Z')`,
    ).run(CLIP_SHA);
    mkdirSync(path.dirname(clipPath(dataDir, CLIP_SHA)), { recursive: true });
    writeFileSync(clipPath(dataDir, CLIP_SHA), Buffer.alloc(10, 1));
    const rule = { weekdays: [1], startDate: '2026-11-01', endDate: '2026-12-31', target: { scope: 'city' } };
    await ctl.call('POST', '/api/campaigns', {
      id: 'camp-a',
      name: 'c',
      startDate: '2026-11-01',
      endDate: '2026-12-31',
    });
    await ctl.call('POST', '/api/slots', { ...rule, id: 'slot-a', clipIds: ['clip-a'], startTime: '06:30' });
    await ctl.call('POST', '/api/quiet-windows', {
      ...rule,
      id: 'qw-a',
      startTime: '07:00',
      endTime: '11:00',
      reason: 'online-class',
    });
    await ctl.call('POST', '/api/airtime-policies', {
      id: 'pol-a',
      target: { scope: 'district', id: 'd-1' },
      policy: { maxSessionsPerDay: 2 },
    });
    snapshot = stateOf();
  }

  // a user requests may edit: the admin's own account is not put at stake
  const target = await ctl.call('POST', '/api/users', {
    username: 'hostile-target',
    role: 'technician',
    districts: ['d-1'],
    password: 'mat-khau-thu-nghiem',
  });
  expect(target.status).toBe(201);
  const ids: Record<string, string[]> = {
    stations: ['st-a', 'st-b'],
    users: [String(target.body.id)],
    clips: ['clip-a'],
    campaigns: ['camp-a'],
    slots: ['slot-a'],
    'quiet-windows': ['qw-a'],
    'airtime-policies': ['pol-a'],
  };
  /** Plausible values for body fields that refer to stored objects. */
  const hints: Hints = {
    clipId: ['clip-a'],
    clipIds: [['clip-a']],
    campaignId: ['camp-a', null],
    campaign: ['camp-a'],
    stationId: ['st-a'],
    station: ['st-a'],
    district: ['d-1'],
    districts: [['d-1']],
    ward: ['w-1'],
  };
  /** A path with its parameters filled: a stored object's id, or one that does not exist. */
  const concretePaths = (template: string): string[] => {
    const resource = /\/([\w-]+)\/\{\w+\}/.exec(template)?.[1] ?? '';
    return [...(ids[resource] ?? []), 'no-such-id'].map((id) => template.replace(/\{\w+\}/g, id));
  };

  /** Every table but the audit log (which records refusals too, by design), hashed. */
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  ).filter((t) => t !== 'audit_log' && !t.startsWith('sqlite_'));
  // SQLite counts every row this connection (the app's only one) writes: an unchanged count proves a
  // request wrote nothing, so tables are hashed only after a write (~1.4 ms each, ~900 times a run)
  // instead of around each of ~9,000 refusals (3.6 ms a hash at the end of a run: 30 s or more)
  const withoutRowid = new Set(
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%'")
      .pluck()
      .all() as string[],
  );
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const lastAudit = db.prepare('SELECT COALESCE(MAX(id), 0) FROM audit_log').pluck();
  const stateOf = () => {
    const hash = createHash('sha256');
    // ORDER BY 1: tables without a rowid (the as-run summaries) are in their key's order anyway
    for (const t of tables)
      hash.update(
        JSON.stringify(
          db
            .prepare(`SELECT * FROM "${t}" ORDER BY ${withoutRowid.has(t) ? 1 : 'rowid'}`)
            .raw()
            .all(),
        ),
      );
    return { changes: totalChanges.get() as number, hash: hash.digest('hex') };
  };
  let snapshot = stateOf();
  const tmpFiles = () => readdirSync(path.join(dataDir, 'tmp')).sort().join('\n');

  /**
   * A token for a sign-out to end: minted straight into the database, since signing in costs a
   * password hash.
   */
  function throwawayToken(): string {
    const token = `ut_${randomBytes(18).toString('base64url')}`;
    db.prepare(
      'INSERT INTO api_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, 1, ?, ?)',
    ).run(hashSecret(token), new Date(NOW.getTime() + 3_600_000).toISOString(), NOW.toISOString());
    snapshot = stateOf();
    return token;
  }

  /** Sends one request and checks everything the suite promises about its answer. */
  async function send(req: HostileRequest): Promise<number> {
    cases++;
    const auth = req.path === SIGN_OUT ? throwawayToken() : ctl.token;
    const audit = lastAudit.get() as number;
    const tmp = tmpFiles();
    const res = await ctl.app.request(`${req.path}${req.query}`, {
      method: req.method,
      headers: { authorization: `Bearer ${auth}`, ...req.headers },
      body: req.body,
    });
    const raw = Buffer.from(await res.arrayBuffer()).toString('utf8');
    const where = `${req.method} ${req.path}${req.query.slice(0, 300)} [${req.what}] -> ${res.status} ${raw.slice(0, 300)}`;
    expect(res.status, where).toBeLessThan(500);
    if (res.status < 400) {
      accepted++;
      if (totalChanges.get() !== snapshot.changes) snapshot = stateOf();
      return res.status;
    }
    const body = JSON.parse(raw) as { error?: unknown; message?: unknown };
    expect(typeof body.error === 'string' && body.error !== '', where).toBe(true);
    expect(typeof body.message === 'string' && body.message.trim() !== '', where).toBe(true);
    expect(raw, where).not.toMatch(LEAK);
    expect(raw.includes(dataDir), where).toBe(false);
    // a refusal stored nothing: no table changed (the fast check first), no audit entry but of a refusal
    if (totalChanges.get() !== snapshot.changes) {
      const now = stateOf();
      expect(now.hash, where).toBe(snapshot.hash);
      snapshot = now;
    }
    const auditedSuccesses = db
      .prepare('SELECT COUNT(*) FROM audit_log WHERE id > ? AND status < 400')
      .pluck()
      .get(audit);
    expect(auditedSuccesses, where).toBe(0);
    expect(tmpFiles(), where).toBe(tmp);
    return res.status;
  }

  await seed();
  return {
    ctl,
    hints,
    concretePaths,
    send,
    seed,
    get cases() {
      return cases;
    },
    /** How many requests sent were accepted (valid ones come out of the generators too). */
    get accepted() {
      return accepted;
    },
    /** Counts cases tried other than through `send` (MQTT messages, accepted edits). */
    tried(n = 1) {
      cases += n;
    },
    /** A hash of every stored row but the audit log's. */
    fingerprint: () => stateOf().hash,
    cleanup: () => ctl.cleanup(),
  };
}
