// The browser tests' Chromium (headless, the system's /usr/bin/chromium through playwright-core) and the
// folder their screenshots go to: a temp folder, or SCREENSHOTS_DIR (`npm run docs:screenshots`).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export function screenshotDir(): string {
  const dir = process.env.SCREENSHOTS_DIR
    ? path.resolve(process.env.SCREENSHOTS_DIR)
    : path.join(tmpdir(), 'loa-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Headless Chromium without the background traffic of a desktop browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
