// An as-run outcome in people's words, for the console's pages and the reports' CSV.
import type { Outcome } from '../../../schedules/protocol.ts';
import { type Lang, translator, type WordKey } from '../i18n.ts';

/** The word of each outcome (`relay` is the amplifier's relay elsewhere in the table). */
const OUTCOME_WORDS: Record<Outcome, WordKey> = {
  played: 'played',
  skipped: 'skipped',
  failed: 'failed',
  missed: 'missed',
  interrupted: 'interrupted',
  relay: 'outcome.relay',
  'relay-failed': 'outcome.relay-failed',
  live: 'outcome.live',
};

/** An as-run outcome in words ("Đã phát"), the code itself if it is a new one. */
export const outcomeWord = (lang: Lang, outcome: string) =>
  Object.hasOwn(OUTCOME_WORDS, outcome) ? translator(lang)(OUTCOME_WORDS[outcome as Outcome]) : outcome;
