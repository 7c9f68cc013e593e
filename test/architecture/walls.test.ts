// The repository keeps its walls (test/architecture/walls.json), and the check names what crosses one.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';
import { checkWalls, describeCrossing, type Walls } from './walls.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const walls = JSON.parse(readFileSync(path.join(import.meta.dirname, 'walls.json'), 'utf8')) as Walls;

describe('the walls between the parts', () => {
  it('are not crossed anywhere in the repository', () => {
    expect(checkWalls(ROOT, walls).map(describeCrossing)).toEqual([]);
  });
});

describe('the wall check', () => {
  const tmp = tempDir('walls');
  const tree = tmp.dir;
  afterAll(() => tmp.cleanup());
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    writeFileSync(path.join(tree, file), text);
  };
  write('schedules/model.ts', 'export const x = 1;\n');
  write('audio/index.ts', "export { play } from './player.ts';\n");
  write('audio/player.ts', 'export const play = 1;\n');
  write('common/clock.ts', 'export const now = () => new Date();\n');
  write(
    'controller/app.ts',
    "import { x } from '../schedules/model.ts';\nimport { play } from '../audio/index.ts';\n",
  );
  write('edge-agent/agent.ts', "import type { now } from '../common/clock.ts';\n");

  it('passes a tree that keeps every wall', () => {
    expect(checkWalls(tree, walls)).toEqual([]);
  });

  it('names the file and the import that crosses a wall, a side door and a loop', () => {
    write('schedules/bad.ts', "import type { Db } from '../controller/app.ts';\n");
    write('edge-agent/side.ts', "import {\n  play,\n} from '../audio/player.ts';\n");
    write('controller/a.ts', "export { b } from './b.ts';\n");
    write('controller/b.ts', "const a = await import('./a.ts');\n");
    const found = checkWalls(tree, walls).map(describeCrossing);
    expect(found).toContain(
      "schedules/bad.ts: import '../controller/app.ts' (schedules may not import controller: " +
        "the schedule core is pure and shared: the controller's preview and the agent run the same code)",
    );
    expect(
      found.some((f) =>
        f.startsWith(
          "edge-agent/side.ts: import '../audio/player.ts' (audio is entered only by audio/index.ts",
        ),
      ),
    ).toBe(true);
    expect(found).toContain("controller/a.ts: import 'controller/a.ts -> controller/b.ts' (import loop)");
    expect(found).toHaveLength(3);
  });
});
