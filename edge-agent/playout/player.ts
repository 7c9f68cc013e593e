// The player the agent needs: audio/index.ts's Player fits it (a player started ahead, released at the
// instant), and tests pass a fake.
import type { Player, PlayResult, PreparedPlay, Started } from '../../audio/index.ts';

export type { PlayResult, PreparedPlay, Started };

export type AgentPlayer = Pick<Player, 'prepare'> & Partial<Pick<Player, 'close'>>;
