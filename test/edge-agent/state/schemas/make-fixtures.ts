// Builds a fixture of every earlier schema of the agent's store (v1.sql ... v{N-1}.sql): a store of this
// version filled through its own methods (a desired state, a cached clip, done entries and the outbox,
// an override, a bulletin with its statuses, a local clip, meta), its rows copied into each earlier
// schema as far as that schema had the tables and columns. Run when the agent adds a migration; it
// writes only the fixtures that are missing, so those made before stay as they were:
//   npx tsx test/edge-agent/state/schemas/make-fixtures.ts
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateStore, openStore, STORE_VERSION } from '../../../../edge-agent/state/store.ts';
import {
  alertRecord,
  asRunRecord,
  clipBytes,
  clipRef,
  overrideRecord,
  STATION,
} from '../../../support/records.ts';
import { copyRowsInto, dump } from '../../../support/sql-dump.ts';
import { tempDir } from '../../../support/temp.ts';
import { desired, slot } from '../../helpers.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const tmp = tempDir('agent-schema-fixtures');
const full = path.join(tmp.dir, 'full');
const store = openStore(full);
const clip = clipRef('clip-tin-sang', clipBytes('tin sang'));
store.applyDesired(
  desired(7, { slots: [slot('sang', '06:30', [clip.id])], clips: [clip] }),
  '2026-11-20T00:00:00.000Z',
);
store.putClip({
  id: clip.id,
  sha256: clip.sha256,
  path: `clips/${clip.sha256}`,
  bytes: clip.bytes,
  fetchedAt: '2026-11-20T00:01:00.000Z',
});
store.touchClip(clip.id, '2026-11-21T23:30:00.000Z');
const played = asRunRecord('sang@2026-11-21T23:30:00.000Z', { scheduledAt: '2026-11-21T23:30:00.000Z' });
store.markStarted(played.entryId, played, '2026-11-21T23:29:58.000Z');
store.recordOutcome(played);
store.putOverride(
  overrideRecord({
    id: 'ov-1',
    stationId: STATION,
    kind: 'pause',
    startsAt: '2026-11-22T01:00:00.000Z',
    endsAt: '2026-11-22T02:00:00.000Z',
  }),
);
store.receiveAlert(
  alertRecord('alert-1', clip, {
    issuedAt: '2026-11-22T03:00:00.000Z',
    expiresAt: '2026-11-22T04:00:00.000Z',
  }),
  '2026-11-22T03:00:01.000Z',
);
store.alertStarted('alert-1', '2026-11-22T03:00:02.000Z');
store.putLocalClip({
  id: 'local-1',
  title: 'Thông báo họp tổ',
  durationMs: 42_000,
  createdBy: 'Chị Lan',
  createdAt: '2026-11-22T05:00:00.000Z',
});
store.setMeta('clock-offset-ms', '3');
store.close();

for (let v = 1; v < STORE_VERSION; v++) {
  const out = path.join(HERE, `v${v}.sql`);
  if (existsSync(out)) continue;
  const dir = path.join(tmp.dir, `v${v}`);
  const file = path.join(dir, 'agent.db');
  mkdirSync(dir);
  const db = new Database(file);
  migrateStore(db, dir, v);
  db.close();
  copyRowsInto(file, path.join(full, 'agent.db'));
  writeFileSync(out, dump(file));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
tmp.cleanup();
