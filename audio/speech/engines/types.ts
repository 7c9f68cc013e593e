// What every speech engine is: voices it offers, and normalised Vietnamese text to a WAV file's bytes.

export type Region = 'north' | 'central' | 'south';

export interface Voice {
  /** unique across engines: `<engine>:<the engine's own voice name>`, e.g. `fpt:banmai` */
  id: string;
  engine: string;
  /** the name the engine's own API takes */
  engineVoice: string;
  region: Region;
  gender: 'female' | 'male';
  /** how the console shows it */
  label: { vi: string; en: string };
}

const REGION_WORDS = {
  north: ['miền Bắc', 'northern'],
  central: ['miền Trung', 'central'],
  south: ['miền Nam', 'southern'],
};

/** A named voice of a cloud engine, labelled with its speaker, sex and region in both languages. */
export function namedVoice(
  engine: string,
  engineName: string,
  engineVoice: string,
  region: Region,
  gender: Voice['gender'],
  name: string,
): Voice {
  const where = REGION_WORDS[region];
  const sex = gender === 'female' ? ['nữ', 'female'] : ['nam', 'male'];
  return {
    id: `${engine}:${engineVoice}`,
    engine,
    engineVoice,
    region,
    gender,
    label: {
      vi: `${engineName}, ${name} (${sex[0]} ${where[0]})`,
      en: `${engineName}, ${name} (${sex[1]}, ${where[1]})`,
    },
  };
}

export interface SynthesisRequest {
  /** already normalised (audio/speech/normalise): words and sentence punctuation only */
  text: string;
  /** the engine's own voice name (Voice.engineVoice) */
  voice: string;
  /** 1 is the engine's normal pace; 0.5 to 2 */
  speed: number;
  /** aborts the engine's work (the caller's timeout) */
  signal: AbortSignal;
}

export interface SpeechEngine {
  readonly id: string;
  voices(): readonly Voice[];
  /** The speech as a RIFF/WAVE file's bytes (PCM); throws EngineError when it cannot. */
  synthesize(req: SynthesisRequest): Promise<Buffer>;
}

/**
 * Why an engine gave no speech: it took too long, answered something that is not speech, refused the
 * key, refused the request, or could not be reached or run.
 */
export type EngineFailure = 'timeout' | 'garbage' | 'unauthorized' | 'refused' | 'unavailable';

export class EngineError extends Error {
  constructor(
    readonly code: EngineFailure,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The words people read for each failure, in both languages. */
export const FAILURE_TEXT: Record<EngineFailure, { vi: string; en: string }> = {
  timeout: { vi: 'quá thời gian chờ', en: 'timed out' },
  garbage: { vi: 'trả về dữ liệu không phải âm thanh', en: 'answered something that is not audio' },
  unauthorized: { vi: 'khóa truy cập bị từ chối', en: 'refused the access key' },
  refused: { vi: 'từ chối yêu cầu', en: 'refused the request' },
  unavailable: { vi: 'không kết nối hoặc không chạy được', en: 'could not be reached or run' },
};
