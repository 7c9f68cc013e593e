// MQTT test pieces shared by the broker isolation suites (embedded aedes and Mosquitto).
import type { MqttClient } from 'mqtt';
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
