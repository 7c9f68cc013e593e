// Amplifier relays: GPIO lines via onoff on a Pi, or simulated ones that journal every change; several switch as one.
import { appendFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Gpio as OnoffGpio } from 'onoff';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { AgentConfig } from '../config/config.ts';
import { readGpioChips, sysfsGpioNumber } from './gpio.ts';

export interface RelayLineState {
  name: string;
  on: boolean;
}

export interface Relay {
  set(on: boolean): Promise<void>;
  /** True while any line is on: the amplifier may be live. */
  readonly on: boolean;
  /** Whether the lines are simulated (no real pin is driven). */
  readonly simulated: boolean;
  lines(): RelayLineState[];
  /** Switches every line off at once, synchronously: for exit paths where no async work runs any more. */
  offSync(): void;
  /** Switches off and releases the lines; the pins stay driven at their OFF level. */
  close(): Promise<void>;
}

export interface RelayChange {
  at: string;
  on: boolean;
  relay: string;
}

/**
 * In-memory relay line; the initial OFF and every change are kept in `changes` and, given a journal
 * path, appended to it as JSON lines (setting the state it already has is not a change).
 */
export class SimRelay implements Relay {
  readonly changes: RelayChange[] = [];
  readonly simulated = true;
  #on = false;

  constructor(
    private readonly clock: Clock,
    private readonly journal: string | null = null,
    readonly name = 'amp',
  ) {
    if (journal) mkdirSync(dirname(journal), { recursive: true });
    this.#write(false);
  }

  get on(): boolean {
    return this.#on;
  }

  lines(): RelayLineState[] {
    return [{ name: this.name, on: this.#on }];
  }

  async set(on: boolean): Promise<void> {
    if (on !== this.#on) this.#write(on);
  }

  offSync(): void {
    if (this.#on) this.#write(false);
  }

  async close(): Promise<void> {
    this.offSync();
  }

  #write(on: boolean): void {
    this.#on = on;
    const change = { at: this.clock.now().toISOString(), on, relay: this.name };
    this.changes.push(change);
    // Synchronous on purpose: the journal must hold the change even if the process is killed next.
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(change)}\n`);
  }
}

/** What OnoffRelay needs of onoff's Gpio (a fake stands in for it in tests). */
export interface GpioLine {
  write(value: 0 | 1): Promise<void>;
  writeSync(value: 0 | 1): void;
}
export type GpioFactory = (sysfsNumber: number, offLevel: 'high' | 'low', activeLow: boolean) => GpioLine;

/** onoff, loaded only where the config asks for real pins (about 5 MB an agent with `gpio: sim` does not hold). */
const onoff = (): typeof OnoffGpio =>
  (createRequire(import.meta.url)('onoff') as { Gpio: typeof OnoffGpio }).Gpio;
const onoffFactory: GpioFactory = (n, offLevel, activeLow) =>
  new (onoff())(n, offLevel, 'none', { activeLow });

/** A relay on one GPIO line. With activeLow the pin is driven low for ON; it starts OFF. */
export class OnoffRelay implements Relay {
  readonly simulated = false;
  #gpio: GpioLine;
  #on = false;

  constructor(
    sysfsNumber: number,
    activeLow: boolean,
    readonly name = 'amp',
    factory: GpioFactory = onoffFactory,
  ) {
    // The kernel applies 'high'/'low' directions as raw levels (ignoring active_low), so the
    // glitch-free initial level that means OFF is 'high' for an active-low relay board.
    this.#gpio = factory(sysfsNumber, activeLow ? 'high' : 'low', activeLow);
    this.#gpio.writeSync(0);
  }

  get on(): boolean {
    return this.#on;
  }

  lines(): RelayLineState[] {
    return [{ name: this.name, on: this.#on }];
  }

  async set(on: boolean): Promise<void> {
    // Counted as on before the write, so a failing write can never leave an unnoticed live line.
    if (on) this.#on = true;
    await this.#gpio.write(on ? 1 : 0);
    this.#on = on;
  }

  offSync(): void {
    this.#gpio.writeSync(0);
    this.#on = false;
  }

  async close(): Promise<void> {
    // Not unexported: an exported output held at OFF is safer than an input left to the pull resistors.
    this.offSync();
  }
}

/** Several relay lines (speaker lines or zones) switched together: on in order, off in reverse. */
export class RelayGroup implements Relay {
  constructor(private readonly members: readonly Relay[]) {
    if (members.length === 0) throw new Error('a relay group needs at least one relay');
  }

  get on(): boolean {
    return this.members.some((m) => m.on);
  }

  get simulated(): boolean {
    return this.members.every((m) => m.simulated);
  }

  lines(): RelayLineState[] {
    return this.members.flatMap((m) => m.lines());
  }

  async set(on: boolean): Promise<void> {
    if (on) {
      try {
        for (const m of this.members) await m.set(true);
      } catch (err) {
        this.offSync(); // never leave some zones live after a failed switch-on
        throw err;
      }
      return;
    }
    let first: unknown = null;
    for (const m of [...this.members].reverse()) await m.set(false).catch((err) => (first ??= err));
    if (first) throw first;
  }

  offSync(): void {
    let first: unknown = null;
    for (const m of this.members) {
      try {
        m.offSync();
      } catch (err) {
        first ??= err;
      }
    }
    if (first) throw first;
  }

  async close(): Promise<void> {
    this.offSync();
  }
}

export interface RelayOptions {
  /** Where the gpiochip directories are (tests point this at a fixture). */
  sysfsRoot?: string;
  /** Whether onoff can reach the pins; defaults to Gpio.accessible. */
  accessible?: boolean;
  gpio?: GpioFactory;
}

/** Builds the configured relays, all forced OFF: onoff lines where the pins are reachable, else simulated. */
export function createRelay(
  config: Pick<AgentConfig, 'gpio' | 'relays' | 'gpioChipLabel' | 'dataDir'>,
  clock: Clock,
  log: Logger,
  opts: RelayOptions = {},
): Relay {
  const lines = config.relays;
  let members: Relay[] | null = null;
  if (config.gpio === 'onoff') {
    if (opts.accessible ?? onoff().accessible) {
      const chips = readGpioChips(opts.sysfsRoot);
      members = lines.map((r) => {
        const n = sysfsGpioNumber(chips, r.pin, config.gpioChipLabel);
        log.info(`relay ${r.name}: BCM ${r.pin} = sysfs GPIO ${n} (activeLow=${r.activeLow}), off`);
        return new OnoffRelay(n, r.activeLow, r.name, opts.gpio);
      });
    } else {
      log.error('relay: gpio=onoff but the GPIO is not accessible on this machine; using simulated relays');
    }
  } else {
    log.info(`relay: simulated (gpio=sim), ${lines.map((r) => r.name).join(', ')} off`);
  }
  members ??= lines.map((r) => new SimRelay(clock, join(config.dataDir, 'relay.jsonl'), r.name));
  return members.length === 1 ? (members[0] as Relay) : new RelayGroup(members);
}
