// The CAP side of /api/alerts: the answer to an imported document, and a bulletin as a CAP document.
import type { Context } from 'hono';
import type { speechEngines } from '../../../audio/index.ts';
import type { Admission } from '../../clips/admit.ts';
import { createAdmission } from '../../clips/admit.ts';
import { tmpDirOf } from '../../clips/files.ts';
import { createClipProcessor } from '../../clips/process.ts';
import { speakerOf } from '../../clips/text/speaker.ts';
import type { ControllerDeps } from '../../deps.ts';
import type { RouteInput } from '../../http/route.ts';
import { getAlertRow } from '../store.ts';
import { alertAsSent } from '../views.ts';
import { CAP_MIME, exportCap } from './export.ts';
import { importCap } from './import.ts';
import type { CapMakers } from './speech/description.ts';

/** Whether the client asks for CAP (Accept naming application/cap+xml). */
export const wantsCap = (c: Context) => (c.req.header('accept') ?? '').toLowerCase().includes(CAP_MIME);

/**
 * The clip pipeline remote audio and spoken descriptions go through, and the speaker (TTS_ENGINES), each
 * made at its first use. (Its own processing queue beside /api/clips's; the same table, the same dedup by
 * the source's hash.)
 */
export function capClips(deps: ControllerDeps): CapMakers {
  let admission: Admission | undefined;
  let speaker: speechEngines.Speaker | undefined;
  return {
    admission() {
      admission ??= createAdmission(deps, createClipProcessor(deps));
      return admission;
    },
    speaker() {
      speaker ??= speakerOf(deps.config.tts, tmpDirOf(deps.config.dataDir));
      return speaker;
    },
  };
}

/** Imports a CAP document: 201 with the bulletin issued (and those an Update replaced), 200 for a Cancel. */
export async function capAnswer(
  deps: ControllerDeps,
  clips: CapMakers,
  input: RouteInput<unknown, unknown>,
  xml: string,
) {
  // the audit entry keeps the document (its beginning, when long)
  input.body = { cap: xml };
  const { db, clock } = deps;
  const out = await importCap(deps, xml, input.principal, clips);
  const now = clock.now();
  const replaced = out.replaced.map((r) => alertAsSent(db, getAlertRow(db, r.id), now));
  if (!out.row) return { status: 200 as const, json: { msgType: out.msgType, cancelled: replaced } };
  return {
    status: 201 as const,
    json: { ...alertAsSent(db, out.row, now), msgType: out.msgType, replaced, speech: out.speech ?? null },
  };
}

/** The bulletin as a CAP 1.2 document; its clip's URL on the origin the request came to. */
export function capDocument(deps: ControllerDeps, c: Context, id: string): Response {
  const { db, config } = deps;
  const xml = exportCap(db, getAlertRow(db, id), config.cap, new URL(c.req.url).origin, config.dataDir);
  return new Response(xml, { headers: { 'content-type': `${CAP_MIME}; charset=utf-8` } });
}
