// Test inputs generated with real ffmpeg (lavfi sources, espeak-ng), what ffprobe and loudnorm measure of
// them, and process-leak checks. Shared by every test and benchmark that needs real audio.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../audio/index.ts';
import type { ClipRef } from '../../schedules/model.ts';
import { clipRef } from '../support/records.ts';

export const paths = resolveFfmpeg();
/** The static binaries from npm, as used where the system has no ffmpeg. */
export const npmPaths = resolveFfmpeg({ PATH: '' });
export const ESPEAK = '/usr/bin/espeak-ng';

/** Runs ffmpeg to build a fixture; `args` are everything between the banner flags and the output. */
export function ffmpegGen(out: string, args: string[], bin = paths.ffmpeg): string {
  execFileSync(bin, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args, out], { stdio: 'pipe' });
  return out;
}

export function hasEncoder(bin: string, encoder: string): boolean {
  const list = execFileSync(bin, ['-hide_banner', '-encoders'], { encoding: 'utf8', stdio: 'pipe' });
  return new RegExp(`^\\s*A\\S*\\s+${encoder}\\s`, 'm').test(list);
}

/** `seconds` of a tone, encoded according to `codecArgs`. */
export function tone(out: string, seconds: number, codecArgs: string[] = [], bin?: string): string {
  return ffmpegGen(out, ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, ...codecArgs], bin);
}

/** `seconds` of a tone at `frequency` Hz as the controller makes clips: mono 48 kHz Opus at 40 kbit/s. */
export function broadcastTone(out: string, seconds: number, frequency = 440): string {
  return ffmpegGen(out, [
    ...['-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=${seconds}`],
    ...['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '40k'],
  ]);
}

/** A broadcast tone as a clip `id` in `dir` (`<id>.opus`): its reference and its bytes. */
export function toneClip(
  dir: string,
  id: string,
  seconds: number,
  frequency = 440,
): { ref: ClipRef; bytes: Buffer } {
  const bytes = readFileSync(broadcastTone(join(dir, `${id}.opus`), seconds, frequency));
  return { ref: clipRef(id, bytes, seconds * 1000), bytes };
}

/** A file's length in ms, by ffprobe. */
export function durationMs(file: string): number {
  const out = execFileSync(
    paths.ffprobe,
    ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
    {
      encoding: 'utf8',
    },
  );
  return Math.round(Number(out.trim()) * 1000);
}

/**
 * Speech with `padS` seconds of digital silence before and after, as 22.05 kHz wav. espeak-ng when
 * installed; otherwise syllable-like bursts of noise with pauses, which exercise the same code.
 */
export function paddedSpeech(dir: string, padS: number): { file: string; speechS: number } {
  const core = join(dir, 'core.wav');
  if (existsSync(ESPEAK)) {
    const text = 'Xin chào bà con. Đây là thông báo của phường. Ngày mai có lịch tiêm chủng tại trạm y tế.';
    execFileSync(ESPEAK, ['-v', 'vi', '-w', core, text], { stdio: 'pipe' });
  } else {
    ffmpegGen(core, [
      ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=5:amplitude=0.5:sample_rate=22050'],
      ...['-af', "volume='if(lt(mod(t,0.9),0.6),1,0.01)':eval=frame"],
    ]);
  }
  const speechS = durationMs(core) / 1000;
  const file = join(dir, 'padded.wav');
  const silence = ['-f', 'lavfi', '-t', String(padS), '-i', 'anullsrc=channel_layout=mono:sample_rate=22050'];
  ffmpegGen(file, [
    ...silence,
    ...['-i', core],
    ...silence,
    ...['-filter_complex', '[0:a][1:a][2:a]concat=n=3:v=0:a=1', '-ar', '22050', '-ac', '1'],
  ]);
  return { file, speechS };
}

/** Integrated loudness and true peak by loudnorm's meter: a different filter from the module's ebur128. */
export function loudness(file: string): { i: number; tp: number } {
  const { stderr } = spawnSync(
    paths.ffmpeg,
    ['-hide_banner', '-nostdin', '-i', file, '-af', 'loudnorm=print_format=json', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const report = JSON.parse(stderr.slice(stderr.lastIndexOf('{'), stderr.lastIndexOf('}') + 1));
  return { i: Number(report.input_i), tp: Number(report.input_tp) };
}

/**
 * Pids of live processes whose command line mentions `marker` (e.g. a test's temp dir); with `ownOnly`, only
 * this process's children (a marker every player shares would also find other test files' players).
 */
export function processesMentioning(marker: string, ownOnly = false): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const [, state, parent] =
        /^\S+ \(.*\) (\S) (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8')) ?? [];
      if (ownOnly && Number(parent) !== process.pid) continue;
      if (cmdline.includes(marker) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
