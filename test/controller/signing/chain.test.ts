// The as-run hash chain at the controller: records that follow each other pass; a record edited, records
// missing, a record out of line and a chain begun again are each flagged with the records involved, on
// the station in /api/stations and in detail at /api/stations/:id/as-run-chain; resends are not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChainLink, chainNext } from '../../../common/chain.ts';
import { storeAsRun } from '../../../controller/plays/store.ts';
import { AsRunBatch, type AsRunRecord } from '../../../schedules/protocol.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';

const ST = 'st-chain';
let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController();
  await ctl.call('POST', '/api/stations', { id: ST, name: 'Đài phường Chuỗi', district: 'd', ward: 'w' });
});
afterEach(() => ctl.cleanup());

/** `n` records of the station, chained from the start. */
function chain(n: number): (AsRunRecord & ChainLink)[] {
  const out: (AsRunRecord & ChainLink)[] = [];
  for (let i = 1; i <= n; i++) {
    const r = asRunRecord(`r${i}@2026-12-0${Math.min(i, 9)}`, {
      stationId: ST,
      recordedAt: new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString(),
    });
    out.push(chainNext(r, out.at(-1) ?? null));
  }
  return out;
}

const store = (records: AsRunRecord[]) => storeAsRun(ctl.db, records, new Date('2026-12-05T00:00:00Z'));
const station = async () => (await ctl.call('GET', `/api/stations/${ST}`)).body;
const detail = async () => (await ctl.call('GET', `/api/stations/${ST}/as-run-chain`)).body;

describe('the as-run chain', () => {
  it('holds for records that follow each other, in any batches, resends included', async () => {
    const c = chain(6);
    store(c.slice(0, 2));
    store(c.slice(1, 4)); // a resend of r2 with the next ones
    store([c[5], c[4]] as AsRunRecord[]); // out of order within a batch
    expect((await station()).asRunChain).toBeNull();
    expect(await detail()).toMatchObject({ head: { seq: 6, recordId: c[5]?.id }, breaks: [] });
  });

  it('flags a record edited after it was chained', async () => {
    const c = chain(3);
    store([c[0], { ...c[1], outcome: 'skipped', reason: 'overlap' }, c[2]] as AsRunRecord[]);
    expect((await station()).asRunChain).toMatchObject({
      breaks: 1,
      last: { kind: 'edited', seq: 2, recordIds: [c[1]?.id] },
    });
  });

  it('flags records removed before they were sent, naming the records either side', async () => {
    const c = chain(5);
    store(c.slice(0, 2));
    store(c.slice(4));
    const { breaks } = await detail();
    expect(breaks).toEqual([
      {
        kind: 'gap',
        seq: 5,
        missing: { from: 3, to: 4 },
        recordIds: [c[1]?.id, c[4]?.id],
        foundAt: '2026-12-05T00:00:00.000Z',
      },
    ]);
    expect((await station()).asRunChain).toMatchObject({ breaks: 1, last: { kind: 'gap' } });
  });

  it('flags a record rehashed after an edit: the next one no longer follows it', async () => {
    const c = chain(3);
    const forged = chainNext({ ...(c[1] as AsRunRecord), outcome: 'skipped' as const }, c[0] ?? null);
    store([c[0], forged, c[2]] as AsRunRecord[]);
    expect((await detail()).breaks).toMatchObject([
      { kind: 'broken', seq: 3, recordIds: [c[1]?.id, c[2]?.id] },
    ]);
  });

  it('flags a chain begun again (a new store at the station) and one first seen past its start', async () => {
    const c = chain(2);
    store(c);
    const again = chainNext(asRunRecord('fresh@2026-12-09', { stationId: ST }), null);
    store([again]);
    expect((await detail()).breaks).toMatchObject([{ kind: 'restarted', seq: 1 }]);

    await ctl.call('POST', '/api/stations', { id: 'st-late', name: 'Đài muộn', district: 'd', ward: 'w' });
    // a station whose first three records this controller never had (say, taken off its disk)
    const fourth = chainNext(asRunRecord('r4@2026-12-04', { stationId: 'st-late' }), {
      seq: 3,
      hash: 'a'.repeat(64),
    });
    storeAsRun(ctl.db, [fourth], new Date());
    const body = (await ctl.call('GET', '/api/stations/st-late/as-run-chain')).body;
    expect(body.breaks).toMatchObject([{ kind: 'gap', missing: { from: 1, to: 3 } }]);
  });

  it('holds for a record with a field this controller does not know (a newer agent), through the ingest', async () => {
    const c = chain(2);
    const newer = chainNext(
      { ...(asRunRecord('r3@2026-12-05', { stationId: ST }) as object), loudnessLufs: -16 },
      c[1] ?? null,
    );
    const batch = AsRunBatch.parse(JSON.parse(JSON.stringify({ records: [...c, newer] })));
    store(batch.records);
    expect((await station()).asRunChain).toBeNull();
  });

  it('leaves records of agents before the chain alone', async () => {
    store([asRunRecord('old@2026-12-01', { stationId: ST })]);
    expect((await station()).asRunChain).toBeNull();
    expect((await detail()).head).toBeNull();
  });
});
