// The console's stylesheet reaches the browser whole: served as a file with a long cache, its rules
// applied, and the body drawn in Be Vietnam Pro (the font Chromium actually used for the Vietnamese
// text, read over CDP), not the Times New Roman of a dropped font rule.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_FAMILY, STYLESHEET_URL } from '../../controller/console/style.ts';
import { launchChromium, serveApp } from '../support/browser.ts';
import { makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
let server: Awaited<ReturnType<typeof serveApp>>;
let base = '';
let browser: Browser;

beforeAll(async () => {
  ctl = await makeController();
  server = await serveApp(ctl.app);
  base = server.base;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  ctl?.cleanup();
});

/** The fonts Chromium drew the element's text with, by family, with their glyph counts. */
async function renderedFonts(page: Page, selector: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts;
}

describe('the console stylesheet', () => {
  it('is a file with a content type and a year-long cache under a versioned address', async () => {
    const r = await fetch(`${base}${STYLESHEET_URL}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/css/);
    expect(r.headers.get('cache-control')).toMatch(/max-age=31536000/);
    const css = await r.text();
    // the quotes arrive as quotes: the rule the browser dropped when they came as &quot;
    expect(css).toContain(`font:15px/1.45 "${FONT_FAMILY}",`);
    expect(css).not.toContain('&quot;');
    const font = /url\((\/console\/fonts\/[\w-]+vietnamese-400-normal\.woff2)\)/.exec(css)?.[1];
    const woff2 = await fetch(`${base}${font}`);
    expect(woff2.headers.get('content-type')).toBe('font/woff2');
    expect(
      Buffer.from(await woff2.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('wOF2');
    expect((await fetch(`${base}/console/fonts/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it.each([
    [1280, 800],
    [360, 740],
  ])('draws the body in Be Vietnam Pro at %ix%i, with the rules applied', async (width, height) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    // run in the page (this project's TypeScript has no DOM library: the page code goes as text)
    await page.evaluate('document.fonts.ready');
    const body = (await page.evaluate(
      '(({ fontFamily, fontSize, margin, backgroundColor }) => ({ fontFamily, fontSize, margin, backgroundColor }))(getComputedStyle(document.body))',
    )) as Record<string, string>;
    expect(body.fontFamily?.startsWith(`"${FONT_FAMILY}"`)).toBe(true);
    expect(body).toMatchObject({ fontSize: '15px', margin: '0px', backgroundColor: 'rgb(244, 246, 248)' });
    const button = await page.evaluate("getComputedStyle(document.querySelector('button')).backgroundColor");
    expect(button).toBe('rgb(11, 92, 173)');
    // "Loa phường - Điều hành truyền thanh cơ sở": every glyph, diacritics included, from the web font
    const fonts = await renderedFonts(page, 'h1');
    expect(fonts.map((f) => f.familyName)).toEqual([FONT_FAMILY]);
    expect(fonts[0]?.isCustomFont).toBe(true);
    await context.close();
  });
});
