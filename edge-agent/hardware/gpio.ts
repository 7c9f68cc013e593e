// Maps a BCM header pin to its sysfs GPIO number: finds the header's gpiochip by label and adds its base.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `/sys/class/gpio/gpiochipN` directory: N is its base, numbered base .. base + ngpio - 1. */
export interface GpioChip {
  name: string;
  base: number;
  label: string;
  ngpio: number;
}

/**
 * Labels of the chips that drive the 40-pin header, most specific first. Pi 1-3 and Zero (2) W:
 * pinctrl-bcm2835 (the bcm2835 driver also serves BCM2836/2837); Pi 4/400/CM4: pinctrl-bcm2711;
 * Pi 5/CM5: pinctrl-rp1 (the BCM2712's own gpio-brcmstb chips are not on the header).
 */
export const HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'] as const;

export class GpioLookupError extends Error {
  override name = 'GpioLookupError';
}

/**
 * The sysfs number of header pin `bcm`. Since Linux 6.6 chip bases are dynamic (512 and up), so
 * the number is the header chip's base plus the pin; `label` picks another chip for unusual boards.
 */
export function sysfsGpioNumber(chips: readonly GpioChip[], bcm: number, label?: string): number {
  const wanted = label ? [label] : HEADER_CHIP_LABELS;
  let chip: GpioChip | undefined;
  for (const l of wanted) {
    const found = chips.filter((c) => c.label === l);
    if (found.length > 1) {
      throw new GpioLookupError(
        `several GPIO chips are labelled '${l}': ${found.map((c) => c.name).join(', ')}`,
      );
    }
    chip = found[0];
    if (chip) break;
  }
  if (!chip) {
    const seen = chips.map((c) => `${c.name} '${c.label}'`).join(', ') || 'none';
    throw new GpioLookupError(
      `no GPIO chip labelled ${wanted.map((l) => `'${l}'`).join(' or ')} (found: ${seen}); set gpioChipLabel`,
    );
  }
  if (!Number.isInteger(bcm) || bcm < 0 || bcm >= chip.ngpio) {
    throw new GpioLookupError(
      `pin ${bcm} is not a line of ${chip.name} '${chip.label}' (0..${chip.ngpio - 1})`,
    );
  }
  return chip.base + bcm;
}

/** Reads every gpiochip under a sysfs-like directory (default `/sys/class/gpio`); [] if there is none. */
export function readGpioChips(root = '/sys/class/gpio'): GpioChip[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => /^gpiochip\d+$/.test(n));
  } catch {
    return [];
  }
  const chips: GpioChip[] = [];
  for (const name of names.sort()) {
    const read = (file: string) => readFileSync(join(root, name, file), 'utf8').trim();
    try {
      const base = Number(read('base'));
      const ngpio = Number(read('ngpio'));
      if (!Number.isInteger(base) || !Number.isInteger(ngpio)) continue;
      chips.push({ name, base, label: read('label'), ngpio });
    } catch {
      // A chip being removed (hot-unplugged expander) while we read: not the header.
    }
  }
  return chips;
}
