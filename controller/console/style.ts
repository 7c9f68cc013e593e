// The console's stylesheet, served as a file (/console/style.css, cached for a year under a versioned URL)
// rather than inlined, where JSX escaped its quotes and the browser dropped the font rule. The face is Be
// Vietnam Pro, self-hosted from @fontsource (no CDN): drawn for Vietnamese, so stacked diacritics (ặ, ỗ)
// sit right; the system faces follow for anything it lacks or until it loads.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { Hono } from 'hono';

export const FONT_FAMILY = 'Be Vietnam Pro';
const FONT_STACK = `"${FONT_FAMILY}",system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif`;
/** The weights the stylesheet uses (text, table heads, bold) and the subsets Vietnamese text needs. */
const WEIGHTS = [400, 600, 700];
const SUBSETS = new Set(['vietnamese', 'latin-ext', 'latin']);

/**
 * The package's @font-face rules for those weights and subsets, pointing at /console/fonts/ (woff2
 * only: every browser that runs the console reads it), and the font files they name.
 */
function fontFaces(): { css: string; files: Map<string, Buffer> } {
  const require = createRequire(import.meta.url);
  const files = new Map<string, Buffer>();
  const rules: string[] = [];
  for (const weight of WEIGHTS) {
    const sheet = readFileSync(require.resolve(`@fontsource/be-vietnam-pro/${weight}.css`), 'utf8');
    for (const m of sheet.matchAll(
      /\/\* be-vietnam-pro-([a-z-]+)-\d+-normal \*\/\s*(@font-face \{[^}]*\})/g,
    )) {
      const [, subset = '', rule = ''] = m;
      if (!SUBSETS.has(subset)) continue;
      const woff2 = /url\(\.\/files\/([\w-]+\.woff2)\) format\('woff2'\)/.exec(rule)?.[1];
      if (!woff2) continue;
      files.set(woff2, readFileSync(require.resolve(`@fontsource/be-vietnam-pro/files/${woff2}`)));
      rules.push(
        rule
          .replace(/src: [^;]*;/, `src: url(/console/fonts/${woff2}) format('woff2');`)
          .replace(/\s+/g, ' '),
      );
    }
  }
  return { css: rules.join('\n'), files };
}

const fonts = fontFaces();

export const CSS = `${fonts.css}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 ${FONT_STACK};color:#1c2430;background:#f4f6f8}
a{color:#0b5cad}header{background:#8b1a1a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
header a{color:#fff;text-decoration:none}header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}header .me{margin-left:auto;display:flex;gap:.75rem;align-items:center;font-size:.9rem}
header b{font-size:1.05rem}main{padding:1rem;max-width:1200px;margin:0 auto}h1{font-size:1.35rem;margin:.25rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #dde3ea;vertical-align:top}th{background:#eef2f6;font-weight:600}
.scroll{overflow-x:auto}.pill{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.85rem;white-space:nowrap}
.ok{background:#dcf3e2;color:#14532d}.bad{background:#fde2e1;color:#7f1d1d}.warn{background:#fff1c2;color:#713f12}.muted{color:#5b6673}
form.card,.card{background:#fff;border:1px solid #dde3ea;border-radius:.4rem;padding:.75rem;margin:.75rem 0}
form.card{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.5rem .75rem;align-items:end}
label{display:flex;flex-direction:column;font-size:.85rem;gap:.15rem}input,select,textarea,button{font:inherit;padding:.35rem .45rem;border:1px solid #b8c2cc;border-radius:.3rem;background:#fff}
button{background:#0b5cad;color:#fff;border-color:#0b5cad;cursor:pointer}button.link{background:none;border:none;color:inherit;padding:0;text-decoration:underline}
.days{display:flex;flex-wrap:wrap;gap:.3rem}.days label{flex-direction:row;align-items:center;gap:.2rem}
.filters a{margin-right:.75rem}.filters a.on{font-weight:700;text-decoration:none}.error{background:#fde2e1;border:1px solid #f5a3a0;padding:.5rem .75rem;border-radius:.3rem}
[aria-invalid=true]{border:2px solid #b42318;background:#fff6f5}.field-error{color:#b42318;font-size:.8rem}button.danger,a.button.danger{background:#7f1d1d;border-color:#7f1d1d}caption{text-align:left;font-weight:600;padding:.3rem 0}a.button{display:inline-block;background:#0b5cad;color:#fff;padding:.35rem .6rem;border-radius:.3rem;text-decoration:none}
.week{display:grid;grid-template-columns:repeat(7,minmax(8.5rem,1fr));gap:.4rem;overflow-x:auto}.day{background:#fff;border:1px solid #dde3ea;border-radius:.3rem;padding:.35rem;min-height:6rem}
.day h3{font-size:.85rem;margin:0 0 .3rem}.entry{font-size:.82rem;padding:.2rem .3rem;border-radius:.25rem;margin-bottom:.25rem}.entry.scheduled{background:#dcf3e2}.entry.skipped{background:#eceff3;color:#5b6673;text-decoration:line-through}
.entry .why{display:block;text-decoration:none;color:#7f1d1d}.quiet{background:repeating-linear-gradient(45deg,#fff,#fff 6px,#f3f0e6 6px,#f3f0e6 12px)}
progress{width:100%}.chart{display:flex;gap:4px;height:140px;margin:.75rem 0;overflow-x:auto}.chart figure{margin:0;flex:1;min-width:1.6rem;display:flex;flex-direction:column;justify-content:flex-end}
.chart .bar{background:#d5dbe2;display:flex;align-items:flex-end}.chart .bar div{background:#2f7d4a;width:100%}.chart figcaption{font-size:.7rem;text-align:center;color:#5b6673}
@media (min-width:640px){form.card .picker{grid-column:span 2}}
@media (max-width:640px){main{padding:.6rem}header .me{margin-left:0}td,th{padding:.3rem}}
@media print{header,form,.noprint{display:none}body{background:#fff}main{max-width:none}}
`;

/** The stylesheet's address, versioned by its content so it can be cached for good. */
export const STYLESHEET_URL = `/console/style.css?v=${createHash('sha256').update(CSS).digest('hex').slice(0, 10)}`;

/** Serves the stylesheet and its font files; public, since the sign-in page uses them too. */
export function mountStyle(app: Hono): void {
  app.get('/console/style.css', (c) => {
    c.header('content-type', 'text/css; charset=utf-8');
    c.header('cache-control', 'public, max-age=31536000, immutable');
    return c.body(CSS);
  });
  app.get('/console/fonts/:file', (c) => {
    const bytes = fonts.files.get(basename(c.req.param('file')));
    if (!bytes) return c.text('no such font', 404);
    c.header('content-type', 'font/woff2');
    c.header('cache-control', 'public, max-age=2592000');
    return c.body(new Uint8Array(bytes));
  });
}
