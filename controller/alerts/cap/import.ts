// Importing a CAP 1.2 alert (POST /api/alerts, Content-Type application/cap+xml): an Alert becomes a
// bulletin; an Update withdraws the bulletins it references and issues the new one; a Cancel withdraws them.
// Everything is checked before anything is stored (remote audio of an emergency is fetched and processed,
// or a description with no audio spoken, last, after every other check); the caller's rights are those of
// any bulletin (a feed imports as the system).
import type { Target } from '../../../schedules/model.ts';
import { targetArea } from '../../areas/store.ts';
import { admitUpload } from '../../clips/admit.ts';
import { tmpDirOf } from '../../clips/files.ts';
import type { ControllerDeps } from '../../deps.ts';
import { forbidden } from '../../http/errors.ts';
import { checkAreas } from '../../http/scope.ts';
import { actorName, type Principal, userOf } from '../../users/roles.ts';
import {
  type AlertCreate,
  cancelAlert,
  DEFAULT_ALERT_MS,
  MAX_ALERT_MS,
  prepareAlert,
  reachedStations,
  storeAlert,
} from '../issue.ts';
import { publishAlert } from '../publish.ts';
import { type AlertRow, getAlertRow, statusOf, targetsOf } from '../store.ts';
import { fetchAudio } from './fetch.ts';
import { type CapAlert, type CapInfo, readCap } from './read.ts';
import { capRefusal } from './refusal.ts';
import { levelOf } from './settings.ts';
import { hasAudio, type Sound, soundOf } from './sound.ts';
import { type CapMakers, descriptionToSpeak, type SpokenBy, spokenClip } from './speech/description.ts';
import { alertIdByRef, type CapRef, insertCapRow } from './store.ts';
import { targetsOfAreas } from './targets.ts';

/** How long a remote resource may take to arrive whole. */
export const FETCH_TIMEOUT_MS = 60_000;

/** Emergency only, as in the JSON API: `true` plays it inside quiet windows too. */
export const IGNORE_QUIET_WINDOWS = 'LOA_IGNORE_QUIET_WINDOWS';

export type CapImport =
  | { msgType: 'Alert' | 'Update'; row: AlertRow; replaced: AlertRow[]; speech?: SpokenBy }
  | { msgType: 'Cancel'; row: null; replaced: AlertRow[] };

/** The info read: the first in Vietnamese, else the first. */
export const chosenInfo = (cap: CapAlert): CapInfo => {
  const info = cap.info?.find((i) => i.language.toLowerCase().startsWith('vi')) ?? cap.info?.[0];
  if (!info) throw capRefusal('alert/info', 'required element missing', 'thiếu phần tử bắt buộc');
  return info;
};

/** `sender,identifier,sent` triples separated by spaces (CAP 1.2, 3.2.1 references). */
function referencesOf(cap: CapAlert): CapRef[] {
  const text = cap.references ?? '';
  if (!text)
    throw capRefusal(
      'alert/references',
      `required for msgType ${cap.msgType}`,
      `bắt buộc khi msgType là ${cap.msgType}`,
    );
  return text.split(/\s+/).map((triple) => {
    const [sender, identifier, sent, ...rest] = triple.split(',');
    if (!sender || !identifier || !sent || rest.length)
      throw capRefusal(
        'alert/references',
        `'${triple}' is not sender,identifier,sent`,
        `'${triple}' không có dạng sender,identifier,sent`,
      );
    return { sender, identifier, sent };
  });
}

/** The bulletins an Update or Cancel references, each still running; 404 or 409 with the reference. */
function referenced(deps: ControllerDeps, cap: CapAlert): AlertRow[] {
  const now = deps.clock.now();
  return referencesOf(cap).map((ref) => {
    const id = alertIdByRef(deps.db, ref, deps.config.cap.sender);
    const named = `${ref.sender},${ref.identifier},${ref.sent}`;
    if (!id)
      throw capRefusal(
        'alert/references',
        `no bulletin here comes from ${named}`,
        `không có bản tin nào từ ${named}`,
        404,
      );
    const row = getAlertRow(deps.db, id);
    const status = statusOf(row, now);
    if (status !== 'active')
      throw capRefusal(
        'alert/references',
        `bulletin ${id} (${named}) is already ${status}`,
        `bản tin ${id} đã kết thúc hoặc bị thu hồi`,
        409,
      );
    return row;
  });
}

