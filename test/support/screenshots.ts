// Where the browser tests put their screenshots: a temp folder, so `npm test` changes no tracked file;
// `npm run docs:screenshots` sets SCREENSHOTS_DIR=docs/screenshots to redraw the ones the docs show.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function screenshotDir(): string {
  const dir = process.env.SCREENSHOTS_DIR
    ? path.resolve(process.env.SCREENSHOTS_DIR)
    : path.join(tmpdir(), 'loa-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
