// The generated hostile-input suite: requests made from the OpenAPI document's own schemas, for every
// operation, body field, query parameter and upload field. No 5xx, a reason on every refusal, and a
// refusal stores nothing. Prints how many cases it tried.
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createHostileHarness } from './hostile-harness.ts';
import { type Doc, operationsOf, targetsOf } from './hostile-requests.ts';

/** At least this many cases a run (HOSTILE_CASES to change it), shared out over the targets by weight. */
const CASES = Number(process.env.HOSTILE_CASES ?? 10_500);

const harness = await createHostileHarness();
const doc = (await (await harness.ctl.app.request('/api/openapi.json')).json()) as Doc;
const operations = operationsOf(doc);
const targets = operations.flatMap((op) => targetsOf(op, harness));
const totalWeight = targets.reduce((sum, t) => sum + t.weight, 0);

beforeEach(() => harness.seed()); // requests may have deleted what later ones aim at
afterAll(() => {
  const refused = harness.cases - harness.accepted;
  console.log(
    `hostile-input suite: ${harness.cases} cases (${refused} refused, ${harness.accepted} accepted)`,
  );
  harness.cleanup();
});

describe('requests generated from the OpenAPI document', () => {
  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(50);
    const covered = new Set(targets.map((t) => t.name.split(':')[0]));
    expect(covered.size).toBe(operations.length);
  });

  it.each(targets.map((t) => [t.name, t] as const))('%s', async (_, target) => {
    await fc.assert(
      fc.asyncProperty(target.requests, async (req) => {
        await harness.send(req);
      }),
      { numRuns: Math.max(5, Math.ceil((CASES * target.weight) / totalWeight)) },
    );
  });

  it(`tried at least ${CASES} cases`, () => {
    expect(harness.cases).toBeGreaterThanOrEqual(CASES);
  });
});
