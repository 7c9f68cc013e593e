PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'technician', 'reviewer', 'ward', 'viewer')),
     created_at TEXT NOT NULL
   , disabled INTEGER NOT NULL DEFAULT 0, areas TEXT NOT NULL DEFAULT '[]');
INSERT INTO "users" VALUES (1, 'admin', 'scrypt$9/lMnkDZspCfOdevqt225Q==$D/IttCJnUMq7SRtR8x/idooHzxbGP0RzhaZwbK3+g8c=', 'admin', '2026-11-22T01:00:00.000Z', 0, '[]');
INSERT INTO "users" VALUES (2, 'kt-ninh-kieu', 'scrypt$uC7gRWnPR0cwiEvc1GsWkg==$ddpd0naZ7OOcisHt09Hcldi8QdP6n8GfLvP++6GO3lo=', 'technician', '2026-11-22T01:00:00.000Z', 0, '["ninh-kieu"]');
INSERT INTO "users" VALUES (3, 'kt-ngoai-thanh', 'scrypt$8uyABp05QOgwDO1q3jXPQw==$G9YLb4bbYDnzekLMNw3HvYZEGoRe1hVGbyov9pqBKr8=', 'technician', '2026-11-22T01:00:00.000Z', 0, '["cai-rang","phong-dien"]');
INSERT INTO "users" VALUES (4, 'cb-an-hoa', 'scrypt$lb2Gfp3TL4K3+tSfjmO6hw==$k/VzclrjdWdFKlVxRxuNAWxZmkps3/ZrLnc3QrTcsUE=', 'ward', '2026-11-22T01:00:00.000Z', 0, '["an-hoa"]');
INSERT INTO "users" VALUES (5, 'cb-phong-dien', 'scrypt$+UxK2MXRTdhMr5yc015pmg==$sTktu9WN440/ttVAQzsnHNJgnUvwunAu7udpOFVhFHk=', 'ward', '2026-11-22T01:00:00.000Z', 0, '["phong-dien-ward"]');
INSERT INTO "users" VALUES (6, 'xem-cai-rang', 'scrypt$+CYzhs+7QXfjF7ujYBc/Tg==$QxdQdImZrR3tr7ijptFWeUCbogsthtUTzPPq58uhks4=', 'viewer', '2026-11-22T01:00:00.000Z', 0, '["cai-rang"]');
INSERT INTO "users" VALUES (7, 'xem', 'scrypt$FyUAoVeICrlJ14RRwqAWfA==$C6m7yUJwIXZbDH6RNQbWxCnZt7/T7CEdNhGlD3tNGOs=', 'viewer', '2026-11-22T01:00:00.000Z', 0, '[]');
INSERT INTO "users" VALUES (8, 'duyet', 'scrypt$pV0nquxOMA9gEs5Xl4mnKw==$Ez7Aetww3dEaB/3BZo4cHGmAeAWqPcXMUKa67zHUEWI=', 'reviewer', '2026-11-22T01:00:00.000Z', 0, '[]');
CREATE TABLE api_tokens (
     token_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     expires_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   , revoked_at TEXT, csrf_hash TEXT);
CREATE TABLE stations (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     timezone TEXT NOT NULL,
     secret_hash TEXT NOT NULL UNIQUE,
     desired_version INTEGER NOT NULL DEFAULT 0,
     desired_hash TEXT,
     online INTEGER NOT NULL DEFAULT 0,
     presence_at TEXT,
     health_json TEXT,
     created_at TEXT NOT NULL
   , broker_hash TEXT, secret_revoked INTEGER NOT NULL DEFAULT 0, enrolment_hash TEXT, enrolment_expires_at TEXT, area_id TEXT REFERENCES areas(id), zones TEXT NOT NULL DEFAULT '[]', asrun_chain_json TEXT);
