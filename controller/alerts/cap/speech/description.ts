// A CAP alert with no audio <resource> but a <description>: its clip is spoken from the description
// through the text-clip pipeline, in-process (normalised, spoken by the first engine of TTS_ENGINES that
// can, then the broadcast pipeline and the hash dedup of any clip), the text kept beside the clip.
// An emergency uses the processed draft at once; priority and normal need the spoken clip approved.
import type { speechEngines } from '../../../../audio/index.ts';
import type { AlertLevel } from '../../../../schedules/alerts.ts';
import type { Admission } from '../../../clips/admit.ts';
import { setTitle } from '../../../clips/store.ts';
import { admitText, DEFAULT_VOICE } from '../../../clips/text/admit.ts';
import { clipText } from '../../../clips/text/store.ts';
import type { ControllerDeps } from '../../../deps.ts';
import { HttpError } from '../../../http/errors.ts';
import type { Principal } from '../../../users/roles.ts';
import type { CapInfo } from '../read.ts';
import { capRefusal } from '../refusal.ts';

/** How a CAP import makes clips: the admission remote audio and spoken text go through, and the speaker. */
export interface CapMakers {
  admission(): Admission;
  speaker(): speechEngines.Speaker;
}

/** Who spoke a bulletin's clip: shown with the import's answer and in the clip's title. */
export interface SpokenBy {
  clipId: string;
  /** the voice asked for and the one that spoke (another engine's, after a fallback) */
  voice: string;
  spokenBy: string;
  engine: string;
}

/** The description to speak; refused when the info is not in Vietnamese (nothing here reads other languages). */
export function descriptionToSpeak(info: CapInfo): string {
  if (!info.language.toLowerCase().startsWith('vi'))
    throw capRefusal(
      'alert/info/language',
      `the alert has no audio resource and its description is in '${info.language}': only a Vietnamese (vi) description is read aloud here; give an audio <resource> or an <info> in vi`,
      `văn bản không có âm thanh và phần mô tả bằng '${info.language}': chỉ đọc tự động phần mô tả tiếng Việt (vi); hãy gửi kèm <resource> âm thanh hoặc một <info> tiếng Việt`,
    );
  return info.description ?? '';
}

/** The newest approved clip spoken from exactly this text (a priority or normal alert sent again uses it). */
function approvedSpoken(deps: Pick<ControllerDeps, 'db'>, text: string): string | undefined {
  const row = deps.db
    .prepare(
      `SELECT t.clip_id AS id FROM clip_texts t JOIN clips c ON c.id = t.clip_id
       WHERE t.text = ? AND c.status = 'approved' ORDER BY t.created_at DESC LIMIT 1`,
    )
    .get(text) as { id: string } | undefined;
  return row?.id;
}

const spokenOf = (deps: Pick<ControllerDeps, 'db'>, clipId: string): SpokenBy => {
  const t = clipText(deps.db, clipId);
  return {
    clipId,
    voice: t?.voice ?? '',
    spokenBy: t?.spokenBy ?? '',
    engine: t?.engine ?? '',
  };
};

/** A priority or normal alert whose spoken clip waits for review: 409, the clip named. */
export function awaitingReview(clipId: string, status: string): HttpError {
  const rejected = status !== 'draft' && status !== 'processing';
  const en = rejected
    ? `the description was spoken as clip ${clipId}, which is ${status}: a priority or normal bulletin needs an approved clip`
    : `the description was spoken as clip ${clipId}, which awaits review: once a reviewer approves it, send the alert again (a feed tries it again at each poll)`;
  const vi = rejected
    ? `phần mô tả đã được đọc thành bản tin âm thanh ${clipId}, đang ở trạng thái ${status}: bản tin ưu tiên hoặc thông thường cần âm thanh đã duyệt`
    : `phần mô tả đã được đọc thành bản tin âm thanh ${clipId}, đang chờ duyệt: sau khi được duyệt, hãy gửi lại văn bản (nguồn tự động sẽ thử lại ở mỗi lần đọc)`;
  return new HttpError(
    409,
    rejected ? 'cap_clip_refused' : 'cap_awaiting_review',
    `CAP document held: ${en}`,
    [
      {
        path: 'alert/info/description',
        message: en,
        messageVi: `Văn bản CAP chưa phát: ${vi}`,
        clipId,
        clipStatus: status,
      },
    ],
  );
}

/**
 * The clip spoken from the description. Called once every other check of the bulletin has passed.
 * Emergency: the processed draft (as an emergency recording). Priority and normal: an approved clip
 * of this exact text if there is one; else the text is spoken into a draft for review and the alert
 * is held (409 naming the clip).
 */
export async function spokenClip(
  deps: Pick<ControllerDeps, 'db' | 'config' | 'clock' | 'log'>,
  makers: CapMakers,
  text: string,
  level: AlertLevel,
  title: string,
  principal: Principal | null,
): Promise<SpokenBy> {
  if (level !== 'emergency') {
    const approved = approvedSpoken(deps, text);
    if (approved) return spokenOf(deps, approved);
  }
  const speaker = makers.speaker();
  const voice = speaker.voices()[0]?.id ?? DEFAULT_VOICE;
  const { status, row } = await admitText(
    deps,
    makers.admission(),
    speaker,
    {
      title: `${title.slice(0, 150)} (đọc tự động)`,
      text,
      voice,
      speed: 1,
      chime: { before: false, after: false },
    },
    principal,
    true,
  );
  const spoken = spokenOf(deps, row.id);
  // the clip's title says who read it, wherever the bulletin shows its clip
  if (status === 201 && spoken.spokenBy)
    setTitle(deps.db, row.id, `${title.slice(0, 150)} (đọc tự động: ${spoken.spokenBy})`, deps.clock.now());
  deps.log.info(`CAP description spoken as clip ${row.id} by ${spoken.spokenBy || 'an earlier reading'}`);
  if (level === 'emergency' || row.status === 'approved') return spoken;
  throw awaitingReview(row.id, row.status);
}
