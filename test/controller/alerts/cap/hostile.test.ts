// Hostile and broken CAP documents: each refused with the element named (in English, and in Vietnamese
// for the console) and nothing stored; the bulletin table counted before and after.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestController } from '../../../support/controller.ts';
import { alertCount, capWorld, fixture, postCap } from './world.ts';

let ctl: TestController;
const now = new Date('2026-11-26T03:00:00Z');
beforeEach(async () => {
  ctl = await capWorld({ now: () => now });
});
afterEach(() => ctl.cleanup());

const homeland = () => fixture('homeland-security.xml');
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

const LAUGHS = `${PROLOG}<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
${homeland().replace(PROLOG, '').replace('<headline>Nâng mức cảnh báo lên CAM</headline>', '<headline>&lol9;</headline>')}`;

const EXTERNAL = `${PROLOG}<!DOCTYPE alert [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
${homeland().replace(PROLOG, '').replace('<headline>Nâng mức cảnh báo lên CAM</headline>', '<headline>&secret;</headline>')}`;

/** Refused with `status`, the element path in the details, a Vietnamese reason, and no bulletin stored. */
async function refused(xml: string, status: number, element: string, says?: RegExp) {
  const before = alertCount(ctl);
  const r = await postCap(ctl, xml);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.details?.[0]).toMatchObject({ path: element });
  expect(r.body.details[0].messageVi).toMatch(/^Văn bản CAP bị từ chối/);
  expect(r.body.message).toContain(`<${element}>`);
  if (says) expect(r.body.message).toMatch(says);
  expect(alertCount(ctl)).toBe(before);
  expect((ctl.db.prepare('SELECT COUNT(*) AS n FROM cap_alerts').get() as { n: number }).n).toBe(0);
  return r;
}

