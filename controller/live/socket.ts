// The live sessions' WebSocket: GET /api/live/:id/audio?token=TOKEN upgraded on the controller's HTTP
// server; binary messages are WebM/Opus chunks for the session's remux. Chromium cannot stream a fetch
// request body over HTTP/1.1, so the browser's chunks come this way.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { errorMessage, type Logger } from '../../common/log.ts';
import { HttpError } from '../http/errors.ts';
import type { LiveLine, LiveSessions } from './contract.ts';

/** One chunk at most: 100 ms of Opus is ~1 KB, a WebM header a few hundred bytes; this leaves room. */
export const MAX_CHUNK_BYTES = 256 * 1024;
const PATH = /^\/api\/live\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/audio$/;

/** Close codes the browser reads: 4401 wrong token or unknown session, 4409 a microphone already there. */
const refusalCode = (e: unknown) => (e instanceof HttpError ? 4000 + e.status : 1011);

/**
 * Takes the upgrades of the live sessions' audio path on `server`; other upgrade requests are refused.
 * Answers how to stop taking them.
 */
export function attachLiveSockets(
  server: Pick<Server, 'on' | 'off'>,
  live: LiveSessions,
  log: Logger,
): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CHUNK_BYTES, perMessageDeflate: false });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://controller');
    const id = PATH.exec(url.pathname)?.[1];
    if (!id) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const token = url.searchParams.get('token') ?? '';
    wss.handleUpgrade(req, socket, head, (ws) => {
      let line: LiveLine;
      try {
        line = live.connect(id, token, (code, why) => {
          if (ws.readyState === ws.OPEN) ws.close(code, why);
        });
      } catch (e) {
        // refused after the upgrade, so the browser gets the reason in the close frame
        ws.close(refusalCode(e), errorMessage(e).slice(0, 120));
        return;
      }
      ws.on('message', (data, binary) => {
        if (!binary) {
          line.hangUp(
            'bad-audio',
            'a text message on the audio socket: only binary WebM/Opus chunks are taken',
          );
          return;
        }
        line.push(data as Buffer);
      });
      ws.on('close', (code) => {
        // a chunk over the limit closes the socket with 1009
        if (code === 1009) line.hangUp('bad-audio', `a chunk over ${MAX_CHUNK_BYTES} bytes`);
        else line.hangUp('socket-closed', null);
      });
      ws.on('error', (e) => log.warn(`live ${id}: socket: ${errorMessage(e)}`));
    });
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}
