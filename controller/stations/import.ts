// Registering many stations at once from a CSV file (id,name,area[,timezone] with that header line, or as
// before the area tree id,name,district,ward[,timezone]); they enrol later.
import type { Db } from '../db.ts';
import { HttpError } from '../http/errors.ts';
import { hashSecret, newSecret } from '../users/secrets.ts';
import { StationCreate, stationFields } from './registry.ts';
import { upsertStations } from './store.ts';

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

/** The stations a CSV text names, checked whole: one bad line refuses all of them (400 with every problem). */
function stationsOf(db: Db, csv: string, now: Date) {
  const rows = parseCsv(csv);
  const header = rows[0]?.map((f) => f.trim().toLowerCase());
  if (header?.[0] === 'id') rows.shift();
  // A header naming an area column takes an area id or official code; otherwise the old district,ward form.
  const byArea = header?.[0] === 'id' && header.includes('area');
  const problems: string[] = [];
  const parsed = rows.flatMap((r, i) => {
    const f = r.map((x) => x.trim());
    const [id, name] = f;
    const timezone = byArea ? f[header.indexOf('timezone')] : f[4];
    const place = byArea ? { areaId: f[header.indexOf('area')] } : { district: f[2], ward: f[3] };
    const p = StationCreate.safeParse({ id, name, ...place, ...(timezone ? { timezone } : {}) });
    if (p.success && p.data.id) return [{ line: i + 1, body: p.data }];
    problems.push(
      `line ${i + 1}: ${p.success ? 'id is required' : p.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
    );
    return [];
  });
  // a Set, not indexOf: 10,000 lines must stay linear
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const { body } of parsed) {
    const id = body.id as string;
    if (seen.has(id)) twice.push(id);
    seen.add(id);
  }
  if (twice.length) problems.push(`station ids listed twice: ${[...new Set(twice)].join(', ')}`);
  const stations = parsed.flatMap(({ line, body }) => {
    try {
      return [{ ...stationFields(db, body, now), id: body.id as string }];
    } catch (e) {
      problems.push(`line ${line}: ${e instanceof HttpError ? e.message : String(e)}`);
      return [];
    }
  });
  if (problems.length) throw new HttpError(400, 'invalid_csv', `nothing imported: ${problems[0]}`, problems);
  return stations;
}

/** Creates or updates the stations of a CSV text, all or none (areas it names by district and ward too). */
export function importStations(db: Db, csv: string, now: Date) {
  // A secret nobody knows: a new station gets its real one by enrolment.
  return db.transaction(() =>
    upsertStations(db, stationsOf(db, csv, now), () => hashSecret(newSecret('st')), now),
  )();
}
