// GPIO numbering: the header pin's sysfs number on Pi 3, Pi 4 (kernel 6.1 and 6.6) and Pi 5, from fixture sysfs trees.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type GpioChip, readGpioChips, sysfsGpioNumber } from '../../../edge-agent/hardware/gpio.ts';
import { createRelay, type GpioFactory, OnoffRelay, RelayGroup } from '../../../edge-agent/hardware/relay.ts';
import { recordingLogger } from '../../support/log.ts';
import { tempDir } from '../../support/temp.ts';
import { testConfig } from '../helpers.ts';

type Layout = [base: number, label: string, ngpio: number][];

// Layouts as reported on the boards (sources in firmware-notes/README.md, "GPIO numbering").
const LAYOUTS: Record<string, Layout> = {
  'Pi 3, kernel 6.1': [
    [0, 'pinctrl-bcm2835', 54],
    [504, 'raspberrypi-exp-gpio', 8],
  ],
  // inferred, not read from a board: see firmware-notes
  'Pi 3 / Zero 2 W, kernel 6.6': [
    [512, 'pinctrl-bcm2835', 54],
    [566, 'raspberrypi-exp-gpio', 8],
  ],
  'Pi 4, kernel 6.1': [
    [0, 'pinctrl-bcm2711', 58],
    [504, 'raspberrypi-exp-gpio', 8],
  ],
  'Pi 4, kernel 6.6': [
    [512, 'pinctrl-bcm2711', 58],
    [570, 'raspberrypi-exp-gpio', 8],
  ],
  'Pi 5, kernel 6.1': [
    [399, 'pinctrl-rp1', 54],
    [453, 'gpio-brcmstb@107d517c00', 17],
    [470, 'gpio-brcmstb@107d517c20', 6],
    [476, 'gpio-brcmstb@107d508500', 32],
    [508, 'gpio-brcmstb@107d508520', 4],
  ],
  'Pi 5, kernel 6.6': [
    [512, 'gpio-brcmstb@107d508500', 32],
    [544, 'gpio-brcmstb@107d508520', 4],
    [548, 'gpio-brcmstb@107d517c00', 17],
    [565, 'gpio-brcmstb@107d517c20', 6],
    [571, 'pinctrl-rp1', 54],
  ],
};

const GPIO17: Record<string, number> = {
  'Pi 3, kernel 6.1': 17,
  'Pi 3 / Zero 2 W, kernel 6.6': 529,
  'Pi 4, kernel 6.1': 17,
  'Pi 4, kernel 6.6': 529,
  'Pi 5, kernel 6.1': 416,
  'Pi 5, kernel 6.6': 588,
};

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Writes a /sys/class/gpio-like tree: gpiochipN/{base,label,ngpio}, plus the files sysfs always has. */
function sysfs(name: string, layout: Layout): string {
  const root = join(tmp.dir, name.replace(/\W+/g, '-'));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'export'), '');
  writeFileSync(join(root, 'unexport'), '');
  for (const [base, label, ngpio] of layout) {
    const dir = join(root, `gpiochip${base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'base'), `${base}\n`);
    writeFileSync(join(dir, 'label'), `${label}\n`);
    writeFileSync(join(dir, 'ngpio'), `${ngpio}\n`);
  }
  return root;
}

describe('GPIO line lookup', () => {
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    it(`finds BCM 17 on ${name}`, () => {
      const chips = readGpioChips(sysfs(name, layout));
      expect(chips).toHaveLength(layout.length);
      expect(sysfsGpioNumber(chips, 17)).toBe(GPIO17[name]);
      expect(sysfsGpioNumber(chips, 0)).toBe((GPIO17[name] as number) - 17);
    });
  }

  it('refuses pins the chip does not have, unknown layouts and ambiguous labels', () => {
    const pi4 = readGpioChips(sysfs('pi4-limits', LAYOUTS['Pi 4, kernel 6.6'] as Layout));
    expect(sysfsGpioNumber(pi4, 57)).toBe(569);
    expect(() => sysfsGpioNumber(pi4, 58)).toThrow(/pin 58 is not a line of gpiochip512 'pinctrl-bcm2711'/);
    const other: GpioChip[] = [{ name: 'gpiochip0', base: 0, label: 'sunxi-pinctrl', ngpio: 224 }];
    expect(() => sysfsGpioNumber(other, 17)).toThrow(
      /no GPIO chip labelled .*found: gpiochip0 'sunxi-pinctrl'.*gpioChipLabel/,
    );
    expect(sysfsGpioNumber(other, 17, 'sunxi-pinctrl')).toBe(17);
    const twice = [...other, { ...other[0], name: 'gpiochip300', base: 300 } as GpioChip];
    expect(() => sysfsGpioNumber(twice, 1, 'sunxi-pinctrl')).toThrow(/several GPIO chips/);
    expect(readGpioChips(join(tmp.dir, 'no-sysfs'))).toEqual([]);
  });

  it('drives each configured relay on its offset line, OFF from the start, at the right raw level', () => {
    const root = sysfs('pi5-relays', LAYOUTS['Pi 5, kernel 6.6'] as Layout);
    const opened: { n: number; offLevel: string; activeLow: boolean; writes: number[] }[] = [];
    const gpio: GpioFactory = (n, offLevel, activeLow) => {
      const line = { n, offLevel, activeLow, writes: [] as number[] };
      opened.push(line);
      return {
        write: async (v) => void line.writes.push(v),
        writeSync: (v) => void line.writes.push(v),
      };
    };
    const config = testConfig(tmp.dir, {
      gpio: 'onoff',
      relays: [
        { name: 'cho', pin: 17 },
        { name: 'truong', pin: 27, activeLow: true },
      ],
    });
    const log = recordingLogger();
    const relay = createRelay(config, { now: () => new Date() }, log, {
      sysfsRoot: root,
      accessible: true,
      gpio,
    });
    expect(relay).toBeInstanceOf(RelayGroup);
    expect(relay.simulated).toBe(false);
    expect(opened).toEqual([
      { n: 588, offLevel: 'low', activeLow: false, writes: [0] },
      { n: 598, offLevel: 'high', activeLow: true, writes: [0] },
    ]);
    expect(log.lines).toContain('info relay truong: BCM 27 = sysfs GPIO 598 (activeLow=true), off');

    const single = createRelay(testConfig(tmp.dir, { gpio: 'onoff' }), { now: () => new Date() }, log, {
      sysfsRoot: root,
      accessible: true,
      gpio,
    });
    expect(single).toBeInstanceOf(OnoffRelay);
    expect(opened.at(-1)).toMatchObject({ n: 588 });
  });

  it('falls back to simulated relays, journalled by name, where onoff cannot reach the pins', () => {
    const log = recordingLogger();
    const config = testConfig(tmp.dir, { gpio: 'onoff' });
    const relay = createRelay(config, { now: () => new Date() }, log, { accessible: false });
    expect(relay.simulated).toBe(true);
    expect(relay.lines()).toEqual([{ name: 'amp', on: false }]);
    expect(
      log.lines.some((l) => l.startsWith('error relay: gpio=onoff but the GPIO is not accessible')),
    ).toBe(true);
  });
});
