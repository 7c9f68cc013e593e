// CAP 1.2 import (POST /api/alerts, application/cap+xml) of documents written from the standard's
// examples: levels by the table, areas by geocode and by name, the language chosen, an Update/Cancel
// sequence, the caller's rights, and the level table from CAP_LEVELS_FILE.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../controller/config.ts';
import type { TestController } from '../../../support/controller.ts';
import { tempDir } from '../../../support/temp.ts';
import { alertCount, capWorld, fixture, postCap } from './world.ts';

let ctl: TestController;
const now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
beforeEach(async () => {
  ctl = await capWorld(clock);
});
afterEach(() => ctl.cleanup());

describe('importing CAP alerts', () => {
  it('takes the Vietnamese info of the homeland-security example: an emergency to Ninh Kiều', async () => {
    const r = await postCap(ctl, fixture('homeland-security.xml'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      msgType: 'Alert',
      level: 'emergency',
      title: 'Nâng mức cảnh báo lên CAM',
      reason: 'Mức cảnh báo an ninh được nâng lên CAM / Cao do có thông tin về nguy cơ gia tăng.',
      clipId: 'clip-ok',
      targets: [{ scope: 'area', id: 'ninh-kieu' }],
      stationCount: 2,
      issuedBy: 'admin',
      // no <expires>: an emergency's default two hours
      expiresAt: '2026-11-26T05:00:00.000Z',
      ignoreQuietWindows: false,
      replaced: [],
    });
    const kept = ctl.db.prepare('SELECT * FROM cap_alerts WHERE alert_id = ?').get(r.body.id);
    expect(kept).toMatchObject({
      sender: 'hsas@dhs.gov',
      identifier: '43b080713727',
      sent: '2026-11-26T09:39:01+07:00',
    });
  });

  it('takes a document that starts with a byte order mark', async () => {
    expect((await postCap(ctl, `\uFEFF${fixture('earthquake-1.xml')}`)).status).toBe(201);
  });

  it('maps the thunderstorm (Severe, Expected) to priority and its national code to An Hòa, until <expires>', async () => {
    const r = await postCap(ctl, fixture('thunderstorm.xml'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      level: 'priority',
      title: 'SEVERE THUNDERSTORM WARNING',
      targets: [{ scope: 'area', id: 'an-hoa' }],
      stationCount: 1,
      expiresAt: '2026-11-26T09:00:00.000Z',
    });
  });

  it('finds an area by its name (areaDesc) when no geocode names it; a minor earthquake is normal', async () => {
    const r = await postCap(ctl, fixture('earthquake-1.xml'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      level: 'normal',
      targets: [{ scope: 'area', id: 'le-binh' }],
      stationCount: 1,
    });
  });

  it('replaces a bulletin on Update and withdraws it on Cancel; both refer by sender,identifier,sent', async () => {
    const first = await postCap(ctl, fixture('earthquake-1.xml'));
    const update = await postCap(ctl, fixture('earthquake-2.xml'));
    expect(update.status).toBe(201);
    expect(update.body.msgType).toBe('Update');
    expect(update.body.replaced).toMatchObject([{ id: first.body.id, status: 'cancelled' }]);
    expect(update.body.status).toBe('active');
    expect(update.body.reason).toContain('reviewed by a seismologist');
    const old = await ctl.call('GET', `/api/alerts/${first.body.id}`);
    expect(old.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'admin',
      cancelReason: 'CAP Update trinet@caltech.edu,TRI13970876.2,2026-11-26T09:56:00+07:00',
    });

    // the Update's own reference is used up: the first report is no longer running
    const again = await postCap(ctl, fixture('earthquake-2.xml').replace('TRI13970876.2<', 'TRI13970876.9<'));
    expect(again.status).toBe(409);
    expect(again.body.details[0]).toMatchObject({ path: 'alert/references' });

    const cancel = await postCap(ctl, fixture('earthquake-cancel.xml'));
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      msgType: 'Cancel',
      cancelled: [{ id: update.body.id, status: 'cancelled' }],
    });
    const gone = await ctl.call('GET', `/api/alerts/${update.body.id}`);
    expect(gone.body.cancelReason).toBe('Reviewed: no damage, report withdrawn');
    expect(alertCount(ctl)).toBe(2);

    const twice = await postCap(
      ctl,
      fixture('earthquake-cancel.xml').replace('TRI13970876.3', 'TRI13970876.4'),
    );
    expect(twice.status).toBe(409);
  });

  it('reaches the stations whose last known position lies inside a polygon or a circle', async () => {
    const at = ctl.db.prepare(
      `INSERT INTO mobile_positions (station_id, lat, lon, accuracy_m, fix_at, received_at, area_id)
       VALUES (?, ?, ?, 10, '2026-11-26T02:59:00Z', '2026-11-26T02:59:01Z', NULL)`,
    );
    at.run('st-tan-an', 10.045, 105.78);
    at.run('st-an-hoa', 10.1, 105.7);
    at.run('st-le-binh', 32.96, -115.55);
    // the thunderstorm's area without the geocode, named nowhere here, drawn around Tân An
    const storm = fixture('thunderstorm.xml')
      .replace(/<geocode>[\s\S]*<\/geocode>/, '')
      .replace('Phường An Hòa', 'Vùng giông')
      .replace(
        /<polygon>.*<\/polygon>/,
        '<polygon>10.03,105.76 10.03,105.80 10.06,105.80 10.06,105.76 10.03,105.76</polygon>',
      );
    const r = await postCap(ctl, storm);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ targets: [{ scope: 'station', id: 'st-tan-an' }], stationCount: 1 });
    // the earthquake's circle (5 km around Brawley) reaches the unit parked there
    const quake = fixture('earthquake-1.xml')
      .replace('Phường Lê Bình', 'Brawley, CA')
      .replace('32.9525,-115.5527 0', '32.9525,-115.5527 5');
    const q = await postCap(ctl, quake);
    expect(q.body).toMatchObject({ targets: [{ scope: 'station', id: 'st-le-binh' }] });
    const broken = storm.replace(/<polygon>.*<\/polygon>/, '<polygon>10.03,105.76 north</polygon>');
    const b = await postCap(ctl, broken.replace('KSTO1055887203', 'KSTO2'));
    expect(b.status).toBe(400);
    expect(b.body.details[0].path).toBe('alert/info/area[1]/polygon');
  });

  it('needs the rights of any bulletin: a ward may not send an emergency, a technician only in their area', async () => {
    const ward = await ctl.tokenFor('cb-an-hoa', 'ward', { ward: 'an-hoa' });
    const other = await ctl.tokenFor('kt-cai-rang', 'technician', { districts: ['cai-rang'] });
    const viewer = await ctl.tokenFor('xem', 'viewer');
    expect((await postCap(ctl, fixture('homeland-security.xml'), ward)).status).toBe(403);
    const outside = await postCap(ctl, fixture('homeland-security.xml'), other);
    expect(outside.status).toBe(403);
    expect(outside.body.message).toContain('outside your area');
    expect((await postCap(ctl, fixture('homeland-security.xml'), viewer)).status).toBe(403);
    expect(alertCount(ctl)).toBe(0);
    const inside = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
    expect((await postCap(ctl, fixture('homeland-security.xml'), inside)).status).toBe(201);
  });

  it('a Cancel needs the rights over the bulletin it withdraws', async () => {
    await postCap(ctl, fixture('earthquake-1.xml'));
    const other = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
    const update = await postCap(ctl, fixture('earthquake-2.xml'), other);
    expect(update.status).toBe(403);
    expect(alertCount(ctl)).toBe(1);
  });
});

