// Silence on what a relay plays, as ffmpeg's silencedetect finds it in the decoder (after the volume, so
// on the samples that reach the output): its lines parsed into intervals of the connection's own time.
export interface SilenceLimits {
  /** Quieter than this is silence (dBFS). */
  noiseDb: number;
  /** Silence shorter than this is not counted (speech pauses, a gap between programmes). */
  countMs: number;
  /** Silence this long fails the relay: the upstream is on air but sends nothing to hear. */
  failMs: number;
}

export const DEFAULT_SILENCE: SilenceLimits = { noiseDb: -50, countMs: 2000, failMs: 20_000 };

/**
 * The filters: timestamps restarted at the first sample (an Ogg stream joined midway has large ones),
 * then silencedetect, which logs at level info.
 */
export const silenceFilters = (l: SilenceLimits) =>
  `asetpts=N/SR/TB,silencedetect=noise=${l.noiseDb}dB:d=${l.countMs / 1000}`;

const START = /silencedetect @ [^\]]*\] silence_start: (-?[\d.]+)/;
const END = /silencedetect @ [^\]]*\] silence_end: (-?[\d.]+)/;

/** One connection's silences, in ms from its first sample. */
export class SilenceTrack {
  readonly intervals: { from: number; to: number | null }[] = [];

  /** Feeds a stderr line; answers what it said, if anything. */
  line(line: string): { started: number } | { ended: number } | null {
    const s = START.exec(line);
    if (s) {
      const from = Math.max(0, Number(s[1]) * 1000);
      this.intervals.push({ from, to: null });
      return { started: from };
    }
    const e = END.exec(line);
    const open = this.intervals.at(-1);
    if (e && open && open.to === null) {
      open.to = Number(e[1]) * 1000;
      return { ended: open.to };
    }
    return null;
  }

  get silentNow(): boolean {
    return this.intervals.at(-1)?.to === null;
  }

  /** The silent ms among the first `playedMs` (what the decoder found beyond them was never heard). */
  silentWithin(playedMs: number): number {
    let ms = 0;
    for (const { from, to } of this.intervals) ms += Math.max(0, Math.min(to ?? playedMs, playedMs) - from);
    return ms;
  }
}
