// The browser tests' Chromium (headless, the system's /usr/bin/chromium through playwright-core), the
// folder their screenshots go to (a temp folder, or SCREENSHOTS_DIR: `npm run docs:screenshots`), the
// controller served on a free port, and a console sign-in.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';

export function screenshotDir(): string {
  const dir = process.env.SCREENSHOTS_DIR
    ? path.resolve(process.env.SCREENSHOTS_DIR)
    : path.join(tmpdir(), 'loa-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Headless Chromium without the background traffic of a desktop browser; `extra` flags after those (a fake
 * microphone). It keeps the real clock when the suite runs under libfaketime (README, "Any day"): Chromium
 * does not start with it, and the pages it reads are dated by the server.
 */
export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    env: { ...process.env, LD_PRELOAD: '' },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      ...extra,
    ],
  });
}

/** Serves an app (the controller's) on a free port of 127.0.0.1; answers its base URL and how to stop it. */
export async function serveApp(app: { fetch: (req: Request) => Response | Promise<Response> }) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Signs `page` in to the console at `base` and waits for the first page. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/console/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
}