describe('the level table', () => {
  const table = {
    import: [
      { severity: ['Minor'], level: 'priority' },
      { severity: ['Unknown'], level: 'normal' },
    ],
    otherwise: 'emergency',
    export: {
      emergency: { severity: 'Extreme', urgency: 'Immediate', certainty: 'Observed' },
      priority: { severity: 'Minor', urgency: 'Past', certainty: 'Observed' },
      normal: { severity: 'Unknown', urgency: 'Unknown', certainty: 'Unknown' },
    },
  };

  it('is read from CAP_LEVELS_FILE at start', async () => {
    const dir = tempDir('cap-levels');
    const file = path.join(dir.dir, 'levels.json');
    writeFileSync(file, JSON.stringify(table));
    const own = await capWorld(clock, { CAP_LEVELS_FILE: file, CAP_SENDER: 'ubnd.cantho.gov.vn' });
    try {
      const r = await postCap(own, fixture('earthquake-1.xml'));
      expect(r.body.level).toBe('priority');
      expect(own.config.cap.sender).toBe('ubnd.cantho.gov.vn');
    } finally {
      own.cleanup();
      dir.cleanup();
    }
  });

  it('refuses at start a table whose export would not import back to the same level, or a bad sender', () => {
    const dir = tempDir('cap-levels');
    const file = path.join(dir.dir, 'levels.json');
    const env = { DATA_DIR: dir.dir, CAP_LEVELS_FILE: file };
    writeFileSync(file, JSON.stringify({ ...table, import: table.import.slice(0, 1) }));
    expect(() => loadConfig(env)).toThrow(/export\.normal: .*would import as emergency/);
    writeFileSync(file, '{ not json');
    expect(() => loadConfig(env)).toThrow(/CAP_LEVELS_FILE: cannot read/);
    expect(() => loadConfig({ DATA_DIR: dir.dir, CAP_SENDER: 'ubnd, cần thơ' })).toThrow(/CAP_SENDER/);
    dir.cleanup();
  });
});
