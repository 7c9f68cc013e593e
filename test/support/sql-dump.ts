// A SQLite database as SQL text (schema, rows, user_version): fixtures of earlier schemas are kept so.
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
