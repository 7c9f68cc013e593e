// The CAP identity kept with a bulletin made from a CAP alert (sender, identifier, sent, the document),
// so an Update or Cancel that references it finds it, and its export keeps the identity it came with.
import type { Db } from '../../db.ts';

/** A CAP message's identity: references name them as `sender,identifier,sent`. */
export interface CapRef {
  sender: string;
  identifier: string;
  sent: string;
}

export interface CapAlertRow extends CapRef {
  alert_id: string;
  msg_type: string;
  document: string;
  imported_at: string;
  imported_by: string;
}

export const capRowOf = (db: Db, alertId: string) =>
  db.prepare('SELECT * FROM cap_alerts WHERE alert_id = ?').get(alertId) as CapAlertRow | undefined;

/** The bulletin a reference names: one imported with that identity, or one of ours exported under it. */
export function alertIdByRef(db: Db, ref: CapRef, ourSender: string): string | undefined {
  const imported = db
    .prepare('SELECT alert_id FROM cap_alerts WHERE sender = ? AND identifier = ? AND sent = ?')
    .all(ref.sender, ref.identifier, ref.sent) as { alert_id: string }[];
  if (imported[0]) return imported[0].alert_id;
  // `sent` of our own bulletins is written in local time to the second: the instant is compared, not the text
  if (ref.sender !== ourSender) return undefined;
  const own = db.prepare('SELECT id, issued_at FROM alerts WHERE id = ?').get(ref.identifier) as
    | { id: string; issued_at: string }
    | undefined;
  const second = (t: string) => Math.floor(Date.parse(t) / 1000);
  return own && second(own.issued_at) === second(ref.sent) ? own.id : undefined;
}

export function insertCapRow(db: Db, row: CapAlertRow): void {
  db.prepare(
    `INSERT INTO cap_alerts (alert_id, sender, identifier, sent, msg_type, document, imported_at, imported_by)
     VALUES (@alert_id, @sender, @identifier, @sent, @msg_type, @document, @imported_at, @imported_by)`,
  ).run(row);
}