/** The bulletin an info describes, as the JSON API takes it. */
function bulletinOf(deps: ControllerDeps, info: CapInfo, targets: Target[], clipId: string): AlertCreate {
  const ignore = info.parameter?.find((p) => p.valueName === IGNORE_QUIET_WINDOWS)?.value === 'true';
  return {
    level: levelOf(deps.config.cap.levels, info),
    title: (info.headline || info.event).slice(0, 200),
    reason: (info.description || info.event).slice(0, 500),
    clipId,
    targets,
    expiresAt: info.expires ? new Date(info.expires).toISOString() : undefined,
    ignoreQuietWindows: ignore,
  };
}

/**
 * What is checked before a clip is made for the alert (remote audio fetched, a description spoken): the
 * level the caller may send, the quiet-window choice, the expiry and the stations reached.
 */
function checkBeforeMaking(deps: ControllerDeps, body: AlertCreate, principal: Principal | null): void {
  if (userOf(principal)?.role === 'ward' && body.level !== 'normal')
    throw forbidden([
      'ward staff may send only normal bulletins (to their own ward)',
      'Cán bộ phường/xã chỉ được phát bản tin thông thường cho phường/xã của mình.',
    ]);
  if (body.ignoreQuietWindows && body.level !== 'emergency')
    throw capRefusal(
      'alert/info/parameter',
      `${IGNORE_QUIET_WINDOWS} is only for emergency bulletins`,
      `${IGNORE_QUIET_WINDOWS} chỉ dùng cho bản tin khẩn cấp`,
    );
  const now = deps.clock.now().getTime();
  const expires = body.expiresAt ? Date.parse(body.expiresAt) : now + DEFAULT_ALERT_MS[body.level];
  if (expires <= now || expires - now > MAX_ALERT_MS)
    throw capRefusal('alert/info/expires', 'is past or more than 7 days ahead', 'đã qua hoặc quá 7 ngày tới');
  reachedStations(deps.db, body.targets);
}

/**
 * Remote audio, for an emergency only (it becomes a processed draft, unreviewed, as an emergency recording
 * does): everything else about the bulletin is checked first, then it is fetched and goes through the clip
 * pipeline; answers the clip's id.
 */
async function fetchedClip(
  deps: ControllerDeps,
  body: AlertCreate,
  sound: Extract<Sound, { remote: unknown }>,
  principal: Principal | null,
  makers: CapMakers,
): Promise<string> {
  const { config } = deps;
  if (body.level !== 'emergency')
    throw capRefusal(
      'alert/info/resource/uri',
      `remote audio becomes an unreviewed draft, which only an emergency may use (this alert is ${body.level}): upload the clip, have it approved and name its …/api/clips/{id}/audio`,
      `âm thanh từ xa chỉ là bản nháp chưa duyệt, chỉ dùng cho bản tin khẩn cấp: hãy tải lên, duyệt, rồi dùng …/api/clips/{id}/audio`,
    );
  checkBeforeMaking(deps, body, principal);
  const received = await fetchAudio(sound.remote, tmpDirOf(config.dataDir), {
    maxBytes: config.maxUploadBytes,
    timeoutMs: FETCH_TIMEOUT_MS,
  });
  const { row } = await admitUpload(makers.admission(), received, principal, true);
  return row.id;
}

