// A controller with the test tree of the CAP tests: Cần Thơ's districts Ninh Kiều (wards An Hòa, Tân An)
// and Cái Răng (ward Lê Bình), a station in each ward, named areas with a national code, an approved clip.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clipPath } from '../../../../controller/clips/files.ts';
import { makeController, type TestController } from '../../../support/controller.ts';

export const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

const STATIONS = [
  ['st-an-hoa', 'ninh-kieu', 'an-hoa'],
  ['st-tan-an', 'ninh-kieu', 'tan-an'],
  ['st-le-binh', 'cai-rang', 'le-binh'],
] as const;
const NAMES = [
  ['ninh-kieu', 'Quận Ninh Kiều', '916'],
  ['cai-rang', 'Quận Cái Răng', '919'],
  ['an-hoa', 'Phường An Hòa', '31117'],
  ['tan-an', 'Phường Tân An', '31135'],
  ['le-binh', 'Phường Lê Bình', '31186'],
] as const;

export const CLIP_BYTES = Buffer.from('OggS: not a real clip, bytes to digest');

export async function capWorld(clock: { now: () => Date }, env: NodeJS.ProcessEnv = {}) {
  const ctl = await makeController(clock, env);
  for (const [id, district, ward] of STATIONS) {
    const r = await ctl.call('POST', '/api/stations', { id, name: `Đài ${ward}`, district, ward });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  }
  const rename = ctl.db.prepare('UPDATE areas SET name = ?, code = ? WHERE id = ?');
  for (const [id, name, code] of NAMES) rename.run(name, code, id);
  addClip(ctl, 'clip-ok', 'approved', 'a'.repeat(64));
  addClip(ctl, 'clip-draft', 'draft', 'b'.repeat(64));
  return ctl;
}

export function addClip(ctl: TestController, id: string, status: string, sha: string) {
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, ?, 30000, '2026-01-01T00:00:00Z', ?)`,
    )
    .run(id, `Bản tin ${id}`, sha, CLIP_BYTES.length, status);
  const file = clipPath(ctl.dataDir, sha);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, CLIP_BYTES);
}

/** POSTs a CAP document; the answer's status and JSON. */
export async function postCap(ctl: TestController, xml: string, token = ctl.token) {
  const res = await ctl.app.request('/api/alerts', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cap+xml; charset=utf-8' },
    body: xml,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
  return { status: res.status, body: (await res.json()) as any };
}

/** GETs a bulletin as CAP: the answer's status, content type and text. */
export async function getCap(ctl: TestController, id: string) {
  const res = await ctl.app.request(`http://loa.example:8080/api/alerts/${id}`, {
    headers: { authorization: `Bearer ${ctl.token}`, accept: 'application/cap+xml' },
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

export const alertCount = (ctl: TestController) =>
  (ctl.db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
