// MQTT test pieces shared by the broker isolation suites (embedded aedes and Mosquitto).
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../common/log.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';

/** The next message on `topic`, parsed as JSON. */
export const nextMessage = (c: MqttClient, topic: string) =>
  new Promise<unknown>((resolve) => {
    c.on('message', (t, p) => t === topic && resolve(JSON.parse(p.toString())));
  });

/** A valid skipped as-run record for `stationId`, with the given id. */
export const skippedRecord = (stationId: string, id: string): AsRunRecord => ({
  id,
  stationId,
  entryId: id,
  slotId: 'slot-x',
  campaignId: null,
  clipIds: [],
  scheduledAt: '2026-11-26T10:00:00.000Z',
  outcome: 'skipped',
  reason: 'online-class',
  detail: 'quiet window',
  relayOnAt: null,
  audioStartAt: null,
  audioEndAt: null,
  relayOffAt: null,
  desiredVersion: 1,
  recordedAt: '2026-11-26T10:00:00.000Z',
});

/** A logger that keeps every line, for assertions on what the broker and the link reported. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

export type ConnectOutcome = 'accepted' | 'refused' | 'closed';

/** One connection attempt with mqtt.js, never retried; ends the client whatever happened. */
export function tryConnect(url: string, opts: IClientOptions): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const c = mqtt.connect(url, { ...opts, reconnectPeriod: 0, connectTimeout: 5000 });
    const done = (outcome: ConnectOutcome) => {
      c.removeAllListeners();
      c.on('error', () => {});
      c.end(true, () => resolve(outcome));
    };
    c.once('connect', () => done('accepted'));
    c.once('error', () => done('refused'));
    c.once('close', () => done('closed'));
  });
}
