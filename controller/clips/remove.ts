// Deleting a clip: only one no slot plays and no running bulletin uses; its file goes with the last clip
// made of the same sound.
import { rm } from 'node:fs/promises';
import { getAlertRow, runningAlertWithClip } from '../alerts/store.ts';
import type { Db } from '../db.ts';
import { conflict } from '../http/errors.ts';
import { getRule, SLOT } from '../rules/kinds.ts';
import { clipPath } from './files.ts';
import { deleteClipRow, fileShared, getClip, slotPlaying } from './store.ts';

export async function removeClip(db: Db, dataDir: string, clipId: string, now: Date): Promise<void> {
  const row = getClip(db, clipId);
  if (row.status === 'processing')
    throw conflict([
      `clip '${row.id}' is still being processed`,
      `Tệp âm thanh «${row.title}» đang được xử lý, chưa thể xóa.`,
    ]);
  const slotId = slotPlaying(db, row.id);
  if (slotId)
    throw conflict([
      `clip '${row.id}' is played by slot '${slotId}'`,
      `Tệp âm thanh «${row.title}» đang được phát trong khung giờ phát lúc ${getRule(db, SLOT, slotId).startTime}: hãy bỏ tệp khỏi khung giờ đó trước khi xóa.`,
    ]);
  const alertId = runningAlertWithClip(db, row.id, now);
  if (alertId)
    throw conflict([
      `clip '${row.id}' is the clip of bulletin '${alertId}', still running`,
      `Tệp âm thanh «${row.title}» đang được dùng cho bản tin «${getAlertRow(db, alertId).title}» còn hiệu lực.`,
    ]);
  deleteClipRow(db, row.id);
  if (row.sha256 && !fileShared(db, row.sha256)) await rm(clipPath(dataDir, row.sha256), { force: true });
}
