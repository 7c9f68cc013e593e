// Announcements typed by ward staff: the text is read out at the station by espeak-ng (offline, no
// controller needed), made broadcast-ready like an upload and played now or at a time as an `announce`.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { speech, speechEngines } from '../../audio/index.ts';
import { announcementEntryId } from '../../schedules/entry-ids.ts';
import { MAX_OVERRIDE_LEAD_MS, type Override } from '../../schedules/overrides.ts';
import { reasonText } from '../../schedules/reason-words.ts';
import { skipReasonCode } from '../../schedules/reasons.ts';
import type { Session } from './auth.ts';
import type { LocalClips } from './clips.ts';
import { LocalError } from './errors.ts';
import { instantOf, localStamp } from './timetable.ts';
import type { LocalDeps } from './types.ts';

/** The most characters a notice typed at the station may have (a few minutes of speech). */
export const MAX_ANNOUNCEMENT_CHARS = 2000;
export const VOICES = speechEngines.ESPEAK_VOICES;
const DEFAULT_VOICE = 'espeak-ng:vi';
/** espeak-ng reads a 2,000-character notice in about a second; this is for a station under load. */
const SPEAK_TIMEOUT_MS = 60_000;

const Chime = z
  .object({ before: z.boolean().default(false), after: z.boolean().default(false) })
  .strict()
  .default({ before: false, after: false });

export const SpeechRequest = z
  .object({
    // the length is refused by the normaliser, in words ward staff read
    text: z.string().max(20_000, 'nhiều nhất 2000 ký tự'),
    voice: z.string().max(100).default(DEFAULT_VOICE),
    speed: z.number().min(0.5, 'tốc độ đọc từ 0,5 đến 2').max(2, 'tốc độ đọc từ 0,5 đến 2').default(1),
    chime: Chime,
  })
  .strict();
export type SpeechRequest = z.infer<typeof SpeechRequest>;

export const AnnouncementRequest = SpeechRequest.extend({
  title: z.string().trim().max(200, 'tiêu đề nhiều nhất 200 ký tự').nullish(),
  reason: z.string().trim().max(500, 'lý do nhiều nhất 500 ký tự').nullish(),
  startsAt: z.string().max(40).nullish(),
}).strict();
export type AnnouncementRequest = z.infer<typeof AnnouncementRequest>;

