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
   );
INSERT INTO "clips" VALUES ('clip-tin-sang', '33f230c01c7ab3ab059a3b70c264973414abf0ec65fa1d4f9b3e0a1547a2d442', 'clips/33f230c01c7ab3ab059a3b70c264973414abf0ec65fa1d4f9b3e0a1547a2d442', 4096, '2026-11-20T00:01:00.000Z');
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
INSERT INTO "outbox" VALUES ('sang@2026-11-21T23:30:00.000Z', '{"id":"sang@2026-11-21T23:30:00.000Z","stationId":"st-an-binh","entryId":"sang@2026-11-21T23:30:00.000Z","slotId":"sang","campaignId":null,"clipIds":["c1"],"scheduledAt":"2026-11-21T23:30:00.000Z","outcome":"played","reason":null,"detail":null,"relayOnAt":null,"audioStartAt":null,"audioEndAt":null,"relayOffAt":null,"desiredVersion":1,"recordedAt":"2025-03-03T00:01:00.000Z"}', '2025-03-03T00:01:00.000Z');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES ('clock-offset-ms', '3');
CREATE INDEX outbox_created ON outbox (created_at, id);
PRAGMA user_version = 1;
COMMIT;
