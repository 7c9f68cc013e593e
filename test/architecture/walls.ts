// The walls between the parts of the repository: reads test/architecture/walls.json and names every
// import that crosses a wall, enters a part by a side door, or closes an import loop.
//
// Imports are read from the source text, not through a bundler: dependency-cruiser needs the
// TypeScript compiler API (TypeScript 7 has none) and its swc parser fails on our .tsx; esbuild and
// es-module-lexer drop or fail on type-only imports and JSX. Biome formats every file, so an import
// is always `import … from '…'`, `export … from '…'`, `import '…'` or `import('…')`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Walls {
  parts: Record<string, string>;
  walls: { from: string; mayNotImport: string[]; why: string }[];
  entrances: { part: string; only: string[]; exemptFrom?: string[]; why: string }[];
  cyclesAllowedIn: string[];
}

export interface Crossing {
  file: string;
  specifier: string;
  rule: string;
}

const SOURCE = /\.tsx?$/;
const IMPORT = [
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*'([^']+)'/gm,
  /^\s*import\s*'([^']+)'/gm,
  /\bimport\(\s*'([^']+)'\s*\)/g,
];

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sourceFiles(root, rel));
    else if (SOURCE.test(name)) out.push(rel);
  }
  return out;
}

/** The repository-relative files a source file imports (packages and node: modules left out). */
export function importsOf(root: string, file: string): { specifier: string; target: string }[] {
  const text = readFileSync(path.join(root, file), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const found: { specifier: string; target: string }[] = [];
  for (const pattern of IMPORT) {
    for (const m of text.matchAll(pattern)) {
      const specifier = m[1] as string;
      if (!specifier.startsWith('.')) continue;
      found.push({
        specifier,
        target: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)),
      });
    }
  }
  return found;
}

const partOf = (walls: Walls, file: string): string | undefined =>
  Object.entries(walls.parts).find(([, prefix]) => file.startsWith(prefix))?.[0];

/** Every forbidden import and every import loop under `root`, by the rules in `walls`. */
export function checkWalls(root: string, walls: Walls): Crossing[] {
  const files = Object.values(walls.parts).flatMap((prefix) => {
    const dir = prefix.replace(/\/$/, '');
    try {
      return sourceFiles(root, dir);
    } catch {
      return [];
    }
  });
  const crossings: Crossing[] = [];
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const from = partOf(walls, file);
    const edges: string[] = [];
    for (const { specifier, target } of importsOf(root, file)) {
      const to = partOf(walls, target);
      const wall = walls.walls.find((w) => w.from === from && to && w.mayNotImport.includes(to));
      if (wall) crossings.push({ file, specifier, rule: `${from} may not import ${to}: ${wall.why}` });
      const door = walls.entrances.find(
        (e) =>
          e.part === to &&
          from !== to &&
          !e.only.includes(target) &&
          !e.exemptFrom?.some((prefix) => file.startsWith(prefix)),
      );
      if (door)
        crossings.push({
          file,
          specifier,
          rule: `${to} is entered only by ${door.only.join(', ')}: ${door.why}`,
        });
      if (from && to && !walls.cyclesAllowedIn.includes(from)) edges.push(target);
    }
    graph.set(file, edges);
  }
  for (const loop of importLoops(graph)) {
    const [first] = loop as [string];
    crossings.push({ file: first, specifier: loop.join(' -> '), rule: 'import loop' });
  }
  return crossings;
}

/** Tarjan's strongly connected components of more than one file (or a file importing itself). */
function importLoops(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) loops.push(component.reverse());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return loops;
}

export const describeCrossing = (c: Crossing) => `${c.file}: import '${c.specifier}' (${c.rule})`;
