// The table that keeps a CAP alert's identity with the bulletin made from it (store.ts reads and writes it).

/** The migration (controller/migrations.ts): one row per bulletin imported from CAP, removed with it. */
export const CAP_ALERTS = `CREATE TABLE cap_alerts (
       alert_id TEXT PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
       sender TEXT NOT NULL,
       identifier TEXT NOT NULL,
       sent TEXT NOT NULL,
       msg_type TEXT NOT NULL,
       document TEXT NOT NULL,
       imported_at TEXT NOT NULL,
       imported_by TEXT NOT NULL
     );
     CREATE UNIQUE INDEX cap_alerts_ref ON cap_alerts(sender, identifier, sent);`;