INSERT INTO "stations" VALUES ('st-an-hoa', 'Đài phường An Hòa', 'Asia/Ho_Chi_Minh', '8c1d6627119d357c1559720f16f0e8763928cab9230dd6f6cfa534cfdf765bed', 8, '5733c53f995e2f60c3e702c4e935671078248f734782a3cce7f479a1f28109a3', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$TrJvQB6F852SaSkG$FosmFuEANwAoWCgj9uAZCUH8Yfb5lRV7LOxwxQIYkkl9NjT4DHJU5HSjWH322Y27QpgNrbwe4a6cAnVznuNG8Q==', 0, NULL, NULL, 'an-hoa', '[]', NULL);
INSERT INTO "stations" VALUES ('st-an-hoa-2', 'Cụm loa chợ An Hòa', 'Asia/Ho_Chi_Minh', '878d0462dd452de28c50893dc68cb6d381e1aaba94cbc57a493be7ba802dc177', 9, 'e16d3948b99ced7a199eea9760adf51924e4586a4d99243e987ea18c19d12a8e', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$S3TOhksJ1ITjd2ic$LqYhVVwp6iGOcConyxEYy4gGOFec94aOf3MPjUIiKN+XUtO58W3jNliWpFWlxFanq1YXR4JIsLm9r3kYtJNYGw==', 0, NULL, NULL, 'an-hoa', '[]', NULL);
INSERT INTO "stations" VALUES ('st-tan-an', 'Đài phường Tân An', 'Asia/Ho_Chi_Minh', '91600081a8d00f317367d2b2fc105ce111799d3714d4ba4256cdfb8ec5cfe891', 8, '98633548d01bc836d9ba8bc865d70b166908782a926592586d3ef85c7a1416e0', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$hsyzIoyok2u8w8w/$MlaaP5uWMQDnCwCdJVD3P8OylQMqNV7A66vFRaOjFvxSjP/dMIyWf9JYp17NjG43prrjH+PbWOYoIXbb9jUUWw==', 0, NULL, NULL, 'tan-an', '[]', NULL);
INSERT INTO "stations" VALUES ('st-xuan-khanh', 'Đài phường Xuân Khánh', 'Asia/Ho_Chi_Minh', 'fbd6efae545b5270ee105f43fd26491e0554098edfc7dfeec9640007daef4cad', 7, '612ac02e45453da7dcf83ddac30b050d44f642a45a3e402f1c2815aae063d8c0', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$ESvb2qTv3sxlguKH$kF5d0X+ykqa+5tq4i9JV5fY3jgNxaaJRW2RuinrItLk5FtrdFWuMOKfJRTFRpmlwn7YmDI9u7H7GtWLr5RMADg==', 0, NULL, NULL, 'xuan-khanh', '[]', NULL);
INSERT INTO "stations" VALUES ('st-le-binh', 'Đài phường Lê Bình', 'Asia/Ho_Chi_Minh', '43aaa7f771975101e16758b96eb23b70b58cfe3d826f37c323ed0d8dee5f0f21', 6, 'a11510eb7de5f5d1ce8c9d6990de78daa6adb79901376fba85993d56c4d9bc7e', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$bQTpgFqGmnWQ55JZ$eUlVNzgWS6nVPhQvhNXVFgMm59GIKzVRrgZvd1mjSJKFhmsXY207y7RC1BYt9MvPlCCFOVcWExNj/z6Iyj5Ttw==', 0, NULL, NULL, 'le-binh', '[]', NULL);
INSERT INTO "stations" VALUES ('st-hung-phu', 'Đài phường Hưng Phú', 'Asia/Ho_Chi_Minh', 'a0ddd0a2ba929c7331e0dc81d3eae4e235d9620ae5d7c098b60d5eb805ad1964', 6, 'b9c9ef8e35ad3f3cecfa6fcfd41e42ef9aec0a66e577cfc0f979b0cc9b7e7ae0', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$GJFMxwkDpwGEYfdT$iELrRimouPWjmcN3nY5nlWBPFDFifmkDRyY3fu1fd4WEqSnhTBFXxm/uu1i2FVqEkdZ6+cAbttmuHVXDTVlaXQ==', 0, NULL, NULL, 'hung-phu', '[]', NULL);
INSERT INTO "stations" VALUES ('st-hung-phu-2', 'Cụm loa bến phà Hưng Phú', 'Asia/Ho_Chi_Minh', '57106fc9e6b1915d96c88d65f8b5405cbb8fea384509f98962cc6c9c4ba63486', 7, '01af80f9daa60f45205b42c11ef261c223b3a8209121a53ac23016a61bc19bcc', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$5VW2c2j63sYOejVU$LyZK4m2f+lunv6FUWh9HTI30h6XPEw/ybwNiYPSP0M7mIcNn0u1aBuTPeG5dvkkBPbf6SwujntZC7G/zWr5FDA==', 0, NULL, NULL, 'hung-phu', '[]', NULL);
INSERT INTO "stations" VALUES ('st-phong-dien', 'Đài thị trấn Phong Điền', 'Asia/Ho_Chi_Minh', '077bc3b9f12607c20bd77e9b6c29423aad373baeffe737169bc62ffcc2fc9340', 8, '76291a64822f5637a649dc4260c537ed870229ad99af45f446f3141cc54a2718', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$oPLIUINkh4Ppcgwu$HPpmJRUm+DMuAu86n+yITkKwrnldutaBszKwuA8Sm1ogJ5haADjhQz6R65xfmWL5l27MeJJ4gcTO9yLk1pY7dA==', 0, NULL, NULL, 'phong-dien-ward', '[]', NULL);
INSERT INTO "stations" VALUES ('st-nhon-ai', 'Đài xã Nhơn Ái', 'Asia/Ho_Chi_Minh', '6721631ffa51e6c3bb6a681f4c2a63ea355be7a608c0bd045b915de883bd2422', 6, 'd4e4226108f14d1f2d12e16b7a832ed8e1d389a5f9aa1ed90ccc421cc5319967', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$1Z+0IDVLh4RjLVpk$hqvAKHk5Lz9QAPgl32/0TXys0T+cr+4858iyyFnHGGjfECb2uYTDB2/Dct17zskOY/RmflaQxWE+FtIlFNWJBA==', 0, NULL, NULL, 'nhon-ai', '[]', NULL);
INSERT INTO "stations" VALUES ('st-my-khanh', 'Đài xã Mỹ Khánh', 'Asia/Ho_Chi_Minh', '9f7c0fff29672cd6d848162f59a254b0de155164572f0035fe33c91c99c69477', 5, '068cfa8f8ab20f296b160fa6d5dd526af31c9edd4f9caf81600b8c654da5bc1e', 0, NULL, NULL, '2026-11-22T01:00:00.000Z', '$7$1000$mZJ+CaLKPw92hSaf$lB/QowVvQIf00/t2pQOuANxrd6Y1tIC4DI06QAJLjL95dVv4iZeQS/EmrlKGc7bSePo7WNeDJk2wv3hjqLQZQQ==', 0, NULL, NULL, 'my-khanh', '[]', NULL);
CREATE TABLE clips (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     original_name TEXT NOT NULL,
     source_format TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL,
     loudness_in REAL,
     loudness_out REAL,
     true_peak_out REAL,
     created_at TEXT NOT NULL
   , status TEXT NOT NULL DEFAULT 'approved'
     CHECK (status IN ('processing', 'draft', 'approved', 'rejected', 'retired', 'failed')), progress REAL NOT NULL DEFAULT 1, reason TEXT, source_sha256 TEXT, source_bytes INTEGER, source_type TEXT, source_duration_ms INTEGER, true_peak_in REAL, uploaded_by TEXT, reviewed_by TEXT, reviewed_at TEXT, updated_at TEXT);
INSERT INTO "clips" VALUES ('clip-tin', 'Bản tin phòng dịch', 'clip-tin.wav', 'wav', '7474747474747474747474747474747474747474747474747474747474747474', 1000, 240000, NULL, NULL, NULL, '2026-10-01T00:00:00Z', 'approved', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "clips" VALUES ('clip-vac', 'Tiêm vắc-xin là then chốt', 'clip-vac.wav', 'wav', '7676767676767676767676767676767676767676767676767676767676767676', 1000, 180000, NULL, NULL, NULL, '2026-10-01T00:00:00Z', 'approved', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "clips" VALUES ('clip-ngan', 'Thông báo ngắn', 'clip-ngan.wav', 'wav', '6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e', 1000, 45000, NULL, NULL, NULL, '2026-10-01T00:00:00Z', 'approved', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE campaigns (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     message TEXT NOT NULL,
     start_date TEXT NOT NULL,
     end_date TEXT NOT NULL,
     created_at TEXT NOT NULL
   , area_id TEXT);
INSERT INTO "campaigns" VALUES ('camp-xet-nghiem', 'Xét nghiệm là then chốt', 'Xét nghiệm là then chốt, vắc-xin là cơ bản', '2026-11-01', '2026-12-31', '2026-11-22T01:00:00.000Z', NULL);
INSERT INTO "campaigns" VALUES ('camp-ninh-kieu', 'Tiêm chủng Ninh Kiều', '', '2026-11-10', '2026-12-20', '2026-11-22T01:00:00.000Z', 'ninh-kieu');
CREATE TABLE slots (
     id TEXT PRIMARY KEY,
     campaign_id TEXT REFERENCES campaigns(id) ON DELETE CASCADE,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
INSERT INTO "slots" VALUES ('slot-sang-tp', 'camp-xet-nghiem', '{"id":"slot-sang-tp","campaignId":"camp-xet-nghiem","clipIds":["clip-tin","clip-vac"],"startTime":"06:30","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"city"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-chieu-tp', 'camp-xet-nghiem', '{"id":"slot-chieu-tp","campaignId":"camp-xet-nghiem","clipIds":["clip-tin"],"startTime":"17:00","weekdays":[1,3,5],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"city"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-nk-trua', 'camp-ninh-kieu', '{"id":"slot-nk-trua","campaignId":"camp-ninh-kieu","clipIds":["clip-vac"],"startTime":"11:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-10","endDate":"2026-12-20","target":{"scope":"area","id":"ninh-kieu"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-nk-linh-hoat', NULL, '{"id":"slot-nk-linh-hoat","campaignId":null,"clipIds":["clip-ngan"],"startTime":"09:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"ninh-kieu"},"priority":5,"flexibleUntil":"12:30"}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-an-hoa', NULL, '{"id":"slot-an-hoa","campaignId":null,"clipIds":["clip-ngan"],"startTime":"17:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"an-hoa"},"priority":10}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-tan-an', NULL, '{"id":"slot-tan-an","campaignId":null,"clipIds":["clip-tin"],"startTime":"18:15","weekdays":[6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"tan-an"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-cai-rang', NULL, '{"id":"slot-cai-rang","campaignId":null,"clipIds":["clip-vac"],"startTime":"10:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"cai-rang"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-hung-phu-2', NULL, '{"id":"slot-hung-phu-2","campaignId":null,"clipIds":["clip-ngan"],"startTime":"05:45","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"station","id":"st-hung-phu-2"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-pd-huyen', NULL, '{"id":"slot-pd-huyen","campaignId":null,"clipIds":["clip-tin"],"startTime":"16:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"phong-dien"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-pd-thi-tran', NULL, '{"id":"slot-pd-thi-tran","campaignId":null,"clipIds":["clip-ngan"],"startTime":"16:02","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"phong-dien-ward"},"priority":3}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-pd-linh-hoat', NULL, '{"id":"slot-pd-linh-hoat","campaignId":null,"clipIds":["clip-vac"],"startTime":"08:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"phong-dien-ward"},"priority":0,"flexibleUntil":"13:00"}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-nhon-ai', NULL, '{"id":"slot-nhon-ai","campaignId":null,"clipIds":["clip-tin"],"startTime":"19:00","weekdays":[2,4],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"area","id":"nhon-ai"},"priority":0}', '2026-11-22T01:00:00.000Z');
INSERT INTO "slots" VALUES ('slot-het-han', NULL, '{"id":"slot-het-han","campaignId":null,"clipIds":["clip-tin"],"startTime":"06:30","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-10-01","endDate":"2026-10-31","target":{"scope":"area","id":"xuan-khanh"},"priority":0}', '2026-11-22T01:00:00.000Z');
CREATE TABLE slot_clips (
     slot_id TEXT NOT NULL REFERENCES slots(id) ON DELETE CASCADE,
     position INTEGER NOT NULL,
     clip_id TEXT NOT NULL REFERENCES clips(id) ON DELETE RESTRICT,
     PRIMARY KEY (slot_id, position)
   );
INSERT INTO "slot_clips" VALUES ('slot-sang-tp', 0, 'clip-tin');
INSERT INTO "slot_clips" VALUES ('slot-sang-tp', 1, 'clip-vac');
INSERT INTO "slot_clips" VALUES ('slot-chieu-tp', 0, 'clip-tin');
INSERT INTO "slot_clips" VALUES ('slot-nk-trua', 0, 'clip-vac');
INSERT INTO "slot_clips" VALUES ('slot-nk-linh-hoat', 0, 'clip-ngan');
INSERT INTO "slot_clips" VALUES ('slot-an-hoa', 0, 'clip-ngan');
INSERT INTO "slot_clips" VALUES ('slot-tan-an', 0, 'clip-tin');
INSERT INTO "slot_clips" VALUES ('slot-cai-rang', 0, 'clip-vac');
INSERT INTO "slot_clips" VALUES ('slot-hung-phu-2', 0, 'clip-ngan');
INSERT INTO "slot_clips" VALUES ('slot-pd-huyen', 0, 'clip-tin');
INSERT INTO "slot_clips" VALUES ('slot-pd-thi-tran', 0, 'clip-ngan');
INSERT INTO "slot_clips" VALUES ('slot-pd-linh-hoat', 0, 'clip-vac');
INSERT INTO "slot_clips" VALUES ('slot-nhon-ai', 0, 'clip-tin');
INSERT INTO "slot_clips" VALUES ('slot-het-han', 0, 'clip-tin');
CREATE TABLE quiet_windows (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
INSERT INTO "quiet_windows" VALUES ('qw-hoc-truc-tuyen', '{"id":"qw-hoc-truc-tuyen","weekdays":[1,2,3,4,5],"startTime":"07:00","endTime":"11:30","startDate":"2026-09-05","endDate":"2027-01-15","reason":"online-class","note":"","exceptDates":["2026-11-20","2026-11-27"],"target":{"scope":"area","id":"city"}}', '2026-11-22T01:00:00.000Z');
INSERT INTO "quiet_windows" VALUES ('qw-hoc-chieu-nk', '{"id":"qw-hoc-chieu-nk","weekdays":[1,2,3,4,5],"startTime":"13:30","endTime":"17:05","startDate":"2026-09-05","endDate":"2027-01-15","reason":"online-class","note":"","target":{"scope":"area","id":"ninh-kieu"}}', '2026-11-22T01:00:00.000Z');
INSERT INTO "quiet_windows" VALUES ('qw-vov', '{"id":"qw-vov","weekdays":[1,2,3,4,5,6,7],"startTime":"18:00","endTime":"18:30","startDate":"2026-09-05","endDate":"2027-01-15","reason":"national-relay","note":"","target":{"scope":"area","id":"cai-rang"}}', '2026-11-22T01:00:00.000Z');
INSERT INTO "quiet_windows" VALUES ('qw-le-hoi', '{"id":"qw-le-hoi","weekdays":[6],"startTime":"15:00","endTime":"20:00","startDate":"2026-11-28","endDate":"2026-11-28","reason":"local-event","note":"","target":{"scope":"area","id":"phong-dien-ward"}}', '2026-11-22T01:00:00.000Z');
INSERT INTO "quiet_windows" VALUES ('qw-dem', '{"id":"qw-dem","weekdays":[1,2,3,4,5,6,7],"startTime":"22:00","endTime":"05:00","startDate":"2026-09-05","endDate":"2027-01-15","reason":"other","note":"","target":{"scope":"station","id":"st-an-hoa-2"}}', '2026-11-22T01:00:00.000Z');
CREATE TABLE plays (
     id TEXT NOT NULL,
     station_id TEXT NOT NULL,
     entry_id TEXT NOT NULL,
     slot_id TEXT,
     campaign_id TEXT,
     clip_ids TEXT NOT NULL,
     scheduled_at TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT,
     detail TEXT,
     relay_on_at TEXT,
     audio_start_at TEXT,
     audio_end_at TEXT,
     relay_off_at TEXT,
     desired_version INTEGER NOT NULL,
     recorded_at TEXT NOT NULL,
     received_at TEXT NOT NULL, heard_ms INTEGER, repeat_planned INTEGER, repeat_played INTEGER,
     PRIMARY KEY (station_id, id)
   );
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-01', 'st-an-hoa', 'slot-sang-tp@2026-11-01', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-10-31T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-10-31T23:30:00.000Z', '2026-10-31T23:37:00.000Z', NULL, 1, '2026-10-31T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-02', 'st-an-hoa', 'slot-sang-tp@2026-11-02', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-01T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-01T23:30:00.000Z', '2026-11-01T23:37:00.000Z', NULL, 1, '2026-11-01T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-03', 'st-an-hoa', 'slot-sang-tp@2026-11-03', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-02T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-02T23:30:00.000Z', '2026-11-02T23:37:00.000Z', NULL, 1, '2026-11-02T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-04', 'st-an-hoa', 'slot-sang-tp@2026-11-04', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-03T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-03T23:30:00.000Z', '2026-11-03T23:37:00.000Z', NULL, 1, '2026-11-03T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-05', 'st-an-hoa', 'slot-sang-tp@2026-11-05', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-04T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-04T23:30:00.000Z', '2026-11-04T23:37:00.000Z', NULL, 1, '2026-11-04T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-06', 'st-an-hoa', 'slot-sang-tp@2026-11-06', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-05T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-05T23:30:00.000Z', '2026-11-05T23:37:00.000Z', NULL, 1, '2026-11-05T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-07', 'st-an-hoa', 'slot-sang-tp@2026-11-07', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-06T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-06T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-08', 'st-an-hoa', 'slot-sang-tp@2026-11-08', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-07T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-07T23:30:00.000Z', '2026-11-07T23:37:00.000Z', NULL, 1, '2026-11-07T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-09', 'st-an-hoa', 'slot-sang-tp@2026-11-09', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-08T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-08T23:30:00.000Z', '2026-11-08T23:37:00.000Z', NULL, 1, '2026-11-08T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-10', 'st-an-hoa', 'slot-sang-tp@2026-11-10', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-09T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-09T23:30:00.000Z', '2026-11-09T23:37:00.000Z', NULL, 1, '2026-11-09T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-11', 'st-an-hoa', 'slot-sang-tp@2026-11-11', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-10T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-10T23:30:00.000Z', '2026-11-10T23:37:00.000Z', NULL, 1, '2026-11-10T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-12', 'st-an-hoa', 'slot-sang-tp@2026-11-12', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-11T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-11T23:30:00.000Z', '2026-11-11T23:37:00.000Z', NULL, 1, '2026-11-11T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-13', 'st-an-hoa', 'slot-sang-tp@2026-11-13', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-12T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-12T23:30:00.000Z', '2026-11-12T23:37:00.000Z', NULL, 1, '2026-11-12T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-14', 'st-an-hoa', 'slot-sang-tp@2026-11-14', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-13T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-13T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-15', 'st-an-hoa', 'slot-sang-tp@2026-11-15', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-14T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-14T23:30:00.000Z', '2026-11-14T23:37:00.000Z', NULL, 1, '2026-11-14T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-16', 'st-an-hoa', 'slot-sang-tp@2026-11-16', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-15T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-15T23:30:00.000Z', '2026-11-15T23:37:00.000Z', NULL, 1, '2026-11-15T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-17', 'st-an-hoa', 'slot-sang-tp@2026-11-17', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-16T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-16T23:30:00.000Z', '2026-11-16T23:37:00.000Z', NULL, 1, '2026-11-16T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-18', 'st-an-hoa', 'slot-sang-tp@2026-11-18', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-17T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-17T23:30:00.000Z', '2026-11-17T23:37:00.000Z', NULL, 1, '2026-11-17T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-19', 'st-an-hoa', 'slot-sang-tp@2026-11-19', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-18T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-18T23:30:00.000Z', '2026-11-18T23:37:00.000Z', NULL, 1, '2026-11-18T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-20', 'st-an-hoa', 'slot-sang-tp@2026-11-20', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-19T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-19T23:30:00.000Z', '2026-11-19T23:37:00.000Z', NULL, 1, '2026-11-19T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-an-hoa-2026-11-21', 'st-an-hoa', 'slot-sang-tp@2026-11-21', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-20T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-20T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-01', 'st-le-binh', 'slot-sang-tp@2026-11-01', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-10-31T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-10-31T23:30:00.000Z', '2026-10-31T23:37:00.000Z', NULL, 1, '2026-10-31T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-02', 'st-le-binh', 'slot-sang-tp@2026-11-02', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-01T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-01T23:30:00.000Z', '2026-11-01T23:37:00.000Z', NULL, 1, '2026-11-01T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-03', 'st-le-binh', 'slot-sang-tp@2026-11-03', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-02T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-02T23:30:00.000Z', '2026-11-02T23:37:00.000Z', NULL, 1, '2026-11-02T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-04', 'st-le-binh', 'slot-sang-tp@2026-11-04', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-03T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-03T23:30:00.000Z', '2026-11-03T23:37:00.000Z', NULL, 1, '2026-11-03T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-05', 'st-le-binh', 'slot-sang-tp@2026-11-05', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-04T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-04T23:30:00.000Z', '2026-11-04T23:37:00.000Z', NULL, 1, '2026-11-04T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-06', 'st-le-binh', 'slot-sang-tp@2026-11-06', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-05T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-05T23:30:00.000Z', '2026-11-05T23:37:00.000Z', NULL, 1, '2026-11-05T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-07', 'st-le-binh', 'slot-sang-tp@2026-11-07', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-06T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-06T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-08', 'st-le-binh', 'slot-sang-tp@2026-11-08', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-07T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-07T23:30:00.000Z', '2026-11-07T23:37:00.000Z', NULL, 1, '2026-11-07T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-09', 'st-le-binh', 'slot-sang-tp@2026-11-09', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-08T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-08T23:30:00.000Z', '2026-11-08T23:37:00.000Z', NULL, 1, '2026-11-08T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-10', 'st-le-binh', 'slot-sang-tp@2026-11-10', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-09T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-09T23:30:00.000Z', '2026-11-09T23:37:00.000Z', NULL, 1, '2026-11-09T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-11', 'st-le-binh', 'slot-sang-tp@2026-11-11', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-10T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-10T23:30:00.000Z', '2026-11-10T23:37:00.000Z', NULL, 1, '2026-11-10T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-12', 'st-le-binh', 'slot-sang-tp@2026-11-12', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-11T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-11T23:30:00.000Z', '2026-11-11T23:37:00.000Z', NULL, 1, '2026-11-11T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-13', 'st-le-binh', 'slot-sang-tp@2026-11-13', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-12T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-12T23:30:00.000Z', '2026-11-12T23:37:00.000Z', NULL, 1, '2026-11-12T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-14', 'st-le-binh', 'slot-sang-tp@2026-11-14', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-13T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-13T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-15', 'st-le-binh', 'slot-sang-tp@2026-11-15', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-14T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-14T23:30:00.000Z', '2026-11-14T23:37:00.000Z', NULL, 1, '2026-11-14T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-16', 'st-le-binh', 'slot-sang-tp@2026-11-16', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-15T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-15T23:30:00.000Z', '2026-11-15T23:37:00.000Z', NULL, 1, '2026-11-15T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-17', 'st-le-binh', 'slot-sang-tp@2026-11-17', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-16T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-16T23:30:00.000Z', '2026-11-16T23:37:00.000Z', NULL, 1, '2026-11-16T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-18', 'st-le-binh', 'slot-sang-tp@2026-11-18', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-17T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-17T23:30:00.000Z', '2026-11-17T23:37:00.000Z', NULL, 1, '2026-11-17T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-19', 'st-le-binh', 'slot-sang-tp@2026-11-19', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-18T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-18T23:30:00.000Z', '2026-11-18T23:37:00.000Z', NULL, 1, '2026-11-18T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-20', 'st-le-binh', 'slot-sang-tp@2026-11-20', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-19T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-19T23:30:00.000Z', '2026-11-19T23:37:00.000Z', NULL, 1, '2026-11-19T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-le-binh-2026-11-21', 'st-le-binh', 'slot-sang-tp@2026-11-21', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-20T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-20T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-01', 'st-phong-dien', 'slot-sang-tp@2026-11-01', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-10-31T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-10-31T23:30:00.000Z', '2026-10-31T23:37:00.000Z', NULL, 1, '2026-10-31T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-02', 'st-phong-dien', 'slot-sang-tp@2026-11-02', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-01T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-01T23:30:00.000Z', '2026-11-01T23:37:00.000Z', NULL, 1, '2026-11-01T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-03', 'st-phong-dien', 'slot-sang-tp@2026-11-03', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-02T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-02T23:30:00.000Z', '2026-11-02T23:37:00.000Z', NULL, 1, '2026-11-02T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-04', 'st-phong-dien', 'slot-sang-tp@2026-11-04', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-03T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-03T23:30:00.000Z', '2026-11-03T23:37:00.000Z', NULL, 1, '2026-11-03T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-05', 'st-phong-dien', 'slot-sang-tp@2026-11-05', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-04T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-04T23:30:00.000Z', '2026-11-04T23:37:00.000Z', NULL, 1, '2026-11-04T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-06', 'st-phong-dien', 'slot-sang-tp@2026-11-06', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-05T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-05T23:30:00.000Z', '2026-11-05T23:37:00.000Z', NULL, 1, '2026-11-05T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-07', 'st-phong-dien', 'slot-sang-tp@2026-11-07', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-06T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-06T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-08', 'st-phong-dien', 'slot-sang-tp@2026-11-08', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-07T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-07T23:30:00.000Z', '2026-11-07T23:37:00.000Z', NULL, 1, '2026-11-07T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-09', 'st-phong-dien', 'slot-sang-tp@2026-11-09', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-08T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-08T23:30:00.000Z', '2026-11-08T23:37:00.000Z', NULL, 1, '2026-11-08T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-10', 'st-phong-dien', 'slot-sang-tp@2026-11-10', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-09T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-09T23:30:00.000Z', '2026-11-09T23:37:00.000Z', NULL, 1, '2026-11-09T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-11', 'st-phong-dien', 'slot-sang-tp@2026-11-11', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-10T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-10T23:30:00.000Z', '2026-11-10T23:37:00.000Z', NULL, 1, '2026-11-10T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-12', 'st-phong-dien', 'slot-sang-tp@2026-11-12', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-11T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-11T23:30:00.000Z', '2026-11-11T23:37:00.000Z', NULL, 1, '2026-11-11T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-13', 'st-phong-dien', 'slot-sang-tp@2026-11-13', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-12T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-12T23:30:00.000Z', '2026-11-12T23:37:00.000Z', NULL, 1, '2026-11-12T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-14', 'st-phong-dien', 'slot-sang-tp@2026-11-14', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-13T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-13T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-15', 'st-phong-dien', 'slot-sang-tp@2026-11-15', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-14T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-14T23:30:00.000Z', '2026-11-14T23:37:00.000Z', NULL, 1, '2026-11-14T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-16', 'st-phong-dien', 'slot-sang-tp@2026-11-16', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-15T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-15T23:30:00.000Z', '2026-11-15T23:37:00.000Z', NULL, 1, '2026-11-15T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-17', 'st-phong-dien', 'slot-sang-tp@2026-11-17', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-16T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-16T23:30:00.000Z', '2026-11-16T23:37:00.000Z', NULL, 1, '2026-11-16T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-18', 'st-phong-dien', 'slot-sang-tp@2026-11-18', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-17T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-17T23:30:00.000Z', '2026-11-17T23:37:00.000Z', NULL, 1, '2026-11-17T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-19', 'st-phong-dien', 'slot-sang-tp@2026-11-19', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-18T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-18T23:30:00.000Z', '2026-11-18T23:37:00.000Z', NULL, 1, '2026-11-18T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-20', 'st-phong-dien', 'slot-sang-tp@2026-11-20', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-19T23:30:00.000Z', 'played', NULL, NULL, NULL, '2026-11-19T23:30:00.000Z', '2026-11-19T23:37:00.000Z', NULL, 1, '2026-11-19T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "plays" VALUES ('st-phong-dien-2026-11-21', 'st-phong-dien', 'slot-sang-tp@2026-11-21', 'slot-sang-tp', 'camp-xet-nghiem', '["clip-tin","clip-vac"]', '2026-11-20T23:30:00.000Z', 'skipped', 'online-class', NULL, NULL, NULL, NULL, NULL, 1, '2026-11-20T23:30:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     object_type TEXT NOT NULL,
     object_id TEXT,
     status INTEGER NOT NULL,
     detail TEXT
   );
INSERT INTO "audit_log" VALUES (1, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-an-hoa', 201, '{"body":{"name":"Đài phường An Hòa","district":"ninh-kieu","ward":"an-hoa","timezone":"Asia/Ho_Chi_Minh","id":"st-an-hoa"}}');
INSERT INTO "audit_log" VALUES (2, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-an-hoa-2', 201, '{"body":{"name":"Cụm loa chợ An Hòa","district":"ninh-kieu","ward":"an-hoa","timezone":"Asia/Ho_Chi_Minh","id":"st-an-hoa-2"}}');
INSERT INTO "audit_log" VALUES (3, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-tan-an', 201, '{"body":{"name":"Đài phường Tân An","district":"ninh-kieu","ward":"tan-an","timezone":"Asia/Ho_Chi_Minh","id":"st-tan-an"}}');
INSERT INTO "audit_log" VALUES (4, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-xuan-khanh', 201, '{"body":{"name":"Đài phường Xuân Khánh","district":"ninh-kieu","ward":"xuan-khanh","timezone":"Asia/Ho_Chi_Minh","id":"st-xuan-khanh"}}');
INSERT INTO "audit_log" VALUES (5, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-le-binh', 201, '{"body":{"name":"Đài phường Lê Bình","district":"cai-rang","ward":"le-binh","timezone":"Asia/Ho_Chi_Minh","id":"st-le-binh"}}');
INSERT INTO "audit_log" VALUES (6, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-hung-phu', 201, '{"body":{"name":"Đài phường Hưng Phú","district":"cai-rang","ward":"hung-phu","timezone":"Asia/Ho_Chi_Minh","id":"st-hung-phu"}}');
INSERT INTO "audit_log" VALUES (7, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-hung-phu-2', 201, '{"body":{"name":"Cụm loa bến phà Hưng Phú","district":"cai-rang","ward":"hung-phu","timezone":"Asia/Ho_Chi_Minh","id":"st-hung-phu-2"}}');
INSERT INTO "audit_log" VALUES (8, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-phong-dien', 201, '{"body":{"name":"Đài thị trấn Phong Điền","district":"phong-dien","ward":"phong-dien","timezone":"Asia/Ho_Chi_Minh","id":"st-phong-dien"}}');
INSERT INTO "audit_log" VALUES (9, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-nhon-ai', 201, '{"body":{"name":"Đài xã Nhơn Ái","district":"phong-dien","ward":"nhon-ai","timezone":"Asia/Ho_Chi_Minh","id":"st-nhon-ai"}}');
INSERT INTO "audit_log" VALUES (10, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/stations', 'stations', 'st-my-khanh', 201, '{"body":{"name":"Đài xã Mỹ Khánh","district":"phong-dien","ward":"my-khanh","timezone":"Asia/Ho_Chi_Minh","id":"st-my-khanh"}}');
INSERT INTO "audit_log" VALUES (11, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '2', 201, '{"body":{"role":"technician","districts":["ninh-kieu"],"ward":null,"disabled":false,"username":"kt-ninh-kieu","password":"***"}}');
INSERT INTO "audit_log" VALUES (12, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '3', 201, '{"body":{"role":"technician","districts":["cai-rang","phong-dien"],"ward":null,"disabled":false,"username":"kt-ngoai-thanh","password":"***"}}');
INSERT INTO "audit_log" VALUES (13, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '4', 201, '{"body":{"role":"ward","districts":[],"ward":"an-hoa","disabled":false,"username":"cb-an-hoa","password":"***"}}');
INSERT INTO "audit_log" VALUES (14, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '5', 201, '{"body":{"role":"ward","districts":[],"ward":"phong-dien","disabled":false,"username":"cb-phong-dien","password":"***"}}');
INSERT INTO "audit_log" VALUES (15, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '6', 201, '{"body":{"role":"viewer","districts":["cai-rang"],"ward":null,"disabled":false,"username":"xem-cai-rang","password":"***"}}');
INSERT INTO "audit_log" VALUES (16, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '7', 201, '{"body":{"role":"viewer","districts":[],"ward":null,"disabled":false,"username":"xem","password":"***"}}');
INSERT INTO "audit_log" VALUES (17, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/users', 'users', '8', 201, '{"body":{"role":"reviewer","districts":[],"ward":null,"disabled":false,"username":"duyet","password":"***"}}');
INSERT INTO "audit_log" VALUES (18, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/campaigns', 'campaigns', 'camp-xet-nghiem', 201, '{"body":{"name":"Xét nghiệm là then chốt","message":"Xét nghiệm là then chốt, vắc-xin là cơ bản","startDate":"2026-11-01","endDate":"2026-12-31","id":"camp-xet-nghiem"}}');
INSERT INTO "audit_log" VALUES (19, '2026-11-22T01:00:00.000Z', 'user:kt-ninh-kieu', 'POST /api/campaigns', 'campaigns', 'camp-ninh-kieu', 201, '{"body":{"name":"Tiêm chủng Ninh Kiều","message":"","startDate":"2026-11-10","endDate":"2026-12-20","id":"camp-ninh-kieu"}}');
INSERT INTO "audit_log" VALUES (20, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-sang-tp', 201, '{"body":{"id":"slot-sang-tp","campaignId":"camp-xet-nghiem","clipIds":["clip-tin","clip-vac"],"startTime":"06:30","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"city"},"priority":0}}');
INSERT INTO "audit_log" VALUES (21, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-chieu-tp', 201, '{"body":{"id":"slot-chieu-tp","campaignId":"camp-xet-nghiem","clipIds":["clip-tin"],"startTime":"17:00","weekdays":[1,3,5],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"city"},"priority":0}}');
INSERT INTO "audit_log" VALUES (22, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-nk-trua', 201, '{"body":{"id":"slot-nk-trua","campaignId":"camp-ninh-kieu","clipIds":["clip-vac"],"startTime":"11:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-10","endDate":"2026-12-20","target":{"scope":"district","id":"ninh-kieu"},"priority":0}}');
INSERT INTO "audit_log" VALUES (23, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-nk-linh-hoat', 201, '{"body":{"id":"slot-nk-linh-hoat","campaignId":null,"clipIds":["clip-ngan"],"startTime":"09:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"district","id":"ninh-kieu"},"priority":5,"flexibleUntil":"12:30"}}');
INSERT INTO "audit_log" VALUES (24, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-an-hoa', 201, '{"body":{"id":"slot-an-hoa","campaignId":null,"clipIds":["clip-ngan"],"startTime":"17:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"ward","id":"an-hoa"},"priority":10}}');
INSERT INTO "audit_log" VALUES (25, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-tan-an', 201, '{"body":{"id":"slot-tan-an","campaignId":null,"clipIds":["clip-tin"],"startTime":"18:15","weekdays":[6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"ward","id":"tan-an"},"priority":0}}');
INSERT INTO "audit_log" VALUES (26, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-cai-rang', 201, '{"body":{"id":"slot-cai-rang","campaignId":null,"clipIds":["clip-vac"],"startTime":"10:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"district","id":"cai-rang"},"priority":0}}');
INSERT INTO "audit_log" VALUES (27, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-hung-phu-2', 201, '{"body":{"id":"slot-hung-phu-2","campaignId":null,"clipIds":["clip-ngan"],"startTime":"05:45","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"station","id":"st-hung-phu-2"},"priority":0}}');
INSERT INTO "audit_log" VALUES (28, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-pd-huyen', 201, '{"body":{"id":"slot-pd-huyen","campaignId":null,"clipIds":["clip-tin"],"startTime":"16:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"district","id":"phong-dien"},"priority":0}}');
INSERT INTO "audit_log" VALUES (29, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-pd-thi-tran', 201, '{"body":{"id":"slot-pd-thi-tran","campaignId":null,"clipIds":["clip-ngan"],"startTime":"16:02","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"ward","id":"phong-dien"},"priority":3}}');
INSERT INTO "audit_log" VALUES (30, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-pd-linh-hoat', 201, '{"body":{"id":"slot-pd-linh-hoat","campaignId":null,"clipIds":["clip-vac"],"startTime":"08:00","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"ward","id":"phong-dien"},"priority":0,"flexibleUntil":"13:00"}}');
INSERT INTO "audit_log" VALUES (31, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-nhon-ai', 201, '{"body":{"id":"slot-nhon-ai","campaignId":null,"clipIds":["clip-tin"],"startTime":"19:00","weekdays":[2,4],"startDate":"2026-11-01","endDate":"2026-12-31","target":{"scope":"ward","id":"nhon-ai"},"priority":0}}');
INSERT INTO "audit_log" VALUES (32, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/slots', 'slots', 'slot-het-han', 201, '{"body":{"id":"slot-het-han","campaignId":null,"clipIds":["clip-tin"],"startTime":"06:30","weekdays":[1,2,3,4,5,6,7],"startDate":"2026-10-01","endDate":"2026-10-31","target":{"scope":"ward","id":"xuan-khanh"},"priority":0}}');
INSERT INTO "audit_log" VALUES (33, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/quiet-windows', 'quiet windows', 'qw-hoc-truc-tuyen', 201, '{"body":{"id":"qw-hoc-truc-tuyen","weekdays":[1,2,3,4,5],"startTime":"07:00","endTime":"11:30","startDate":"2026-09-05","endDate":"2027-01-15","reason":"online-class","note":"","exceptDates":["2026-11-20","2026-11-27"],"target":{"scope":"city"}}}');
INSERT INTO "audit_log" VALUES (34, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/quiet-windows', 'quiet windows', 'qw-hoc-chieu-nk', 201, '{"body":{"id":"qw-hoc-chieu-nk","weekdays":[1,2,3,4,5],"startTime":"13:30","endTime":"17:05","startDate":"2026-09-05","endDate":"2027-01-15","reason":"online-class","note":"","target":{"scope":"district","id":"ninh-kieu"}}}');
INSERT INTO "audit_log" VALUES (35, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/quiet-windows', 'quiet windows', 'qw-vov', 201, '{"body":{"id":"qw-vov","weekdays":[1,2,3,4,5,6,7],"startTime":"18:00","endTime":"18:30","startDate":"2026-09-05","endDate":"2027-01-15","reason":"national-relay","note":"","target":{"scope":"district","id":"cai-rang"}}}');
INSERT INTO "audit_log" VALUES (36, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/quiet-windows', 'quiet windows', 'qw-le-hoi', 201, '{"body":{"id":"qw-le-hoi","weekdays":[6],"startTime":"15:00","endTime":"20:00","startDate":"2026-11-28","endDate":"2026-11-28","reason":"local-event","note":"","target":{"scope":"ward","id":"phong-dien"}}}');
INSERT INTO "audit_log" VALUES (37, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/quiet-windows', 'quiet windows', 'qw-dem', 201, '{"body":{"id":"qw-dem","weekdays":[1,2,3,4,5,6,7],"startTime":"22:00","endTime":"05:00","startDate":"2026-09-05","endDate":"2027-01-15","reason":"other","note":"","target":{"scope":"station","id":"st-an-hoa-2"}}}');
INSERT INTO "audit_log" VALUES (38, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/airtime-policies', 'air-time policies', 'policy-tp', 201, '{"body":{"target":{"scope":"city"},"policy":{"maxSessionsPerDay":2,"maxMinutesPerSession":15,"maxDaysPerWeek":5,"enforcement":"warn"},"id":"policy-tp"}}');
INSERT INTO "audit_log" VALUES (39, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/airtime-policies', 'air-time policies', 'policy-phong-dien', 201, '{"body":{"target":{"scope":"ward","id":"phong-dien"},"policy":{"maxMinutesPerSession":45,"enforcement":"warn"},"id":"policy-phong-dien"}}');
INSERT INTO "audit_log" VALUES (40, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/airtime-policies', 'air-time policies', 'policy-cai-rang', 201, '{"body":{"target":{"scope":"district","id":"cai-rang"},"policy":{"maxSessionsPerDay":3,"enforcement":"warn"},"id":"policy-cai-rang"}}');
INSERT INTO "audit_log" VALUES (41, '2026-11-22T01:00:00.000Z', 'user:cb-an-hoa', 'POST /api/alerts', 'alerts', 'al-2aed624b85f6', 201, '{"body":{"level":"normal","title":"Bản tin normal","reason":"Diễn biến phức tạp","clipId":"clip-ngan","targets":[{"scope":"ward","id":"an-hoa"}],"expiresAt":"2026-11-28T00:00:00Z","ignoreQuietWindows":false}}');
INSERT INTO "audit_log" VALUES (42, '2026-11-22T01:00:00.000Z', 'user:kt-ngoai-thanh', 'POST /api/alerts', 'alerts', 'al-4126231c5189', 201, '{"body":{"level":"priority","title":"Bản tin priority","reason":"Diễn biến phức tạp","clipId":"clip-ngan","targets":[{"scope":"district","id":"cai-rang"},{"scope":"station","id":"st-nhon-ai"}],"expiresAt":"2026-11-28T00:00:00Z","ignoreQuietWindows":false}}');
INSERT INTO "audit_log" VALUES (43, '2026-11-22T01:00:00.000Z', 'user:kt-ngoai-thanh', 'POST /api/alerts', 'alerts', 'al-203040e48161', 201, '{"body":{"level":"emergency","title":"Bản tin emergency","reason":"Diễn biến phức tạp","clipId":"clip-ngan","targets":[{"scope":"ward","id":"phong-dien"}],"expiresAt":"2026-11-28T00:00:00Z","ignoreQuietWindows":false}}');
INSERT INTO "audit_log" VALUES (44, '2026-11-22T01:00:00.000Z', 'user:admin', 'POST /api/alerts', 'alerts', 'al-d28aef9b95e2', 201, '{"body":{"level":"priority","title":"Bản tin priority","reason":"Diễn biến phức tạp","clipId":"clip-ngan","targets":[{"scope":"city"}],"expiresAt":"2026-11-28T00:00:00Z","ignoreQuietWindows":false}}');
INSERT INTO "audit_log" VALUES (45, '2026-11-22T01:00:00.000Z', 'user:kt-ninh-kieu', 'POST /api/alerts', 'alerts', 'al-0a0bce0abf1a', 201, '{"body":{"level":"normal","title":"Bản tin normal","reason":"Diễn biến phức tạp","clipId":"clip-ngan","targets":[{"scope":"district","id":"ninh-kieu"}],"expiresAt":"2026-11-28T00:00:00Z","ignoreQuietWindows":false}}');
INSERT INTO "audit_log" VALUES (46, '2026-11-22T01:00:00.000Z', 'user:kt-ninh-kieu', 'POST /api/alerts/:id/cancel', 'alerts', 'al-0a0bce0abf1a', 200, '{"body":{"reason":"Nhầm nội dung"}}');
CREATE TABLE airtime_policies (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
INSERT INTO "airtime_policies" VALUES ('policy-tp', '{"id":"policy-tp","target":{"scope":"area","id":"city"},"policy":{"maxSessionsPerDay":2,"maxMinutesPerSession":15,"maxDaysPerWeek":5,"enforcement":"warn"}}', '2026-11-22T01:00:00.000Z');
INSERT INTO "airtime_policies" VALUES ('policy-phong-dien', '{"id":"policy-phong-dien","target":{"scope":"area","id":"phong-dien-ward"},"policy":{"maxMinutesPerSession":45,"enforcement":"warn"}}', '2026-11-22T01:00:00.000Z');
INSERT INTO "airtime_policies" VALUES ('policy-cai-rang', '{"id":"policy-cai-rang","target":{"scope":"area","id":"cai-rang"},"policy":{"maxSessionsPerDay":3,"enforcement":"warn"}}', '2026-11-22T01:00:00.000Z');
CREATE TABLE alerts (
     id TEXT PRIMARY KEY,
     level TEXT NOT NULL CHECK (level IN ('normal', 'priority', 'emergency')),
     title TEXT NOT NULL,
     reason TEXT NOT NULL,
     clip_id TEXT NOT NULL,
     clip_json TEXT NOT NULL,
     targets_json TEXT NOT NULL,
     issued_at TEXT NOT NULL,
     issued_by TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     ignore_quiet_windows INTEGER NOT NULL,
     cancelled_at TEXT,
     cancelled_by TEXT,
     cancel_reason TEXT,
     cleared_at TEXT
   , shape_json TEXT);
INSERT INTO "alerts" VALUES ('al-2aed624b85f6', 'normal', 'Bản tin normal', 'Diễn biến phức tạp', 'clip-ngan', '{"id":"clip-ngan","sha256":"6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e","durationMs":45000,"bytes":1000}', '[{"scope":"area","id":"an-hoa"}]', '2026-11-22T01:00:00.000Z', 'cb-an-hoa', '2026-11-28T00:00:00.000Z', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "alerts" VALUES ('al-4126231c5189', 'priority', 'Bản tin priority', 'Diễn biến phức tạp', 'clip-ngan', '{"id":"clip-ngan","sha256":"6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e","durationMs":45000,"bytes":1000}', '[{"scope":"area","id":"cai-rang"},{"scope":"station","id":"st-nhon-ai"}]', '2026-11-22T01:00:00.000Z', 'kt-ngoai-thanh', '2026-11-28T00:00:00.000Z', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "alerts" VALUES ('al-203040e48161', 'emergency', 'Bản tin emergency', 'Diễn biến phức tạp', 'clip-ngan', '{"id":"clip-ngan","sha256":"6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e","durationMs":45000,"bytes":1000}', '[{"scope":"area","id":"phong-dien-ward"}]', '2026-11-22T01:00:00.000Z', 'kt-ngoai-thanh', '2026-11-28T00:00:00.000Z', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "alerts" VALUES ('al-d28aef9b95e2', 'priority', 'Bản tin priority', 'Diễn biến phức tạp', 'clip-ngan', '{"id":"clip-ngan","sha256":"6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e","durationMs":45000,"bytes":1000}', '[{"scope":"area","id":"city"}]', '2026-11-22T01:00:00.000Z', 'admin', '2026-11-28T00:00:00.000Z', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "alerts" VALUES ('al-0a0bce0abf1a', 'normal', 'Bản tin normal', 'Diễn biến phức tạp', 'clip-ngan', '{"id":"clip-ngan","sha256":"6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e","durationMs":45000,"bytes":1000}', '[{"scope":"area","id":"ninh-kieu"}]', '2026-11-22T01:00:00.000Z', 'kt-ninh-kieu', '2026-11-28T00:00:00.000Z', 0, '2026-11-22T01:00:00.000Z', 'kt-ninh-kieu', 'Nhầm nội dung', NULL, NULL);
CREATE TABLE alert_stations (
     alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
     station_id TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending',
     at TEXT,
     reason TEXT,
     detail TEXT,
     received_at TEXT,
     started_at TEXT, area_id TEXT, sounding_at TEXT,
     PRIMARY KEY (alert_id, station_id)
   );
INSERT INTO "alert_stations" VALUES ('al-2aed624b85f6', 'st-an-hoa', 'pending', NULL, NULL, NULL, NULL, NULL, 'an-hoa', NULL);
INSERT INTO "alert_stations" VALUES ('al-2aed624b85f6', 'st-an-hoa-2', 'pending', NULL, NULL, NULL, NULL, NULL, 'an-hoa', NULL);
INSERT INTO "alert_stations" VALUES ('al-4126231c5189', 'st-hung-phu', 'pending', NULL, NULL, NULL, NULL, NULL, 'hung-phu', NULL);
INSERT INTO "alert_stations" VALUES ('al-4126231c5189', 'st-hung-phu-2', 'pending', NULL, NULL, NULL, NULL, NULL, 'hung-phu', NULL);
INSERT INTO "alert_stations" VALUES ('al-4126231c5189', 'st-le-binh', 'pending', NULL, NULL, NULL, NULL, NULL, 'le-binh', NULL);
INSERT INTO "alert_stations" VALUES ('al-4126231c5189', 'st-nhon-ai', 'pending', NULL, NULL, NULL, NULL, NULL, 'nhon-ai', NULL);
INSERT INTO "alert_stations" VALUES ('al-203040e48161', 'st-phong-dien', 'pending', NULL, NULL, NULL, NULL, NULL, 'phong-dien-ward', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-an-hoa', 'pending', NULL, NULL, NULL, NULL, NULL, 'an-hoa', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-an-hoa-2', 'pending', NULL, NULL, NULL, NULL, NULL, 'an-hoa', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-hung-phu', 'pending', NULL, NULL, NULL, NULL, NULL, 'hung-phu', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-hung-phu-2', 'pending', NULL, NULL, NULL, NULL, NULL, 'hung-phu', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-le-binh', 'pending', NULL, NULL, NULL, NULL, NULL, 'le-binh', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-my-khanh', 'pending', NULL, NULL, NULL, NULL, NULL, 'my-khanh', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-nhon-ai', 'pending', NULL, NULL, NULL, NULL, NULL, 'nhon-ai', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-phong-dien', 'pending', NULL, NULL, NULL, NULL, NULL, 'phong-dien-ward', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-tan-an', 'pending', NULL, NULL, NULL, NULL, NULL, 'tan-an', NULL);
INSERT INTO "alert_stations" VALUES ('al-d28aef9b95e2', 'st-xuan-khanh', 'pending', NULL, NULL, NULL, NULL, NULL, 'xuan-khanh', NULL);
INSERT INTO "alert_stations" VALUES ('al-0a0bce0abf1a', 'st-an-hoa', 'pending', NULL, NULL, NULL, NULL, NULL, 'an-hoa', NULL);
INSERT INTO "alert_stations" VALUES ('al-0a0bce0abf1a', 'st-an-hoa-2', 'pending', NULL, NULL, NULL, NULL, NULL, 'an-hoa', NULL);
INSERT INTO "alert_stations" VALUES ('al-0a0bce0abf1a', 'st-tan-an', 'pending', NULL, NULL, NULL, NULL, NULL, 'tan-an', NULL);
INSERT INTO "alert_stations" VALUES ('al-0a0bce0abf1a', 'st-xuan-khanh', 'pending', NULL, NULL, NULL, NULL, NULL, 'xuan-khanh', NULL);
CREATE TABLE overrides (
     id TEXT PRIMARY KEY,
     station_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     starts_at TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     cancelled_at TEXT,
     body TEXT NOT NULL,
     first_reported_at TEXT NOT NULL,
     reported_at TEXT NOT NULL,
     cancel_requested_at TEXT,
     cancel_requested_by TEXT,
     cancel_reason TEXT
   );
INSERT INTO "overrides" VALUES ('ov-skip', 'st-an-hoa', 'skip', '2026-11-23T17:00:00.000Z', '2026-11-24T17:00:00.000Z', NULL, '{"id":"ov-skip","stationId":"st-an-hoa","kind":"skip","startsAt":"2026-11-23T17:00:00.000Z","endsAt":"2026-11-24T17:00:00.000Z","reason":"Họp tổ dân phố","createdBy":"Chị Lan","createdAt":"2026-11-22T01:00:00.000Z","entryId":"slot-an-hoa@2026-11-24","clip":null,"volume":null,"cancelledAt":null,"cancelledBy":null}', '2026-11-22T01:00:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "overrides" VALUES ('ov-quiet', 'st-an-hoa', 'quiet', '2026-11-24T22:00:00.000Z', '2026-11-25T01:00:00.000Z', NULL, '{"id":"ov-quiet","stationId":"st-an-hoa","kind":"quiet","startsAt":"2026-11-24T22:00:00.000Z","endsAt":"2026-11-25T01:00:00.000Z","reason":"Họp tổ dân phố","createdBy":"Chị Lan","createdAt":"2026-11-22T01:00:00.000Z","entryId":null,"clip":null,"volume":null,"cancelledAt":null,"cancelledBy":null}', '2026-11-22T01:00:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
INSERT INTO "overrides" VALUES ('ov-pause', 'st-an-hoa', 'pause', '2026-11-27T09:00:00.000Z', '2026-11-27T11:00:00.000Z', NULL, '{"id":"ov-pause","stationId":"st-an-hoa","kind":"pause","startsAt":"2026-11-27T09:00:00.000Z","endsAt":"2026-11-27T11:00:00.000Z","reason":"Họp tổ dân phố","createdBy":"Chị Lan","createdAt":"2026-11-22T01:00:00.000Z","entryId":null,"clip":null,"volume":null,"cancelledAt":null,"cancelledBy":null}', '2026-11-22T01:00:00.000Z', '2026-11-22T01:00:00.000Z', NULL, NULL, NULL);
CREATE TABLE area_levels (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
INSERT INTO "area_levels" VALUES (0, 'city', 'Thành phố');
INSERT INTO "area_levels" VALUES (1, 'district', 'Quận/huyện');
INSERT INTO "area_levels" VALUES (2, 'ward', 'Phường/xã/thị trấn');
CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES areas(id),
    level TEXT NOT NULL,
    code TEXT,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
  );
INSERT INTO "areas" VALUES ('city', NULL, 'city', NULL, 'Thành phố', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('cai-rang', 'city', 'district', NULL, 'cai-rang', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('ninh-kieu', 'city', 'district', NULL, 'ninh-kieu', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('phong-dien', 'city', 'district', NULL, 'phong-dien', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('an-hoa', 'ninh-kieu', 'ward', NULL, 'an-hoa', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('hung-phu', 'cai-rang', 'ward', NULL, 'hung-phu', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('le-binh', 'cai-rang', 'ward', NULL, 'le-binh', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('my-khanh', 'phong-dien', 'ward', NULL, 'my-khanh', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('nhon-ai', 'phong-dien', 'ward', NULL, 'nhon-ai', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('phong-dien-ward', 'phong-dien', 'ward', NULL, 'phong-dien', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('tan-an', 'ninh-kieu', 'ward', NULL, 'tan-an', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "areas" VALUES ('xuan-khanh', 'ninh-kieu', 'ward', NULL, 'xuan-khanh', '1970-01-01T00:00:00.000Z', NULL);
CREATE TABLE area_history (
    area_id TEXT NOT NULL REFERENCES areas(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    name TEXT NOT NULL,
    parent_id TEXT,
    level TEXT NOT NULL,
    code TEXT,
    PRIMARY KEY (area_id, valid_from)
  );
INSERT INTO "area_history" VALUES ('city', '1970-01-01T00:00:00.000Z', NULL, 'Thành phố', NULL, 'city', NULL);
INSERT INTO "area_history" VALUES ('cai-rang', '1970-01-01T00:00:00.000Z', NULL, 'cai-rang', 'city', 'district', NULL);
INSERT INTO "area_history" VALUES ('ninh-kieu', '1970-01-01T00:00:00.000Z', NULL, 'ninh-kieu', 'city', 'district', NULL);
INSERT INTO "area_history" VALUES ('phong-dien', '1970-01-01T00:00:00.000Z', NULL, 'phong-dien', 'city', 'district', NULL);
INSERT INTO "area_history" VALUES ('an-hoa', '1970-01-01T00:00:00.000Z', NULL, 'an-hoa', 'ninh-kieu', 'ward', NULL);
INSERT INTO "area_history" VALUES ('hung-phu', '1970-01-01T00:00:00.000Z', NULL, 'hung-phu', 'cai-rang', 'ward', NULL);
INSERT INTO "area_history" VALUES ('le-binh', '1970-01-01T00:00:00.000Z', NULL, 'le-binh', 'cai-rang', 'ward', NULL);
INSERT INTO "area_history" VALUES ('my-khanh', '1970-01-01T00:00:00.000Z', NULL, 'my-khanh', 'phong-dien', 'ward', NULL);
INSERT INTO "area_history" VALUES ('nhon-ai', '1970-01-01T00:00:00.000Z', NULL, 'nhon-ai', 'phong-dien', 'ward', NULL);
INSERT INTO "area_history" VALUES ('phong-dien-ward', '1970-01-01T00:00:00.000Z', NULL, 'phong-dien', 'phong-dien', 'ward', NULL);
INSERT INTO "area_history" VALUES ('tan-an', '1970-01-01T00:00:00.000Z', NULL, 'tan-an', 'ninh-kieu', 'ward', NULL);
INSERT INTO "area_history" VALUES ('xuan-khanh', '1970-01-01T00:00:00.000Z', NULL, 'xuan-khanh', 'ninh-kieu', 'ward', NULL);
CREATE TABLE station_places (
    station_id TEXT NOT NULL,
    area_id TEXT NOT NULL REFERENCES areas(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (station_id, valid_from)
  );
INSERT INTO "station_places" VALUES ('st-an-hoa', 'an-hoa', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-an-hoa-2', 'an-hoa', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-tan-an', 'tan-an', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-xuan-khanh', 'xuan-khanh', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-le-binh', 'le-binh', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-hung-phu', 'hung-phu', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-hung-phu-2', 'hung-phu', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-phong-dien', 'phong-dien-ward', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-nhon-ai', 'nhon-ai', '1970-01-01T00:00:00.000Z', NULL);
INSERT INTO "station_places" VALUES ('st-my-khanh', 'my-khanh', '1970-01-01T00:00:00.000Z', NULL);
CREATE TABLE area_reorganisations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    operation TEXT NOT NULL,
    summary TEXT NOT NULL
  );
CREATE TABLE station_clips (
     station_id TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
     clip_id TEXT NOT NULL,
     PRIMARY KEY (station_id, clip_id)
   );
CREATE TABLE area_geometry (
     area_id TEXT PRIMARY KEY REFERENCES areas(id) ON DELETE CASCADE,
     polygon TEXT,
     places TEXT NOT NULL DEFAULT '[]',
     updated_at TEXT NOT NULL
   );
CREATE TABLE mobile_positions (
     station_id TEXT PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
     lat REAL NOT NULL,
     lon REAL NOT NULL,
     accuracy_m REAL,
     fix_at TEXT NOT NULL,
     received_at TEXT NOT NULL,
     area_id TEXT
   );
CREATE TABLE mobile_deliveries (
     alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
     station_id TEXT NOT NULL,
     area_id TEXT NOT NULL,
     delivered_at TEXT NOT NULL,
     withdrawn_at TEXT,
     PRIMARY KEY (alert_id, station_id)
   );
CREATE TABLE play_days (
     day TEXT NOT NULL,
     station_id TEXT NOT NULL,
     slot_id TEXT NOT NULL,
     campaign_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT NOT NULL,
     records INTEGER NOT NULL,
     on_air_ms INTEGER NOT NULL,
     PRIMARY KEY (day, station_id, slot_id, campaign_id, outcome, reason)
   ) WITHOUT ROWID;
INSERT INTO "play_days" VALUES ('2026-11-01', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-01', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-01', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-02', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-02', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-02', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-03', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-03', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-03', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-04', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-04', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-04', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-05', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-05', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-05', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-06', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-06', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-06', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-07', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-07', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-07', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-08', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-08', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-08', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-09', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-09', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-09', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-10', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-10', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-10', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-11', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-11', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-11', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-12', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-12', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-12', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-13', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-13', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-13', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-14', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-14', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-14', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-15', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-15', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-15', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-16', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-16', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-16', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-17', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-17', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-17', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-18', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-18', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-18', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-19', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-19', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-19', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-20', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-20', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-20', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'played', '', 1, 420000);
INSERT INTO "play_days" VALUES ('2026-11-21', 'st-an-hoa', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-21', 'st-le-binh', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
INSERT INTO "play_days" VALUES ('2026-11-21', 'st-phong-dien', 'slot-sang-tp', 'camp-xet-nghiem', 'skipped', 'online-class', 1, 0);
CREATE TABLE station_days (
     day TEXT NOT NULL,
     station_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT NOT NULL,
     records INTEGER NOT NULL,
     on_air_ms INTEGER NOT NULL,
     PRIMARY KEY (day, station_id, outcome, reason)
   ) WITHOUT ROWID;
INSERT INTO "station_days" VALUES ('2026-11-01', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-01', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-01', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-02', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-02', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-02', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-03', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-03', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-03', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-04', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-04', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-04', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-05', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-05', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-05', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-06', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-06', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-06', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-07', 'st-an-hoa', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-07', 'st-le-binh', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-07', 'st-phong-dien', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-08', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-08', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-08', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-09', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-09', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-09', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-10', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-10', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-10', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-11', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-11', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-11', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-12', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-12', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-12', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-13', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-13', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-13', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-14', 'st-an-hoa', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-14', 'st-le-binh', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-14', 'st-phong-dien', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-15', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-15', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-15', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-16', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-16', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-16', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-17', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-17', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-17', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-18', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-18', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-18', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-19', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-19', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-19', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-20', 'st-an-hoa', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-20', 'st-le-binh', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-20', 'st-phong-dien', 'played', '', 1, 420000);
INSERT INTO "station_days" VALUES ('2026-11-21', 'st-an-hoa', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-21', 'st-le-binh', 'skipped', 'online-class', 1, 0);
INSERT INTO "station_days" VALUES ('2026-11-21', 'st-phong-dien', 'skipped', 'online-class', 1, 0);
CREATE TABLE station_months (
     month TEXT NOT NULL,
     station_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT NOT NULL,
     records INTEGER NOT NULL,
     on_air_ms INTEGER NOT NULL,
     PRIMARY KEY (month, station_id, outcome, reason)
   ) WITHOUT ROWID;
INSERT INTO "station_months" VALUES ('2026-11', 'st-an-hoa', 'played', '', 18, 7560000);
INSERT INTO "station_months" VALUES ('2026-11', 'st-an-hoa', 'skipped', 'online-class', 3, 0);
INSERT INTO "station_months" VALUES ('2026-11', 'st-le-binh', 'played', '', 18, 7560000);
INSERT INTO "station_months" VALUES ('2026-11', 'st-le-binh', 'skipped', 'online-class', 3, 0);
INSERT INTO "station_months" VALUES ('2026-11', 'st-phong-dien', 'played', '', 18, 7560000);
INSERT INTO "station_months" VALUES ('2026-11', 'st-phong-dien', 'skipped', 'online-class', 3, 0);
CREATE TABLE plays_totals (outcome TEXT PRIMARY KEY, records INTEGER NOT NULL);
INSERT INTO "plays_totals" VALUES ('played', 54);
INSERT INTO "plays_totals" VALUES ('skipped', 9);
CREATE TABLE plays_archive (
     file TEXT PRIMARY KEY,
     month TEXT NOT NULL,
     records INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     exported_at TEXT NOT NULL,
     deleted_at TEXT
   );
CREATE TABLE clip_texts (
       clip_id TEXT PRIMARY KEY REFERENCES clips(id) ON DELETE CASCADE,
       text TEXT NOT NULL,
       spoken TEXT NOT NULL,
       voice TEXT NOT NULL,
       spoken_by TEXT NOT NULL,
       engine TEXT NOT NULL,
       speed REAL NOT NULL,
       chime_before INTEGER NOT NULL,
       chime_after INTEGER NOT NULL,
       fallbacks_json TEXT NOT NULL,
       notes_json TEXT NOT NULL,
       replaces TEXT,
       created_at TEXT NOT NULL
     );
CREATE TABLE live_sessions (
     id TEXT PRIMARY KEY,
     level TEXT NOT NULL CHECK (level IN ('normal', 'priority', 'emergency')),
     title TEXT NOT NULL,
     reason TEXT NOT NULL,
     targets_json TEXT NOT NULL,
     station_ids_json TEXT NOT NULL,
     ignore_quiet_windows INTEGER NOT NULL,
     speaker TEXT NOT NULL,
     mount TEXT NOT NULL,
     opened_at TEXT NOT NULL,
     first_audio_at TEXT,
     ended_at TEXT,
     end_reason TEXT,
     end_detail TEXT,
     bytes INTEGER NOT NULL DEFAULT 0
   );
CREATE TABLE cap_alerts (
       alert_id TEXT PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
       sender TEXT NOT NULL,
       identifier TEXT NOT NULL,
       sent TEXT NOT NULL,
       msg_type TEXT NOT NULL,
       document TEXT NOT NULL,
       imported_at TEXT NOT NULL,
       imported_by TEXT NOT NULL
     );
CREATE TABLE cap_feeds (
       url TEXT PRIMARY KEY,
       etag TEXT,
       last_modified TEXT,
       last_poll_at TEXT,
       last_ok_at TEXT,
       last_error TEXT,
       last_error_vi TEXT,
       failures INTEGER NOT NULL DEFAULT 0,
       next_poll_at TEXT
     );
CREATE TABLE cap_feed_entries (
       feed_url TEXT NOT NULL,
       link TEXT NOT NULL,
       state TEXT NOT NULL,
       sender TEXT,
       identifier TEXT,
       sent TEXT,
       alert_id TEXT,
       clip_id TEXT,
       document TEXT,
       reason TEXT,
       reason_vi TEXT,
       attempts INTEGER NOT NULL DEFAULT 0,
       first_seen_at TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       PRIMARY KEY (feed_url, link)
     );
CREATE TABLE speech_dictionary (
       written TEXT PRIMARY KEY,
       spoken TEXT NOT NULL,
       changed_by TEXT,
       changed_at TEXT NOT NULL
     );
CREATE TABLE province_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('status', 'log')),
    station_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    refused_at TEXT,
    created_at TEXT NOT NULL
  );
CREATE TABLE province_delivered (
    key TEXT PRIMARY KEY,
    delivered_at TEXT NOT NULL
  ) WITHOUT ROWID;
CREATE TABLE province_link (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    asrun_cursor INTEGER NOT NULL DEFAULT 0,
    logged_in_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_vi TEXT,
    last_error_at TEXT,
    last_poll_at TEXT
  );
INSERT INTO "province_link" VALUES (1, 0, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE province_items (
    kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'schedule')),
    province_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    document TEXT NOT NULL,
    alert_id TEXT,
    campaign_id TEXT,
    received_at TEXT NOT NULL,
    cancelled_at TEXT,
    PRIMARY KEY (kind, province_id)
  );
CREATE TABLE province_clips (
    clip_id TEXT PRIMARY KEY,
    bulletin_id TEXT NOT NULL,
    url TEXT NOT NULL,
    document TEXT NOT NULL
  );
CREATE TABLE province_inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    province_id TEXT,
    digest TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'refused', 'cancelled')),
    reason TEXT,
    reason_vi TEXT,
    alert_id TEXT,
    campaign_id TEXT,
    received_at TEXT NOT NULL
  );
CREATE TABLE asrun_chain_heads (
     station_id TEXT PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     hash TEXT NOT NULL,
     record_id TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
CREATE TABLE asrun_chain_breaks (
     id INTEGER PRIMARY KEY,
     station_id TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     seq INTEGER NOT NULL,
     missing_from INTEGER,
     missing_to INTEGER,
     record_ids TEXT NOT NULL,
     found_at TEXT NOT NULL
   );
CREATE INDEX slot_clips_clip ON slot_clips(clip_id);
CREATE INDEX plays_scheduled ON plays(scheduled_at);
CREATE INDEX plays_campaign ON plays(campaign_id, scheduled_at);
CREATE INDEX audit_object ON audit_log(object_type, object_id, at);
CREATE UNIQUE INDEX clips_source ON clips(source_sha256) WHERE status <> 'failed';
CREATE INDEX clips_sha256 ON clips(sha256);
CREATE INDEX clips_status ON clips(status, created_at);
CREATE INDEX alerts_issued ON alerts(issued_at);
CREATE INDEX alerts_open ON alerts(cleared_at, expires_at);
CREATE INDEX alert_stations_station ON alert_stations(station_id, alert_id);
CREATE INDEX overrides_station ON overrides(station_id, starts_at);
CREATE INDEX overrides_cancel ON overrides(cancel_requested_at) WHERE cancel_requested_at IS NOT NULL;
CREATE INDEX areas_parent ON areas(parent_id);
CREATE UNIQUE INDEX areas_code ON areas(code) WHERE code IS NOT NULL AND retired_at IS NULL;
CREATE UNIQUE INDEX areas_one_root ON areas((parent_id IS NULL)) WHERE parent_id IS NULL AND retired_at IS NULL;
CREATE INDEX station_places_area ON station_places(area_id);
CREATE INDEX stations_area ON stations(area_id);
CREATE INDEX station_clips_clip ON station_clips(clip_id);
CREATE INDEX stations_name ON stations(name, id);
CREATE INDEX plays_station_time ON plays(station_id, scheduled_at);
CREATE INDEX slots_place ON slots(coalesce(json_extract(body, '$.target.id'), json_extract(body, '$.target.station'), '*'));
CREATE INDEX quiet_windows_place ON quiet_windows(coalesce(json_extract(body, '$.target.id'), json_extract(body, '$.target.station'), '*'));
CREATE INDEX play_days_campaign ON play_days(campaign_id, day);
CREATE INDEX station_days_station ON station_days(station_id, day);
CREATE INDEX clip_texts_replaces ON clip_texts(replaces) WHERE replaces IS NOT NULL;
CREATE INDEX live_sessions_opened ON live_sessions(opened_at);
CREATE UNIQUE INDEX cap_alerts_ref ON cap_alerts(sender, identifier, sent);
CREATE INDEX cap_feed_entries_ref ON cap_feed_entries(sender, identifier, sent);
CREATE INDEX province_outbox_station ON province_outbox(station_id, seq);
CREATE INDEX province_delivered_at ON province_delivered(delivered_at);
CREATE INDEX province_items_alert ON province_items(alert_id);
CREATE INDEX province_items_campaign ON province_items(campaign_id);
CREATE INDEX province_inbox_digest ON province_inbox(digest);
CREATE INDEX asrun_chain_breaks_station ON asrun_chain_breaks (station_id, id);
PRAGMA user_version = 14;
COMMIT;
