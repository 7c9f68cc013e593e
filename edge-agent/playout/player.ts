// The player the agent needs: audio/index.ts's Player fits it (a player started ahead, released at the
// instant), and tests pass a fake.
import type { Player, PreparedPlay, PlayResult, Started } from '../../audio/index.ts';

export type { PreparedPlay, PlayResult, Started };

export type AgentPlayer = Pick<Player, 'prepare'> & Partial<Pick<Player, 'close'>>;
