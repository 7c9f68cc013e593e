// Fixtures of earlier schemas: a SQLite database as SQL text (schema, rows, user_version), and the rows of
// a later database copied into an earlier schema (the tables and columns it had).
import Database from 'better-sqlite3';

/** The database as SQL: schema, rows (sessions left out), user_version. */
export function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  const quote = (v: unknown) =>
    v === null
      ? 'NULL'
      : typeof v === 'number' || typeof v === 'bigint'
        ? String(v)
        : `'${String(v).replaceAll("'", "''")}'`;
  const out = ['PRAGMA foreign_keys = OFF;', 'BEGIN;'];
  const objects = db
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid",
    )
    .all() as { type: string; name: string; sql: string }[];
  for (const o of objects.filter((x) => x.type === 'table')) {
    out.push(`${o.sql};`);
    if (o.name === 'api_tokens') continue;
    for (const row of db.prepare(`SELECT * FROM "${o.name}"`).all() as Record<string, unknown>[]) {
      out.push(`INSERT INTO "${o.name}" VALUES (${Object.values(row).map(quote).join(', ')});`);
    }
  }
  for (const o of objects.filter((x) => x.type === 'index')) out.push(`${o.sql};`);
  out.push(`PRAGMA user_version = ${db.pragma('user_version', { simple: true })};`, 'COMMIT;', '');
  db.close();
  return out.join('\n');
}

const columns = (db: Database.Database, schema: string, table: string) =>
  (db.prepare(`PRAGMA ${schema}.table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);

/** Copies the rows of `source` into the database `file`, keeping only the tables and columns it has. */
export function copyRowsInto(file: string, source: string, skip: string[] = []): void {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.prepare('ATTACH ? AS source').run(source);
  const tables = db
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  for (const t of tables) {
    if (skip.includes(t)) continue;
    const had = new Set(columns(db, 'source', t));
    const shared = columns(db, 'main', t).filter((c) => had.has(c));
    if (!shared.length) continue;
    const list = shared.map((c) => `"${c}"`).join(', ');
    db.exec(`INSERT INTO main."${t}" (${list}) SELECT ${list} FROM source."${t}"`);
  }
  db.exec('DETACH source');
  db.close();
}
