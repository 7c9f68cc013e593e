// /api/areas: the tree of areas (any depth, the deployment's levels), its edits, the official list's
// import, and reorganisations (merge, split, rename, move) with ?dryRun=true for the preview.
import { z } from 'zod';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { AreaCreate, AreaPatch, changeArea, createArea, deleteArea } from './edit.ts';
import { importAreas } from './import.ts';
import { Levels, setLevels } from './levels.ts';
import { Reorganisation } from './reorganise/ops.ts';
import { reorganise } from './reorganise/reorganise.ts';
import { areaPlace } from './store.ts';
import { getAreaRow, listLevels } from './tree.ts';
import { areaDetail, treeView } from './views.ts';

const TreeQuery = z.strictObject({ retired: z.enum(['true', 'false']).optional() });
const DryRun = z.strictObject({ dryRun: z.enum(['true', 'false']).optional() });
const ImportBody = z.strictObject({
  csv: z.string().min(1).max(5_000_000),
  dryRun: z.boolean().default(false),
});

/** Every existing area an operation names (the new ones lie nowhere yet). */
function namedAreas(op: Reorganisation): string[] {
  switch (op.operation) {
    case 'rename':
      return [op.area];
    case 'move':
      return [op.area, op.parent];
    case 'merge':
      return [
        ...op.areas,
        ...(typeof op.into === 'string' ? [op.into] : op.into.parent ? [op.into.parent] : []),
      ];
    case 'split':
      return [op.area];
  }
}

export function areaRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/areas',
      tag: 'areas',
      summary:
        'The tree: the levels in order and every area depth-first from the root (the whole province or city), ' +
        'each with its depth, chain of ids and stations; retired=true adds areas merged away or split',
      access: 'user',
      query: TreeQuery,
      handle: ({ query }) => ({ json: treeView(db, query.retired === 'true') }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/areas/levels',
      tag: 'areas',
      summary: "The deployment's levels of areas, from the top (province) down",
      access: 'user',
      handle: () => ({ json: listLevels(db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/areas/levels',
      tag: 'areas',
      summary: 'Replace the levels (in order): every level in use stays, each area stays below its parent',
      access: 'admin',
      body: Levels,
      handle: ({ body }) => ({ json: setLevels(db, body) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/areas/import',
      tag: 'areas',
      summary:
        'Load the official list of administrative units: CSV with a header naming code, name, level and parent ' +
        '(code) columns (English or Vietnamese: mã, tên, cấp, mã cấp trên); all rows or none; dryRun answers what it would do',
      access: 'admin',
      body: ImportBody,
      responses: {
        200: 'areas created and corrected',
        400: 'missing parents, unknown levels, repeated codes',
      },
      handle: ({ body }) => ({ json: importAreas(db, body.csv, clock.now(), body.dryRun) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/areas/reorganise',
      tag: 'areas',
      summary:
        'Merge areas of one level, split one, rename one (history keeps the old name) or move one under another; ' +
        'dryRun=true answers the preview (areas, stations, slots, quiet windows, policies, campaigns, users, bulletins ' +
        'that change, and how) without applying; applied in one transaction, recorded, desired states republished',
      access: 'user',
      roles: ['technician'],
      body: Reorganisation,
      query: DryRun,
      area: ({ body }) =>
        namedAreas(body)
          .map((id) => areaPlace(db, id))
          .filter((a) => a.path.length > 0),
      responses: {
        400: 'a cycle, a station under two areas, areas of different levels, an unknown level...',
        404: 'an area named does not exist',
        409: 'a code that already exists, slots that would leave their campaign, a running bulletin too wide',
      },
      handle: ({ body, query, principal }) => ({
        json: reorganise(deps, body, principal, query.dryRun === 'true'),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/areas/:id',
      tag: 'areas',
      summary: 'One area: its chain, children, stations and its names through time',
      access: 'user',
      handle: ({ params }) => ({ json: areaDetail(db, idParam(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/areas',
      tag: 'areas',
      summary:
        'Add an area under a parent (its level below the parent’s), or the root when the tree has none',
      access: 'admin',
      body: AreaCreate,
      responses: { 201: 'created', 409: 'the id or code exists, or the tree has a root' },
      handle: ({ body }) => ({ status: 201, json: createArea(db, body, clock.now()) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/areas/:id',
      tag: 'areas',
      summary:
        'Correct the name or code of an area (a real renaming is a reorganisation, which keeps the old name), change its ' +
        'level, or move it (parentId, as a reorganisation)',
      access: 'admin',
      body: AreaPatch.schema,
      handle: ({ params, body, principal }) => ({
        json: changeArea(deps, getAreaRow(db, idParam(params)).id, body, principal),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/areas/:id',
      tag: 'areas',
      summary:
        'Remove an area nothing names (no stations ever, no rules, people or campaigns); otherwise merge it',
      access: 'admin',
      area: areaById((id) => [areaPlace(db, id)]),
      responses: { 409: 'the area is in use' },
      handle: ({ params }) => {
        deleteArea(db, idParam(params));
        return { status: 204, json: null };
      },
    }),
  ];
}
