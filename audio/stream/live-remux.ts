// Live speech from a browser to the stream server: WebM/Opus chunks (MediaRecorder) in on stdin, remuxed
// without re-encoding to Ogg/Opus in 20 ms pages on stdout, which the caller sends to an Icecast mount (its
// own source connection: a password on ffmpeg's command line would show to `ps`).
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface LiveRemuxOptions {
  ffmpeg: string;
}

export interface LiveRemux {
  /** The Ogg/Opus stream, page by page. */
  readonly output: Readable;
  /** Feeds one chunk as it came from the browser; false once ffmpeg has gone. */
  write(chunk: Buffer): boolean;
  /** Ends the input: ffmpeg writes the Ogg end of stream and the source leaves the mount. */
  end(): void;
  /** Stops ffmpeg at once (SIGKILL): listeners see the stream cut, not ended. */
  kill(): void;
  /** Settles when ffmpeg has exited: null after a clean end, else why it failed (its last words). */
  readonly exited: Promise<string | null>;
}

/**
 * Remuxing keeps the browser's Opus frames as they are (`-c:a copy`): no decode, no encode, no buffering
 * beyond one page. Input probing is cut to the minimum (the WebM header arrives in the first chunk), and
 * each Ogg page is flushed as it is made, so a page leaves ~20 ms after its frames arrive.
 */
export function startLiveRemux(o: LiveRemuxOptions): LiveRemux {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-fflags',
    '+nobuffer',
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    'matroska',
    '-i',
    'pipe:0',
    '-map',
    '0:a:0',
    '-c:a',
    'copy',
    '-f',
    'ogg',
    '-page_duration',
    '20000',
    '-flush_packets',
    '1',
    'pipe:1',
  ];
  const child = spawn(o.ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let gone = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-2000);
  });
  // a write after ffmpeg quit (bad input) is answered by its exit, not by an EPIPE thrown here
  child.stdin.on('error', () => {});
  const exited = new Promise<string | null>((resolve) => {
    child.once('error', (e) => {
      gone = true;
      resolve(`ffmpeg could not start: ${e.message}`);
    });
    child.once('close', (code, signal) => {
      gone = true;
      if (code === 0) resolve(null);
      else {
        const said = stderr.trim().split('\n').slice(-3).join(' | ');
        resolve(said || (signal ? `ffmpeg stopped by ${signal}` : `ffmpeg exited with code ${code}`));
      }
    });
  });
  return {
    output: child.stdout,
    write: (chunk) => {
      if (gone || child.stdin.destroyed) return false;
      child.stdin.write(chunk);
      return true;
    },
    end: () => {
      if (!child.stdin.destroyed) child.stdin.end();
    },
    kill: () => {
      if (!gone) child.kill('SIGKILL');
    },
    exited,
  };
}
