// Registering many stations at once from a CSV file (id,name,district,ward[,timezone]); they enrol later.
import type { Db } from '../db.ts';
import { HttpError } from '../http/errors.ts';
import { hashSecret, newSecret } from '../users/secrets.ts';
import { StationCreate } from './registry.ts';
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
function stationsOf(csv: string) {
  const rows = parseCsv(csv);
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
  if (problems.length) throw new HttpError(400, 'invalid_csv', `nothing imported: ${problems[0]}`, problems);
  return stations;
}

/** Creates or updates the stations of a CSV text, all or none. */
export function importStations(db: Db, csv: string, now: Date) {
  // A secret nobody knows: a new station gets its real one by enrolment.
  return upsertStations(db, stationsOf(csv), () => hashSecret(newSecret('st')), now);
}
