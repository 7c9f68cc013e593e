// A local announcement from the page: the upload is probed, made broadcast-ready like the controller's
// clips (mono, -16 LUFS, Opus) and handed to the agent's clip cache; one transcode at a time.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AudioError, probeAudio, refusalOf, transcodeForBroadcast } from '../../audio/index.ts';
import type { Received } from '../../common/upload.ts';
import type { ClipRef } from '../../schedules/model.ts';
import { LocalError } from './errors.ts';
import type { LocalDeps } from './types.ts';

/** Uncompressed 48 kHz 16-bit stereo, the largest a phone's recording of the allowed length can be. */
const MAX_BYTES_PER_SECOND = 192_000;

/** The largest upload accepted for `minutes` of sound (1 MB of room for headers). */
export const maxUploadBytes = (minutes: number) => Math.ceil(minutes * 60 * MAX_BYTES_PER_SECOND) + 2 ** 20;

export const localTmpDir = (dataDir: string) => path.join(dataDir, 'tmp-local');

function audioRefusal(e: AudioError): LocalError {
  const { status, code, text, vi } = refusalOf(e);
  return new LocalError(status, code, { vi, en: text });
}

export interface LocalClipResult {
  clip: ClipRef;
  title: string;
  sourceDurationMs: number;
  loudness: { inputI: number; outputI: number; outputTp: number };
}

export function createLocalClips(deps: LocalDeps) {
  const { agent, config, ffmpeg, log } = deps;
  const maxMs = Math.round(config.localClipMinutes * 60_000);
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  async function make(up: Received, by: string): Promise<LocalClipResult> {
    // speech this station's espeak-ng wrote is whole by construction: not decoded once more to check it
    const verify = !up.madeHere;
    const probe = await probeAudio(ffmpeg, up.path, {
      maxDurationMs: maxMs,
      timeoutMs: 60_000,
      verify,
    }).catch((e: unknown) => {
      throw e instanceof AudioError ? audioRefusal(e) : e;
    });
    const out = path.join(localTmpDir(config.dataDir), `${randomBytes(8).toString('hex')}.opus`);
    try {
      const result = await transcodeForBroadcast(ffmpeg, up.path, out, {
        timeoutMs: Math.max(10 * 60_000, probe.durationMs),
        speech: up.madeHere === true,
      }).catch((e: unknown) => {
        throw e instanceof AudioError ? audioRefusal(e) : e;
      });
      const title = (up.title ?? '').trim().slice(0, 200) || up.originalName;
      const clip = await agent.registerLocalClip(out, { title, by, durationMs: result.durationMs });
      log.info(
        `local clip ${clip.id} "${title}" by ${by}: ${result.durationMs} ms, ${result.loudness.outputI.toFixed(1)} LUFS`,
      );
      return {
        clip,
        title,
        sourceDurationMs: probe.durationMs,
        loudness: {
          inputI: result.loudness.inputI,
          outputI: result.loudness.outputI,
          outputTp: result.loudness.outputTp,
        },
      };
    } finally {
      await rm(out, { force: true });
    }
  }

  return {
    maxUploadBytes: maxUploadBytes(config.localClipMinutes),
    tmpDir: localTmpDir(config.dataDir),
    /** Makes a clip of the upload (removed afterwards); refuses when two are already waiting. */
    async add(up: Received, by: string): Promise<LocalClipResult> {
      try {
        if (waiting >= 2)
          throw new LocalError(503, 'busy', {
            vi: 'Đài đang xử lý hai bản ghi khác; hãy thử lại sau ít phút.',
            en: 'Two recordings are already being processed; try again shortly.',
          });
        waiting++;
        const run = tail.then(() => make(up, by));
        tail = run.catch(() => {});
        try {
          return await run;
        } finally {
          waiting--;
        }
      } finally {
        await rm(up.path, { force: true });
      }
    },
    /** Removes uploads left by a previous run. */
    async clean(): Promise<void> {
      await rm(localTmpDir(config.dataDir), { recursive: true, force: true });
      await mkdir(localTmpDir(config.dataDir), { recursive: true });
    },
  };
}
export type LocalClips = ReturnType<typeof createLocalClips>;
