// Area trees of two, three and five levels as the tests build them through the API: after the July 2025
// reform (province > commune), with villages, and the old five-level shape down to hamlets.
import type { TestController } from '../../support/controller.ts';

export interface AreaSpec {
  id: string;
  name: string;
  code?: string;
  /** Stations hanging from this area: [id, name]. */
  stations?: [string, string][];
  children?: AreaSpec[];
}

export interface TreeSpec {
  levels: [string, string][];
  root: AreaSpec;
}

/** Vĩnh Long after 1 July 2025: the province and its communes (merged from two or three former ones). */
export const TWO_LEVELS: TreeSpec = {
  levels: [
    ['province', 'Tỉnh/thành phố'],
    ['commune', 'Xã/phường/đặc khu'],
  ],
  root: {
    id: 'vinh-long',
    name: 'Tỉnh Vĩnh Long',
    code: '86',
    children: [
      { id: 'xa-long-ho', name: 'Xã Long Hồ', code: '29551', stations: [['st-long-ho', 'Đài xã Long Hồ']] },
      {
        id: 'phuong-an-hoi',
        name: 'Phường An Hội',
        code: '29242',
        stations: [['st-an-hoi', 'Đài phường An Hội']],
      },
    ],
  },
};

/** Communes with their villages (ấp, khu phố): loudspeaker clusters per village. */
export const THREE_LEVELS: TreeSpec = {
  levels: [
    ['province', 'Tỉnh/thành phố'],
    ['commune', 'Xã/phường/đặc khu'],
    ['village', 'Thôn/ấp/khu phố'],
  ],
  root: {
    id: 'can-tho',
    name: 'Thành phố Cần Thơ',
    code: '92',
    children: [
      {
        id: 'phuong-ninh-kieu',
        name: 'Phường Ninh Kiều',
        code: '31117',
        stations: [['st-ninh-kieu', 'Đài phường Ninh Kiều']],
        children: [
          { id: 'kp-1', name: 'Khu phố 1', stations: [['st-kp-1', 'Cụm loa khu phố 1']] },
          { id: 'kp-2', name: 'Khu phố 2', stations: [['st-kp-2', 'Cụm loa khu phố 2']] },
        ],
      },
      {
        id: 'xa-phong-dien',
        name: 'Xã Phong Điền',
        code: '31261',
        children: [
          { id: 'ap-nhon-loc', name: 'Ấp Nhơn Lộc', stations: [['st-nhon-loc', 'Cụm loa ấp Nhơn Lộc']] },
        ],
      },
    ],
  },
};

/** The old shape, down to hamlets (xóm): province > district > commune > village > hamlet. */
export const FIVE_LEVELS: TreeSpec = {
  levels: [
    ['province', 'Tỉnh/thành phố'],
    ['district', 'Quận/huyện'],
    ['commune', 'Xã/phường/thị trấn'],
    ['village', 'Thôn/ấp/khu phố'],
    ['hamlet', 'Xóm/tổ'],
  ],
  root: {
    id: 'nghe-an',
    name: 'Tỉnh Nghệ An',
    code: '40',
    children: [
      {
        id: 'huyen-nam-dan',
        name: 'Huyện Nam Đàn',
        code: '429',
        children: [
          {
            id: 'xa-kim-lien',
            name: 'Xã Kim Liên',
            code: '17803',
            stations: [['st-kim-lien', 'Đài xã Kim Liên']],
            children: [
              {
                id: 'thon-sen-1',
                name: 'Thôn Sen 1',
                children: [{ id: 'xom-3', name: 'Xóm 3', stations: [['st-xom-3', 'Cụm loa xóm 3']] }],
              },
            ],
          },
        ],
      },
      {
        id: 'huyen-do-luong',
        name: 'Huyện Đô Lương',
        code: '425',
        children: [
          { id: 'xa-da-son', name: 'Xã Đà Sơn', code: '17617', stations: [['st-da-son', 'Đài xã Đà Sơn']] },
        ],
      },
    ],
  },
};

/** Builds the tree through the API (levels, areas, stations) as the admin; throws on any refusal. */
export async function buildTree(ctl: TestController, spec: TreeSpec): Promise<Record<string, string>> {
  const ok = async (method: string, url: string, body: unknown) => {
    const r = await ctl.call(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok('POST', '/api/areas/levels', { levels: spec.levels.map(([id, name]) => ({ id, name })) });
  const secrets: Record<string, string> = {};
  const add = async (a: AreaSpec, parentId: string | null, depth: number) => {
    const level = spec.levels[depth]?.[0];
    await ok('POST', '/api/areas', { id: a.id, name: a.name, code: a.code ?? null, level, parentId });
    for (const [id, name] of a.stations ?? [])
      secrets[id] = (await ok('POST', '/api/stations', { id, name, areaId: a.id })).secret;
    for (const c of a.children ?? []) await add(c, a.id, depth + 1);
  };
  await add(spec.root, null, 0);
  return secrets;
}
