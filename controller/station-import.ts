// Registering many stations at once from a CSV file (id,name,district,ward[,timezone]); they enrol later.
import { z } from 'zod';
import { hashSecret, newSecret } from './auth.ts';
import type { ControllerDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { StationCreate } from './stations.ts';

const ImportBody = z.strictObject({ csv: z.string().min(1).max(2_000_000) });

/** RFC 4180 fields: commas and quotes inside quoted fields, "" for a quote, CRLF or LF lines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

export function stationImportRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/stations/import',
      tag: 'stations',
      summary:
        'Create or update stations from CSV text (id,name,district,ward[,timezone]; a header line is optional); all rows or none. New stations enrol with a code.',
      access: 'admin',
      body: ImportBody,
      responses: { 200: 'created and updated ids' },
      handle: ({ body }) => {
        const rows = parseCsv(body.csv);
        if (rows[0]?.[0]?.trim().toLowerCase() === 'id') rows.shift();
        const problems: string[] = [];
        const stations = rows.flatMap((r, i) => {
          const [id, name, district, ward, timezone] = r.map((f) => f.trim());
          const parsed = StationCreate.safeParse({
            id,
            name,
            district,
            ward,
            ...(timezone ? { timezone } : {}),
          });
          if (parsed.success && parsed.data.id) return [{ ...parsed.data, id: parsed.data.id }];
          problems.push(
            `line ${i + 1}: ${parsed.success ? 'id is required' : parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
          );
          return [];
        });
        const ids = stations.map((s) => s.id);
        const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
        if (twice.length) problems.push(`station ids listed twice: ${[...new Set(twice)].join(', ')}`);
        if (problems.length)
          throw new HttpError(400, 'invalid_csv', `nothing imported: ${problems[0]}`, problems);
        const created: string[] = [];
        const updated: string[] = [];
        const now = clock.now().toISOString();
        db.transaction(() => {
          for (const s of stations) {
            if (db.prepare('SELECT 1 FROM stations WHERE id = ?').get(s.id)) {
              db.prepare(
                'UPDATE stations SET name = ?, district = ?, ward = ?, timezone = ? WHERE id = ?',
              ).run(s.name, s.district, s.ward, s.timezone, s.id);
              updated.push(s.id);
            } else {
              // A secret nobody knows: the station gets its real one by enrolment.
              db.prepare(
                'INSERT INTO stations (id, name, district, ward, timezone, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
              ).run(s.id, s.name, s.district, s.ward, s.timezone, hashSecret(newSecret('st')), now);
              created.push(s.id);
            }
          }
        })();
        desired.sync();
        return { json: { created, updated } };
      },
    }),
  ];
}