describe('hostile XML', () => {
  it('refuses a DOCTYPE outright: billion laughs, an external entity', async () => {
    await refused(LAUGHS, 400, '!DOCTYPE', /DOCTYPE or entity declaration/);
    await refused(EXTERNAL, 400, '!DOCTYPE');
    // a DOCTYPE without entities is refused too: there is no reason for one in CAP
    await refused(`${PROLOG}<!DOCTYPE alert>${homeland().replace(PROLOG, '')}`, 400, '!DOCTYPE');
  });

  it('refuses a malformed document with its line, and an oversized one with 413', async () => {
    await refused(
      homeland().replace('</headline>', '</headlin>'),
      400,
      'alert',
      /not well-formed XML at line \d+/,
    );
    await refused('not xml at all', 400, 'alert');
    await refused('', 400, 'alert');
    await refused('   ', 400, 'alert');
    const padding = `<!-- ${'x'.repeat(300 * 1024)} -->`;
    await refused(homeland().replace('<identifier>', `${padding}<identifier>`), 413, 'alert', /over 256 KB/);
  });

  it('refuses another namespace (CAP 1.1) and another document element', async () => {
    await refused(
      homeland().replace(':cap:1.2', ':cap:1.1'),
      400,
      'alert',
      /namespace must be urn:oasis:names:tc:emergency:cap:1\.2/,
    );
    await refused(
      homeland().replace(' xmlns = "urn:oasis:names:tc:emergency:cap:1.2"', ''),
      400,
      'alert',
      /found none/,
    );
    await refused(
      `${PROLOG}<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>`,
      400,
      'alert',
      /must be <alert>/,
    );
  });

  it('refuses an element named __proto__ (the parser says why)', async () => {
    const polluted = homeland()
      .replace('<identifier>43b080713727</identifier>', '<__proto__><identifier>x</identifier></__proto__>')
      .replace('<constructor/>', '');
    await refused(polluted, 400, 'alert', /prototype pollution/);
    expect(({} as Record<string, unknown>).identifier).toBeUndefined();
  });

  it('names each missing required element', async () => {
    await refused(
      homeland().replace('<identifier>43b080713727</identifier>', ''),
      400,
      'alert/identifier',
      /required element missing/,
    );
    await refused(homeland().replace('<sender>hsas@dhs.gov</sender>', ''), 400, 'alert/sender');
    await refused(homeland().replace('<scope>Public</scope>', ''), 400, 'alert/scope');
    await refused(homeland().replaceAll('<severity>Severe</severity>', ''), 400, 'alert/info/severity');
    await refused(homeland().replaceAll('<category>Security</category>', ''), 400, 'alert/info/category');
    await refused(
      homeland().replace('<msgType>Alert</msgType>', '<msgType>Warning</msgType>'),
      400,
      'alert/msgType',
      /must be one of Alert, Update, Cancel/,
    );
    await refused(
      homeland().replace('2026-11-26T09:39:01+07:00', '26/11/2026 09:39'),
      400,
      'alert/sent',
      /not a CAP date/,
    );
    const noInfo = homeland().replace(/<info>[\s\S]*<\/info>/, '');
    await refused(noInfo, 400, 'alert/info');
  });

  it('refuses what it cannot broadcast: a Test, no audio, remote audio, an unknown clip', async () => {
    await refused(
      homeland().replace('<status>Actual</status>', '<status>Test</status>'),
      400,
      'alert/status',
      /only Actual/,
    );
    // no audio and no description to read aloud (speech from a description: test/controller/alerts/cap-feed/)
    const noAudio = homeland()
      .replace(/<resource>\s*<resourceDesc>Bản tin đọc[\s\S]*?<\/resource>/, '')
      .replace(/<description>[\s\S]*?<\/description>/g, '');
    await refused(noAudio, 400, 'alert/info/resource', /audio <resource>/);
    // remote audio would be an unreviewed draft: refused for anything but an emergency, before any fetch
    await refused(
      fixture('earthquake-1.xml').replace(
        'http://localhost/api/clips/clip-ok/audio',
        'https://example.org/a.mp3',
      ),
      400,
      'alert/info/resource/uri',
      /only an emergency may use/,
    );
    await refused(
      homeland().replace('clip-ok', 'clip-nowhere'),
      400,
      'alert/info/resource/uri',
      /does not exist/,
    );
    const wrongDigest = homeland().replace(
      '<uri>http://localhost/api/clips/clip-ok/audio</uri>',
      '$&<digest>0000</digest>',
    );
    await refused(wrongDigest, 400, 'alert/info/resource/digest');
  });

  it('refuses unknown areas, and polygons or circles it cannot place', async () => {
    await refused(
      homeland().replace('<value>ninh-kieu</value>', '<value>hoan-kiem</value>'),
      400,
      'alert/info/area[1]/geocode',
      /LOA_AREA 'hoan-kiem'/,
    );
    await refused(
      homeland()
        .replace('<valueName>LOA_AREA</valueName>', '<valueName>MA_DVHC</valueName>')
        .replace('ninh-kieu', '00001'),
      400,
      'alert/info/area[1]/geocode',
    );
    await refused(
      fixture('earthquake-1.xml').replace('Phường Lê Bình', 'Brawley, CA'),
      400,
      'alert/info/area[1]',
      /no station with a known position lies inside/,
    );
    await refused(
      homeland().replace(
        /<area>\s*<areaDesc>Quận Ninh Kiều[\s\S]*?<\/area>/,
        '<area><areaDesc>Hà Nội</areaDesc></area>',
      ),
      400,
      'alert/info/area[1]',
      /names no area here/,
    );
  });

  it('refuses a Cancel or Update of an unknown alert (404), and the same alert twice (409)', async () => {
    const r = await refused(
      fixture('earthquake-cancel.xml'),
      404,
      'alert/references',
      /no bulletin here comes from trinet@caltech\.edu,TRI13970876\.2/,
    );
    expect(r.body.details[0].messageVi).toContain('không có bản tin nào');
    await refused(fixture('earthquake-2.xml'), 404, 'alert/references');
    await refused(
      fixture('earthquake-cancel.xml').replace(/<cap:references>.*<\/cap:references>/, ''),
      400,
      'alert/references',
      /required for msgType Cancel/,
    );
    expect((await postCap(ctl, homeland())).status).toBe(201);
    const again = await postCap(ctl, homeland());
    expect(again.status).toBe(409);
    expect(again.body.details[0]).toMatchObject({ path: 'alert/identifier' });
    expect(alertCount(ctl)).toBe(1);
  });

  it('still takes JSON bulletins on the same route', async () => {
    const r = await ctl.call('POST', '/api/alerts', {
      level: 'normal',
      title: 'Lịch tiêm chủng',
      reason: 'Thông báo của trạm y tế',
      clipId: 'clip-ok',
      targets: [{ scope: 'area', id: 'an-hoa' }],
    });
    expect(r.status).toBe(201);
    const bad = await ctl.app.request('/api/alerts', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctl.token}`, 'content-type': 'application/xml' },
      body: homeland(),
    });
    expect(bad.status).toBe(400);
  });
});
