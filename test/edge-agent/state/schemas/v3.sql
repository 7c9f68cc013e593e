PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE desired (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     version INTEGER NOT NULL,
     json TEXT NOT NULL,
     applied_at TEXT NOT NULL
   );
INSERT INTO "desired" VALUES (1, 7, '{"version":7,"issuedAt":"2025-03-01T00:00:00.000Z","station":{"id":"st-an-binh","name":"Loa An Bình","areaPath":["tp-can-tho","d-ninh-kieu","w-an-binh"],"timezone":"Asia/Ho_Chi_Minh"},"slots":[{"id":"sang","campaignId":"camp-1","clipIds":["clip-tin-sang"],"startTime":"06:30","weekdays":[1,2,3,4,5,6,7],"startDate":"2025-01-01","endDate":"2025-12-31","target":{"scope":"station","id":"st-an-binh"},"priority":0}],"quietWindows":[],"clips":[{"id":"clip-tin-sang","sha256":"33f230c01c7ab3ab059a3b70c264973414abf0ec65fa1d4f9b3e0a1547a2d442","durationMs":30000,"bytes":4096}]}', '2026-11-20T00:00:00.000Z');
CREATE TABLE clips (
     id TEXT PRIMARY KEY,
     sha256 TEXT NOT NULL,
     path TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     fetched_at TEXT NOT NULL
   , last_used_at TEXT);
INSERT INTO "clips" VALUES ('clip-tin-sang', '33f230c01c7ab3ab059a3b70c264973414abf0ec65fa1d4f9b3e0a1547a2d442', 'clips/33f230c01c7ab3ab059a3b70c264973414abf0ec65fa1d4f9b3e0a1547a2d442', 4096, '2026-11-20T00:01:00.000Z', '2026-11-21T23:30:00.000Z');
CREATE TABLE entries_done (
     entry_id TEXT PRIMARY KEY,
     outcome TEXT,
     pending_json TEXT,
     updated_at TEXT NOT NULL
   );
INSERT INTO "entries_done" VALUES ('sang@2026-11-21T23:30:00.000Z', 'played', NULL, '2025-03-03T00:01:00.000Z');
CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     json TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
INSERT INTO "outbox" VALUES ('sang@2026-11-21T23:30:00.000Z', '{"id":"sang@2026-11-21T23:30:00.000Z","stationId":"st-an-binh","entryId":"sang@2026-11-21T23:30:00.000Z","slotId":"sang","campaignId":null,"clipIds":["c1"],"scheduledAt":"2026-11-21T23:30:00.000Z","outcome":"played","reason":null,"detail":null,"relayOnAt":null,"audioStartAt":null,"audioEndAt":null,"relayOffAt":null,"desiredVersion":1,"recordedAt":"2025-03-03T00:01:00.000Z","seq":1,"prevHash":null,"hash":"b3b55f79918ee1330a5a5dc1f65ed9cc74d45087508f9f8c97e742cf79d2d791"}', '2025-03-03T00:01:00.000Z');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES ('asrun.chain', '{"seq":1,"hash":"b3b55f79918ee1330a5a5dc1f65ed9cc74d45087508f9f8c97e742cf79d2d791"}');
INSERT INTO "meta" VALUES ('clock-offset-ms', '3');
CREATE TABLE overrides (
     id TEXT PRIMARY KEY,
     json TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
INSERT INTO "overrides" VALUES ('ov-1', '{"reason":"kiểm tra","createdBy":"Chị Lan","createdAt":"2026-11-22T01:00:00.000Z","entryId":null,"clip":null,"volume":null,"cancelledAt":null,"cancelledBy":null,"id":"ov-1","stationId":"st-an-binh","kind":"pause","startsAt":"2026-11-22T01:00:00.000Z","endsAt":"2026-11-22T02:00:00.000Z"}', '2026-11-22T02:00:00.000Z', '2026-11-22T01:00:00.000Z');
CREATE TABLE alerts (
     id TEXT PRIMARY KEY,
     json TEXT NOT NULL,
     received_at TEXT NOT NULL,
     ready_at TEXT,
     started_at TEXT,
     state TEXT NOT NULL,
     state_at TEXT NOT NULL,
     reason TEXT,
     detail TEXT,
     status_sent INTEGER NOT NULL DEFAULT 0
   );
INSERT INTO "alerts" VALUES ('alert-1', '{"id":"alert-1","level":"emergency","title":"Cảnh báo lũ","reason":"Nước sông dâng cao","clip":{"id":"clip-tin-sang","sha256":"33f230c01c7ab3ab059a3b70c264973414abf0ec65fa1d4f9b3e0a1547a2d442","durationMs":30000,"bytes":4096},"targets":[{"scope":"area","id":"d-ninh-kieu"}],"issuedAt":"2026-11-22T03:00:00.000Z","issuedBy":"kt-ninh-kieu","expiresAt":"2026-11-22T04:00:00.000Z","ignoreQuietWindows":false,"cancelledAt":null}', '2026-11-22T03:00:01.000Z', NULL, '2026-11-22T03:00:02.000Z', 'received', '2026-11-22T03:00:01.000Z', NULL, NULL, 0);
CREATE TABLE local_clips (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
INSERT INTO "local_clips" VALUES ('local-1', 'Thông báo họp tổ', 42000, 'Chị Lan', '2026-11-22T05:00:00.000Z');
CREATE INDEX outbox_created ON outbox (created_at, id);
PRAGMA user_version = 3;
COMMIT;