/** Reads, checks and applies one CAP document; nothing is stored unless every check passes. */
export async function importCap(
  deps: ControllerDeps,
  xml: string,
  principal: Principal | null,
  makers: CapMakers,
  /** who the bulletin is issued by when no user sends it (a feed's name) */
  actor?: string,
): Promise<CapImport> {
  const { db, clock, bus, log } = deps;
  const cap = readCap(xml);
  if (cap.status !== 'Actual')
    throw capRefusal(
      'alert/status',
      `only Actual alerts are broadcast (this one is ${cap.status})`,
      `chỉ phát văn bản có status Actual (văn bản này là ${cap.status})`,
    );
  if (cap.msgType === 'Ack' || cap.msgType === 'Error')
    throw capRefusal(
      'alert/msgType',
      `${cap.msgType} messages carry nothing to broadcast`,
      `văn bản ${cap.msgType} không có gì để phát`,
    );
  const known = alertIdByRef(db, cap, deps.config.cap.sender);
  if (known)
    throw capRefusal(
      'alert/identifier',
      `this alert was already imported as bulletin ${known}`,
      `văn bản này đã được nhập thành bản tin ${known}`,
      409,
    );
  const replaced = cap.msgType === 'Alert' ? [] : referenced(deps, cap);
  for (const old of replaced)
    checkAreas(
      principal,
      targetsOf(old).map((t) => targetArea(db, t)),
    );
  const now = clock.now();
  const by = principal || !actor ? actorName(principal) : actor;
  const reason = cap.note || `CAP ${cap.msgType} ${cap.sender},${cap.identifier},${cap.sent}`;

  if (cap.msgType === 'Cancel') {
    const rows = db.transaction(() => replaced.map((old) => cancelAlert(deps, old.id, principal, reason)))();
    log.info(`CAP Cancel ${cap.identifier} from ${cap.sender}: withdrew ${rows.map((r) => r.id).join(', ')}`);
    return { msgType: 'Cancel', row: null, replaced: rows };
  }
  const info = chosenInfo(cap);
  const targets = targetsOfAreas(db, info.area ?? []);
  checkAreas(
    principal,
    targets.map((t) => targetArea(db, t)),
  );
  // no audio resource but a description: the clip is spoken from it (speech/description.ts)
  const spoken = !hasAudio(info.resource) && info.description ? descriptionToSpeak(info) : null;
  const sound = spoken === null ? soundOf(db, deps.config.dataDir, info.resource) : null;
  let body = bulletinOf(deps, info, targets, sound && 'clipId' in sound ? sound.clipId : '');
  let speech: SpokenBy | undefined;
  if (sound && 'remote' in sound)
    body = { ...body, clipId: await fetchedClip(deps, body, sound, principal, makers) };
  if (spoken !== null) {
    checkBeforeMaking(deps, body, principal);
    speech = await spokenClip(deps, makers, spoken, body.level, body.title, principal);
    body = { ...body, clipId: speech.clipId };
  }
  const prepared = prepareAlert(db, body, principal, clock.now());
  const stored = db.transaction(() => {
    const row = storeAlert(db, body, prepared, by, now);
    insertCapRow(db, {
      alert_id: row.id,
      sender: cap.sender,
      identifier: cap.identifier,
      sent: cap.sent,
      msg_type: cap.msgType,
      document: xml,
      imported_at: now.toISOString(),
      imported_by: by,
    });
    // an Update replaces: the old bulletins are withdrawn (and published so) once the new one is stored
    const withdrawn = replaced.map((old) => cancelAlert(deps, old.id, principal, reason));
    return { row, withdrawn };
  })();
  if (bus) publishAlert(bus, stored.row);
  log.info(
    `CAP ${cap.msgType} ${cap.identifier} from ${cap.sender}: alert ${stored.row.id} (${stored.row.level}) to ` +
      `${prepared.stations.length} station(s) by ${by}` +
      (stored.withdrawn.length ? `, replacing ${stored.withdrawn.map((r) => r.id).join(', ')}` : ''),
  );
  return { msgType: cap.msgType, row: stored.row, replaced: stored.withdrawn, speech };
}
