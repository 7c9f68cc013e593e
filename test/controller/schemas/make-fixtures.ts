// Builds a fixture of every earlier schema of the controller's database (v1.sql ... v{N-1}.sql; schema 6
// is the legacy fixture itself) from the
// legacy fixture: a real database made through the API of the release at schema 6 (commit a773c69, see
// ../areas/legacy/make-fixture.ts). An earlier schema keeps the tables and columns it had of those rows;
// a later one is that database as each release's migrations left it. Run when a release adds a
// migration; it writes only the fixtures that are missing, so those made before stay as they were, and
// a change to an old migration shows in the upgrade test:
//   npx tsx test/controller/schemas/make-fixtures.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb, schemaVersion } from '../../../controller/db.ts';
import { copyRowsInto, dump } from '../../support/sql-dump.ts';
import { tempDir } from '../../support/temp.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const LEGACY = path.join(HERE, '../areas/legacy/legacy.sql');
const LEGACY_VERSION = 6;

function legacyAt(file: string): void {
  const db = new Database(file);
  db.exec(readFileSync(LEGACY, 'utf8'));
  db.close();
}

const tmp = tempDir('schema-fixtures');
const legacyFile = path.join(tmp.dir, 'legacy.db');
legacyAt(legacyFile);
for (let v = 1; v < schemaVersion(); v++) {
  const out = path.join(HERE, `v${v}.sql`);
  if (v === LEGACY_VERSION || existsSync(out)) continue; // schema 6 is the legacy fixture itself
  const file = path.join(tmp.dir, `v${v}.db`);
  if (v < LEGACY_VERSION) {
    openDb(file, { upTo: v }).close();
    copyRowsInto(file, legacyFile, ['api_tokens']);
  } else {
    legacyAt(file);
    openDb(file, { upTo: v }).close();
  }
  writeFileSync(out, dump(file));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
tmp.cleanup();
