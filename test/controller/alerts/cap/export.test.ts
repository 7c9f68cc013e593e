// CAP 1.2 export (GET /api/alerts/:id, Accept: application/cap+xml): the fields, the schema's element
// order, the round trip import -> export -> import on a second controller, and a withdrawn bulletin's Cancel.
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestController } from '../../../support/controller.ts';
import { CLIP_BYTES, capWorld, fixture, getCap, postCap } from './world.ts';

let a: TestController;
let b: TestController;
const now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
beforeEach(async () => {
  a = await capWorld(clock);
  b = await capWorld(clock);
});
afterEach(() => {
  a.cleanup();
  b.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: the test reads the document loosely
const parse = (xml: string): any =>
  new XMLParser({
    parseTagValue: false,
    ignoreAttributes: false,
    isArray: (n) => ['area', 'geocode', 'info'].includes(n),
  }).parse(xml);

/** The CAP 1.2 schema's sequences (the elements we write, in order). */
const ALERT_ORDER = [
  'identifier',
  'sender',
  'sent',
  'status',
  'msgType',
  'scope',
  'note',
  'references',
  'info',
];
const INFO_ORDER = [
  'language',
  'category',
  'event',
  'urgency',
  'severity',
  'certainty',
  'expires',
  'senderName',
  'headline',
  'description',
  'parameter',
  'resource',
  'area',
];
const inOrder = (names: string[], order: string[]) => {
  const at = names.map((n) => order.indexOf(n));
  expect(at).not.toContain(-1);
  expect(at).toEqual([...at].sort((x, y) => x - y));
};

/** What makes a bulletin the same bulletin. */
const essence = (v: Record<string, unknown>) => ({
  level: v.level,
  title: v.title,
  reason: v.reason,
  clipId: v.clipId,
  targets: v.targets,
  expiresAt: v.expiresAt,
  ignoreQuietWindows: v.ignoreQuietWindows,
});

describe('exporting a bulletin as CAP', () => {
  it('writes the identity it came with, the level by the table, the clip and the areas with geocodes', async () => {
    const sent = await postCap(a, fixture('homeland-security.xml'));
    const r = await getCap(a, sent.body.id);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/cap+xml; charset=utf-8');
    const { alert } = parse(r.text);
    expect(alert['@_xmlns']).toBe('urn:oasis:names:tc:emergency:cap:1.2');
    expect(alert).toMatchObject({
      identifier: '43b080713727',
      sender: 'hsas@dhs.gov',
      sent: '2026-11-26T09:39:01+07:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
    });
    expect(alert.info[0]).toMatchObject({
      language: 'vi-VN',
      category: 'Security',
      event: 'Cập nhật mức cảnh báo an ninh',
      urgency: 'Immediate',
      severity: 'Extreme',
      certainty: 'Observed',
      expires: '2026-11-26T12:00:00+07:00',
      headline: 'Nâng mức cảnh báo lên CAM',
      resource: {
        mimeType: 'audio/ogg',
        size: String(CLIP_BYTES.length),
        uri: 'http://loa.example:8080/api/clips/clip-ok/audio',
        digest: createHash('sha1').update(CLIP_BYTES).digest('hex'),
      },
      area: [
        {
          areaDesc: 'Quận Ninh Kiều',
          geocode: [
            { valueName: 'LOA_AREA', value: 'ninh-kieu' },
            { valueName: 'MA_DVHC', value: '916' },
          ],
        },
      ],
    });
    const ordered = new XMLParser({ preserveOrder: true }).parse(r.text) as Record<string, unknown>[];
    const root = ordered.find((n) => 'alert' in n)?.alert as Record<string, unknown>[];
    inOrder(
      root.map((n) => Object.keys(n)[0] as string),
      ALERT_ORDER,
    );
    const info = root.find((n) => 'info' in n)?.info as Record<string, unknown>[];
    inOrder(
      info.map((n) => Object.keys(n)[0] as string),
      INFO_ORDER,
    );
  });

  it('round-trips: import -> export -> import on another controller gives the same bulletin', async () => {
    for (const name of ['homeland-security.xml', 'thunderstorm.xml', 'earthquake-1.xml']) {
      const first = await postCap(a, fixture(name));
      const exported = await getCap(a, first.body.id);
      const again = await postCap(b, exported.text);
      expect(again.status, `${name}: ${JSON.stringify(again.body)}`).toBe(201);
      expect(essence(again.body)).toEqual(essence(first.body));
      // and its export is the same document
      expect((await getCap(b, again.body.id)).text).toBe(exported.text);
    }
  });

  it('round-trips one of our own bulletins: a station target, ignoring quiet windows, a custom expiry', async () => {
    const own = await a.call('POST', '/api/alerts', {
      level: 'emergency',
      title: 'Cảnh báo triều cường',
      reason: 'Triều cường vượt báo động 3 & nước tràn bờ kè <sông Hậu>',
      clipId: 'clip-draft',
      targets: [
        { scope: 'station', id: 'st-tan-an' },
        { scope: 'area', id: 'le-binh' },
      ],
      expiresAt: '2026-11-26T04:30:00.000Z',
      ignoreQuietWindows: true,
    });
    expect(own.status).toBe(201);
    const exported = await getCap(a, own.body.id);
    const { alert } = parse(exported.text);
    expect(alert).toMatchObject({
      identifier: own.body.id,
      sender: 'loa-phuong',
      sent: '2026-11-26T10:00:00+07:00',
    });
    expect(alert.info[0].parameter).toEqual({ valueName: 'LOA_IGNORE_QUIET_WINDOWS', value: 'true' });
    expect(alert.info[0].area[0]).toEqual({
      areaDesc: 'Đài tan-an',
      geocode: [{ valueName: 'LOA_STATION', value: 'st-tan-an' }],
    });
    const again = await postCap(b, exported.text);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(essence(again.body)).toEqual(essence(own.body));
    // our own bulletin exported back to us is the same alert: refused as already here
    expect((await postCap(a, exported.text)).status).toBe(409);
  });

  it('writes a withdrawn bulletin as a Cancel referencing it, which withdraws its copy elsewhere', async () => {
    const first = await postCap(a, fixture('thunderstorm.xml'));
    const copy = await postCap(b, (await getCap(a, first.body.id)).text);
    await a.call('POST', `/api/alerts/${first.body.id}/cancel`, { reason: 'Bão đã qua' });
    const { alert } = parse((await getCap(a, first.body.id)).text);
    expect(alert).toMatchObject({
      identifier: `${first.body.id}.cancel`,
      sender: 'loa-phuong',
      msgType: 'Cancel',
      note: 'Bão đã qua',
      references: 'KSTO@NWS.NOAA.GOV,KSTO1055887203,2026-11-26T09:57:00+07:00',
    });
    const cancel = await postCap(b, (await getCap(a, first.body.id)).text);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.cancelled).toMatchObject([
      { id: copy.body.id, status: 'cancelled', cancelReason: 'Bão đã qua' },
    ]);
  });

  it('answers JSON without the CAP Accept, and 404 or 403 as the JSON route does', async () => {
    const sent = await postCap(a, fixture('earthquake-1.xml'));
    expect((await a.call('GET', `/api/alerts/${sent.body.id}`)).body.level).toBe('normal');
    expect((await getCap(a, 'al-none')).status).toBe(404);
    const other = await a.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
    const res = await a.app.request(`/api/alerts/${sent.body.id}`, {
      headers: { authorization: `Bearer ${other}`, accept: 'application/cap+xml' },
    });
    expect(res.status).toBe(403);
  });
});
