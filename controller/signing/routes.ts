// /api/signing/keys: the keys the controller signs desired states and bulletins with, and their rotation;
// /api/stations/:id/as-run-chain: a station's as-run hash chain and its breaks.
import { z } from 'zod';
import { stationArea } from '../areas/store.ts';
import type { ControllerDeps } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { getStationRow } from '../stations/store.ts';
import { asRunChainOf } from './chain.ts';

const HOUR = 3_600_000;
const Rotate = z.strictObject({
  /** How long the new key is announced before it signs, and the old one trusted after. */
  graceHours: z.number().int().min(1).max(720).default(72),
});

export function signingRoutes({ db, signing, desired, log }: ControllerDeps): AnyRoute[] {
  const need = () => {
    if (!signing) throw new HttpError(404, 'not_found', 'this controller signs nothing');
    return signing;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/stations/:id/as-run-chain',
      tag: 'stations',
      summary:
        "The station's as-run hash chain: its last link and the breaks found (records edited, missing, " +
        'out of line, or a chain begun again), newest first, with the records involved',
      access: 'user',
      area: areaById((id) => [stationArea(db, getStationRow(db, id).id)]),
      handle: ({ params }) => ({ json: asRunChainOf(db, idParam(params)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/signing/keys',
      tag: 'stations',
      summary:
        'The signing keys (public halves): the current one, a next one announced, previous ones still trusted',
      access: 'admin',
      handle: () => ({ json: need().list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/signing/keys',
      tag: 'stations',
      summary:
        'Rotate the signing key: a new key announced to every station now (in its signed desired state), ' +
        'signing after `graceHours` (default 72); the current one is trusted for `graceHours` more',
      access: 'admin',
      body: Rotate,
      handle: ({ body }) => {
        const key = need().rotate(body.graceHours * HOUR);
        log.info(`signing: key ${key.id} announced; it signs from ${key.activeFrom}`);
        // the announcement travels in every station's desired state, signed by the current key
        desired.publishAll?.();
        return { status: 201, json: key };
      },
    }),
  ];
}