/** A title from the notice's opening words: up to 80 characters, cut between words. */
export function titleOf(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  if (flat.length <= 80) return flat;
  const cut = flat.slice(0, 80);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

const NORMALISE_STATUS = { empty: 400, too_long: 413, nothing_to_read: 422 } as const;

/** The province's own abbreviations from the desired state (`speechDictionary`), when it carries them. */
const Dictionary = z.record(z.string().max(100), z.string().max(500));

export function createStationSpeech(deps: LocalDeps, clips: LocalClips) {
  const { agent, config, clock, log } = deps;
  const speaker = speechEngines.createSpeaker({
    engines: [speechEngines.espeakEngine({ binary: config.espeakBinary, tmpDir: clips.tmpDir })],
    timeoutMs: SPEAK_TIMEOUT_MS,
  });

  function dictionary(): Record<string, string> | undefined {
    const raw = deps.speechDictionary?.();
    const parsed = raw === undefined ? null : Dictionary.safeParse(raw);
    return parsed?.success ? parsed.data : undefined;
  }

  /** The words to say, or a refusal in both languages. */
  function read(req: SpeechRequest) {
    const voice = VOICES.find((v) => v.id === req.voice || v.engineVoice === req.voice);
    if (!voice)
      throw new LocalError(400, 'unknown_voice', {
        vi: `Không có giọng đọc "${req.voice}"; chọn giọng miền Bắc, miền Trung hoặc miền Nam.`,
        en: `There is no voice "${req.voice}"; choose the northern, central or southern voice.`,
      });
    try {
      const { spoken, notes } = speech.normaliseVietnamese(req.text, {
        dictionary: dictionary(),
        maxLength: MAX_ANNOUNCEMENT_CHARS,
        ...(voice.region === 'south' ? { numberWords: speech.SOUTHERN } : {}),
      });
      return { voice, spoken, notes };
    } catch (e) {
      if (!(e instanceof speech.NormaliseError)) throw e;
      throw new LocalError(NORMALISE_STATUS[e.code], `text_${e.code}`, { vi: e.message, en: e.messageEn });
    }
  }

  /** The speech as a WAV file's bytes (with its chimes), or 503 when espeak-ng cannot speak here. */
  async function say(req: SpeechRequest) {
    const { voice, spoken, notes } = read(req);
    try {
      const said = await speaker.speak({ text: spoken, voice: voice.id, speed: req.speed, chime: req.chime });
      return { ...said, spoken, notes };
    } catch (e) {
      if (!(e instanceof speechEngines.SpeechFailedError)) throw e;
      log.error(`local page: ${e.message}`);
      const missing = e.attempts.some((a) => /not installed/.test(a.message));
      throw new LocalError(503, 'speech_unavailable', {
        vi: missing
          ? 'Đài chưa cài chương trình đọc văn bản (espeak-ng), nên chưa đọc được thông báo. Hãy báo kỹ thuật viên cài gói espeak-ng.'
          : 'Đài không đọc được văn bản lúc này (chương trình đọc espeak-ng bị lỗi). Hãy thử lại hoặc báo kỹ thuật viên.',
        en: missing
          ? 'The station has no text-to-speech program (espeak-ng), so it cannot read the notice. Ask the technician to install the espeak-ng package.'
          : 'The station cannot read the text now (espeak-ng failed). Try again or tell the technician.',
      });
    }
  }

  /** Refuses, before anything is made, a time that is past, too far ahead, or when the air is held. */
  function checkTime(startsAt: string | undefined): number {
    const now = clock.now().getTime();
    const start = startsAt ? Date.parse(startsAt) : now;
    if (start < now - 60_000)
      throw new LocalError(400, 'past', {
        vi: 'Giờ phát đã qua: hãy chọn một thời điểm sắp tới.',
        en: 'That time has passed: choose one to come.',
      });
    if (start - now > MAX_OVERRIDE_LEAD_MS)
      throw new LocalError(400, 'too_far', {
        vi: 'Chỉ hẹn giờ phát trong vòng 31 ngày tới.',
        en: 'An announcement can be set at most 31 days ahead.',
      });
    return start;
  }

  /** The announcement's entry as it would be planned; 409 when a quiet window, stop or bulletin holds it. */
  function checkFits(start: number, durationMs: number): void {
    const end = start + durationMs + config.tailMs;
    const trial: Override = {
      id: 'ov-trial',
      stationId: config.stationId,
      kind: 'announce',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      reason: 'trial',
      createdBy: 'trial',
      createdAt: new Date(start).toISOString(),
      entryId: null,
      clip: { id: 'local-trial', sha256: '0'.repeat(64), bytes: 1, durationMs },
      volume: null,
      cancelledAt: null,
      cancelledBy: null,
    };
    const entry = agent
      .timetable(new Date(start - 1000), new Date(end), [trial])
      .find((e) => e.id === announcementEntryId(trial.id));
    if (entry?.status !== 'skipped') return;
    const code = skipReasonCode(entry.skip);
    const when = localStamp(trial.startsAt, deps.timezone());
    throw new LocalError(409, 'announcement_held', {
      vi: `Thông báo không phát được lúc ${when}: ${reasonText('vi', code)}. Hãy chọn giờ khác.`,
      en: `The announcement cannot play at ${when}: ${reasonText('en', code)}. Choose another time.`,
    });
  }

  return {
    voices: VOICES,
    /** The speech alone, for "Nghe thử": nothing is stored. */
    preview: (req: SpeechRequest) => say(req),
    /** Reads the text, makes the clip and announces it; nothing is kept when any step refuses. */
    async announce(req: AnnouncementRequest, session: Session) {
      const startsAt = instantOf(req.startsAt, 'startsAt', deps.timezone());
      const start = checkTime(startsAt);
      const said = await say(req);
      checkFits(start, said.durationMs);
      const title = req.title?.trim() || titleOf(req.text);
      const file = path.join(clips.tmpDir, `${randomBytes(8).toString('hex')}.wav`);
      await writeFile(file, said.wav);
      const made = await clips.add(
        {
          path: file,
          bytes: said.wav.length,
          sha256: '',
          originalName: 'thong-bao.wav',
          declaredType: 'audio/wav',
          title,
          madeHere: true,
        },
        session.name,
      );
      const override = agent.overrides.create({
        kind: 'announce',
        createdBy: session.name,
        reason: req.reason?.trim() || title,
        clipId: made.clip.id,
        ...(startsAt ? { startsAt } : {}),
      });
      log.info(`typed announcement ${override.id} by ${session.name}: ${made.clip.id} "${title}"`);
      return {
        override,
        clip: made.clip,
        title,
        text: { spoken: said.spoken, voice: said.spokenBy.id, speed: req.speed, notes: said.notes },
      };
    },
  };
}
export type StationSpeech = ReturnType<typeof createStationSpeech>;
