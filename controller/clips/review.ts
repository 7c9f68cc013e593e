// Review of clips: approve, reject with a reason, retire, reinstate; each a checked state transition.
import { clipWords } from '../console/words/clips.ts';
import type { Db } from '../db.ts';
import { conflict, forbidden } from '../http/errors.ts';
import { type Principal, userOf } from '../users/roles.ts';
import { type ClipStatus, getClip, setReviewState } from './store.ts';

/** A state as the console names it. */
const statusVi = (s: ClipStatus) => clipWords[`clipStatus.${s}`][0];

/**
 * Moves a clip between review states; anything else is a 409 naming the state it is in. Answers the
 * state it left, for the log.
 */
export function transition(
  db: Db,
  clipId: string,
  principal: Principal | null,
  move: { from: ClipStatus[]; to: ClipStatus; reason?: string },
  now: Date,
): { id: string; was: ClipStatus } {
  const { from, to } = move;
  const row = getClip(db, clipId);
  if (!from.includes(row.status))
    throw conflict([
      `clip '${row.id}' is ${row.status}; it cannot become ${to}`,
      `Tệp âm thanh «${row.title}» đang ở trạng thái «${statusVi(row.status)}», không thể chuyển sang «${statusVi(to)}».`,
    ]);
  const who = userOf(principal);
  const reviewing = to === 'approved' || to === 'rejected';
  // the department appraises content: a second pair of eyes, unless the admin takes it on
  if (reviewing && who && who.role !== 'admin' && row.uploaded_by === who.username) {
    throw forbidden([
      'a clip is reviewed by someone other than the person who uploaded it',
      'Tệp âm thanh phải do một người khác với người tải lên duyệt.',
    ]);
  }
  setReviewState(db, row.id, to, move.reason ?? null, who?.username ?? null, reviewing, now.toISOString());
  return { id: row.id, was: row.status };
}
