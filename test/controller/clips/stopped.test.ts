// A controller stopped while a recording is being processed: its database closes under the running
// transcode, whose later progress reports must not throw (fresh-clone CI met an uncaught "database
// connection is not open" from one), and the next start marks the clip interrupted.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { silentLogger } from '../../../common/log.ts';
import { createClipProcessor } from '../../../controller/clips/process.ts';
import { findClip, insertUploadedClip, markInterrupted } from '../../../controller/clips/store.ts';
import { loadConfig } from '../../../controller/config.ts';
import { openDb } from '../../../controller/db.ts';
import { ffmpegGen } from '../../audio/fixtures.ts';
import { tempDir } from '../../support/temp.ts';

const tmp = tempDir('clips-stopped');
afterAll(() => tmp.cleanup());

it('a transcode outliving its database reports nothing more, and the next start marks it interrupted', async () => {
  const config = loadConfig({ DATA_DIR: tmp.dir, ADMIN_PASSWORD: 'test-admin-pw' });
  mkdirSync(path.join(tmp.dir, 'tmp'), { recursive: true });
  const dbFile = path.join(tmp.dir, 'controller.db');
  const db = openDb(dbFile);
  const upload = ffmpegGen(path.join(tmp.dir, 'dai.wav'), [
    ...['-f', 'lavfi', '-i', 'sine=frequency=330:duration=600', '-ac', '1'],
  ]);
  const now = new Date().toISOString();
  insertUploadedClip(
    db,
    {
      id: 'clip-dai',
      title: 'Thông báo dài',
      originalName: 'dai.wav',
      sourceFormat: 'wav/pcm_s16le',
      sourceSha256: 'x'.repeat(64),
      sourceBytes: 1,
      sourceType: 'audio/wav',
      sourceDurationMs: 600_000,
      uploadedBy: null,
    },
    now,
  );
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    const processor = createClipProcessor({
      db,
      config,
      clock: { now: () => new Date() },
      ffmpeg: resolveFfmpeg(process.env),
      log: silentLogger,
    });
    const firstProgress = new Promise<void>((resolve) => processor.subscribe('clip-dai', resolve));
    const job = processor.start('clip-dai', upload, 600_000);
    await firstProgress;
    db.close();
    await expect(job).resolves.toBeUndefined();
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  expect(uncaught).toEqual([]);

  const reopened = openDb(dbFile);
  expect(markInterrupted(reopened, new Date())).toBe(1);
  expect(findClip(reopened, 'clip-dai')).toMatchObject({ status: 'failed', progress: 0 });
  reopened.close();
}, 120_000);
