// The national controller of the cluster benchmark: a real controller process in the `national` role
// (controller/national/) over a PROVINCES_FILE naming the benchmark's province controllers, sending as a
// technician of each province's whole tree, as docs/national.md has an admin set it up. The benchmark's
// national emergency is its `POST /api/national/bulletins`; the recording is staged at each province first,
// as the docs advise where seconds count.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tone } from '../../../audio/fixtures.ts';
import { type ControllerProcess, startControllerProcess } from '../../../support/apps.ts';
import { nationalLogins, writeProvincesFile } from '../../../support/provinces-file.ts';
import type { Province } from './provinces.ts';

const NATIONAL_PASSWORD = 'bench-national-password';

export interface NationalController {
  proc: ControllerProcess;
  /** The recording's id at the national controller. */
  clipId: string;
}

/** Starts the national controller over the provinces (their ports are fixed before any of them runs). */
export async function startNationalController(
  dir: string,
  provinces: Province[],
): Promise<NationalController> {
  const file = writeProvincesFile(
    dir,
    provinces.map((p) => ({ id: p.id, name: p.name, port: p.httpPort })),
    NATIONAL_PASSWORD,
    { retry: { minSeconds: 0.2, maxSeconds: 2 }, watchSeconds: 1 },
  );
  const proc = await startControllerProcess({
    dataDir: path.join(dir, 'national'),
    env: { CONTROLLER_ROLE: 'national', PROVINCES_FILE: file },
  });
  const form = new FormData();
  form.set('file', new File([readFileSync(tone(path.join(dir, 'khan-cap.mp3'), 3))], 'khan-cap.mp3'));
  form.set('title', 'Cảnh báo khẩn cấp toàn quốc');
  const clip = await proc.call('POST', '/api/national/clips', form);
  if (clip.status !== 201) throw new Error(`national clip: ${clip.status} ${JSON.stringify(clip.body)}`);
  return { proc, clipId: clip.body.id as string };
}

/**
 * At a province whose controller runs: the national level's two logins (a technician of the root of its
 * tree, and a reviewer), if not there yet.
 */
export async function addNationalLogins(p: Province): Promise<void> {
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${p.api}${url}`, {
      method,
      headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const tree = await call('GET', '/api/areas');
  const root = (tree.body.areas as { id: string }[])[0]?.id;
  for (const user of nationalLogins(root as string, NATIONAL_PASSWORD)) {
    const r = await call('POST', '/api/users', user);
    if (r.status !== 201 && r.status !== 409)
      throw new Error(`${p.id} POST /api/users ${user.username}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** The recording copied to every province now, so that the emergency does not wait for its processing. */
export async function stageNationalClip(n: NationalController): Promise<void> {
  const r = await n.proc.call('POST', `/api/national/clips/${n.clipId}/stage`, {
    provinces: 'all',
    approve: false,
  });
  const failed = (
    r.body as { provinceId: string; clipId: string | null; reason: string | null }[] | undefined
  )
    ?.filter((x) => !x.clipId)
    .map((x) => `${x.provinceId}: ${x.reason}`);
  if (r.status !== 200 || !failed || failed.length)
    throw new Error(`stage: ${r.status} ${failed?.join('; ') ?? JSON.stringify(r.body)}`);
}

/** A national emergency to every province: the national controller's answer and its item id. */
export async function sendNationalEmergency(n: NationalController): Promise<string> {
  const r = await n.proc.call('POST', '/api/national/bulletins', {
    level: 'emergency',
    title: 'Cảnh báo khẩn cấp toàn quốc (benchmark)',
    reason: 'Đo thời gian của bản tin khẩn cấp toàn quốc',
    clipId: n.clipId,
    ignoreQuietWindows: true,
    provinces: 'all',
  });
  if (r.status !== 201)
    throw new Error(`POST /api/national/bulletins: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}
