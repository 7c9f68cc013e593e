// The sound of a CAP alert: its audio <resource>, a clip of this controller (the URI its export writes,
// …/api/clips/{id}/audio, checked against the resource's SHA-1 <digest> when one is given) or remote audio.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { clipPath } from '../../clips/files.ts';
import { findClip } from '../../clips/store.ts';
import type { Db } from '../../db.ts';
import type { CapInfo } from './read.ts';
import { capRefusal } from './refusal.ts';

const CLIP_URI = /\/api\/clips\/([A-Za-z0-9_.-]+)\/audio(?:[?#].*)?$/;

/** CAP 1.2's <digest>: the SHA-1 of the resource's bytes, in hex. */
export const sha1Of = (file: string) => createHash('sha1').update(readFileSync(file)).digest('hex');

/** The SHA-1 of a clip's broadcast file, or null when the file is not there. */
export function clipSha1(dataDir: string, sha256: string): string | null {
  try {
    return sha1Of(clipPath(dataDir, sha256));
  } catch {
    return null;
  }
}

/** Whether an info has an audio resource with a <uri> (else its description may be spoken). */
export const hasAudio = (resources: CapInfo['resource']) =>
  (resources ?? []).some((r) => r.mimeType.toLowerCase().startsWith('audio/') && r.uri);

export type Sound = { clipId: string } | { remote: { uri: string; mimeType: string; resourceDesc: string } };

/**
 * The sound an alert's first audio resource names: a clip of ours (by its URL, its digest checked), or
 * remote audio to fetch; refused when there is no audio resource or it names a clip we do not have.
 */
export function soundOf(db: Db, dataDir: string, resources: CapInfo['resource']): Sound {
  const audio = (resources ?? []).filter((r) => r.mimeType.toLowerCase().startsWith('audio/') && r.uri);
  const at = 'alert/info/resource';
  const first = audio[0];
  if (!first?.uri)
    throw capRefusal(
      at,
      'an audio <resource> with a <uri> (or a <description> to read aloud) is required',
      'cần một <resource> âm thanh có <uri> (hoặc phần <description> để đọc tự động)',
    );
  const id = CLIP_URI.exec(first.uri)?.[1];
  if (!id) return { remote: { uri: first.uri, mimeType: first.mimeType, resourceDesc: first.resourceDesc } };
  const clip = findClip(db, id);
  if (!clip)
    throw capRefusal(`${at}/uri`, `clip '${id}' does not exist`, `không có bản tin âm thanh '${id}'`);
  const digest = first.digest?.toLowerCase();
  if (digest && clip.sha256 && digest !== clipSha1(dataDir, clip.sha256))
    throw capRefusal(
      `${at}/digest`,
      `the SHA-1 digest does not match clip '${id}'`,
      `mã SHA-1 không khớp bản tin âm thanh '${id}'`,
    );
  return { clipId: id };
}
