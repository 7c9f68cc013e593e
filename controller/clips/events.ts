// A clip's processing as server-sent events: "progress" while it runs, then "done" with the clip (or "gone").
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Db } from '../db.ts';
import type { ClipProcessor } from './process.ts';
import { clipView, findClip } from './store.ts';

export function clipEvents(c: Context, db: Db, processor: ClipProcessor, clipId: string): Response {
  return streamSSE(c, async (stream) => {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let chain = Promise.resolve();
    // one write at a time, in order; a client gone away ends the stream quietly
    const next = () => {
      chain = chain.then(send).catch(finish);
    };
    const send = async () => {
      const row = findClip(db, clipId);
      if (!row) {
        await stream.writeSSE({ event: 'gone', data: JSON.stringify({ id: clipId }) });
        return finish();
      }
      if (row.status === 'processing' && processor.running(clipId)) {
        const { status, progress } = row;
        return stream.writeSSE({
          event: 'progress',
          data: JSON.stringify({ id: clipId, status, progress }),
        });
      }
      await stream.writeSSE({ event: 'done', data: JSON.stringify(clipView(row)) });
      finish();
    };
    const unsubscribe = processor.subscribe(clipId, () => {
      next();
    });
    stream.onAbort(finish);
    next();
    await finished;
    unsubscribe();
    await chain;
  });
}
