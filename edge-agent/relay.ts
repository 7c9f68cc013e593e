// The amplifier relay: a GPIO pin via onoff on a Pi, or a simulated relay that journals every change.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Gpio } from 'onoff';
import type { AgentConfig } from './config.ts';
import type { Clock, Logger } from './deps.ts';

export interface Relay {
  set(on: boolean): Promise<void>;
  readonly on: boolean;
  close(): Promise<void>;
}

export interface RelayChange {
  at: string;
  on: boolean;
}

/**
 * In-memory relay; the initial OFF and every change are kept in `changes` and, given a journal path,
 * appended to it as JSON lines (setting the state it already has is not a change).
 */
export class SimRelay implements Relay {
  readonly changes: RelayChange[] = [];
  #on = false;

  constructor(
    private readonly clock: Clock,
    private readonly journal: string | null = null,
  ) {
    if (journal) mkdirSync(dirname(journal), { recursive: true });
    this.#write(false);
  }

  get on(): boolean {
    return this.#on;
  }

  async set(on: boolean): Promise<void> {
    if (on !== this.#on) this.#write(on);
  }

  async close(): Promise<void> {
    await this.set(false);
  }

  #write(on: boolean): void {
    this.#on = on;
    const change = { at: this.clock.now().toISOString(), on };
    this.changes.push(change);
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(change)}\n`);
  }
}

/** A relay on a BCM GPIO pin. With activeLow the pin is driven low for ON; it starts OFF. */
export class OnoffRelay implements Relay {
  #gpio: Gpio;
  #on = false;

  constructor(pin: number, activeLow: boolean) {
    // The kernel applies 'high'/'low' directions as raw levels (ignoring active_low), so the
    // glitch-free initial level that means OFF is 'high' for an active-low relay board.
    this.#gpio = new Gpio(pin, activeLow ? 'high' : 'low', 'none', { activeLow });
    this.#gpio.writeSync(0);
  }

  get on(): boolean {
    return this.#on;
  }

  async set(on: boolean): Promise<void> {
    await this.#gpio.write(on ? 1 : 0);
    this.#on = on;
  }

  async close(): Promise<void> {
    try {
      this.#gpio.writeSync(0);
      this.#on = false;
    } finally {
      this.#gpio.unexport();
    }
  }
}

/** Picks the onoff relay when configured and the GPIO is accessible, else the simulated one. */
export function createRelay(config: AgentConfig, clock: Clock, log: Logger): Relay {
  if (config.gpio === 'onoff') {
    if (Gpio.accessible) {
      log.info(`relay: GPIO BCM ${config.relay.pin} (activeLow=${config.relay.activeLow})`);
      return new OnoffRelay(config.relay.pin, config.relay.activeLow);
    }
    log.warn('relay: gpio=onoff but GPIO is not accessible on this machine; using the simulated relay');
  } else {
    log.info('relay: simulated (gpio=sim)');
  }
  return new SimRelay(clock, join(config.dataDir, 'relay.jsonl'));
}
