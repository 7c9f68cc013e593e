// The province's content made ours: its areas as our targets, its audio fetched through the clip pipeline
// (as a CAP alert's remote audio is) and counted as approved at its source, recorded as such.
import type { Target } from '../../../schedules/model.ts';
import { fetchAudio } from '../../alerts/cap/fetch.ts';
import { areaByCode, findArea } from '../../areas/tree.ts';
import { type Admission, admitUpload } from '../../clips/admit.ts';
import { tmpDirOf } from '../../clips/files.ts';
import { setReviewState } from '../../clips/store.ts';
import type { ControllerDeps } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import type { ProvinceSettings } from '../settings.ts';
import { saveClipSource } from '../store.ts';
import { type ProvinceContent, ProvinceRefusal } from '../wire.ts';

/** Who provincial content is recorded under: issued by, reviewed by. */
export const PROVINCE_ACTOR = 'province';

/** How long the province's audio may take to arrive whole. */
const FETCH_TIMEOUT_MS = 60_000;

/** Our targets for the province's DanhSachDiaBan: its id mapped in the settings, a CumLoaID, else a national code. */
export function targetsOf(deps: ControllerDeps, settings: ProvinceSettings, ids: string[]): Target[] {
  const byCumLoa = new Map(Object.entries(settings.stations).map(([ours, theirs]) => [theirs, ours]));
  return ids.map((id) => {
    const mapped = settings.areas[id];
    if (mapped) {
      const a = findArea(deps.db, mapped);
      if (a && !a.retired_at) return { scope: 'area', id: a.id };
      throw new ProvinceRefusal(
        `area '${id}' is mapped to '${mapped}', which is not a live area here`,
        `địa bàn '${id}' được ánh xạ tới '${mapped}', nhưng địa bàn này không còn hoạt động`,
      );
    }
    const station = byCumLoa.get(id);
    if (station) return { scope: 'station', id: station };
    const coded = areaByCode(deps.db, id);
    if (coded) return { scope: 'area', id: coded.id };
    throw new ProvinceRefusal(
      `area '${id}' is not mapped to any area here (PROVINCE_LINK_FILE "areas", or an area with that national code)`,
      `địa bàn '${id}' chưa được ánh xạ tới địa bàn nào của hệ thống (mục "areas" của tệp cấu hình, hoặc mã đơn vị hành chính)`,
    );
  });
}

/** An HttpError from the shared pipeline as a refusal, with its Vietnamese words where it has them. */
export function asRefusal(e: unknown, what: string): unknown {
  if (!(e instanceof HttpError)) return e;
  // a CAP refusal of the shared fetch names its element; here only the reason matters
  const detail = Array.isArray(e.details)
    ? (e.details[0] as { message?: string; messageVi?: string })
    : undefined;
  const en = detail?.message ?? e.message;
  const vi = detail?.messageVi?.replace(/^Văn bản CAP bị từ chối: <[^>]*>: /, '') ?? e.message;
  return new ProvinceRefusal(`${what}: ${en}`, `${what}: ${vi}`);
}

/**
 * The clip of one piece of the province's content: its NoiDung fetched and processed like an upload (the
 * same bytes again give the same clip), then approved at its source, the province named as reviewer.
 */
export async function provincialClip(
  deps: ControllerDeps,
  settings: ProvinceSettings,
  admission: () => Admission,
  content: ProvinceContent,
): Promise<string> {
  const { db, config, clock } = deps;
  const what = `audio of ${content.BanTinID}`;
  let clipId: string;
  let status: string;
  try {
    const received = await fetchAudio(
      { uri: content.NoiDung, mimeType: '', resourceDesc: content.TieuDe },
      tmpDirOf(config.dataDir),
      { maxBytes: config.maxUploadBytes, timeoutMs: FETCH_TIMEOUT_MS },
    );
    const { row } = await admitUpload(admission(), received, null, true);
    clipId = row.id;
    status = row.status;
  } catch (e) {
    throw asRefusal(e, what);
  }
  if (status === 'draft')
    setReviewState(
      db,
      clipId,
      'approved',
      `approved at source: ${settings.name}, bulletin ${content.BanTinID}`,
      PROVINCE_ACTOR,
      true,
      clock.now().toISOString(),
    );
  else if (status !== 'approved')
    throw new ProvinceRefusal(
      `${what}: the clip made from these bytes (${clipId}) is ${status} here`,
      `âm thanh của bản tin ${content.BanTinID}: tệp này đã có ở đây (${clipId}) với trạng thái ${status}`,
    );
  saveClipSource(db, clipId, content.BanTinID, content.NoiDung, JSON.stringify(content));
  return clipId;
}
