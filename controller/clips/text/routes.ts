// Text clips' own routes: the voices to choose from and a preview to listen to before saving.
// (A text clip itself is made by POST /api/clips with a JSON body: ../routes.ts.)
import type { speechEngines } from '../../../audio/index.ts';
import type { ControllerDeps } from '../../deps.ts';
import { type AnyRoute, defineRoute } from '../../http/route.ts';
import { PREVIEW_MAX_CHARS, PreviewBody, readAloud } from './admit.ts';
import { dictionaryRoutes } from './dictionary/routes.ts';
import { provinceDictionary } from './dictionary/store.ts';

export function textRoutes(deps: ControllerDeps, speaker: speechEngines.Speaker): AnyRoute[] {
  const configured = deps.config.tts.engines;
  return [
    ...dictionaryRoutes(deps),
    defineRoute({
      method: 'get',
      path: '/api/clips/voices',
      tag: 'clips',
      summary:
        'The voices a text clip can be read with, in the order of the engines (TTS_ENGINES); when an engine ' +
        'fails, the next one reads with its nearest voice (same region, then same gender)',
      access: 'user',
      handle: () => ({
        json: speaker.voices().map((v) => ({ ...v, engineOrder: configured.indexOf(v.engine as never) })),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips/preview',
      tag: 'clips',
      summary:
        `Listen before saving: {text (at most ${PREVIEW_MAX_CHARS} characters), voice, speed, chime} read ` +
        'and spoken as a text clip would be, answered as audio/wav (not stored, not loudness-normalised). ' +
        'Headers: X-Spoken-By (the voice that spoke), X-Speech-Fallbacks (engine:reason, when one failed)',
      access: 'user',
      roles: ['technician', 'ward'],
      body: PreviewBody,
      audit: false,
      responses: {
        200: 'audio/wav',
        400: 'empty text, bad body, or unknown voice',
        413: 'text over the preview limit',
        422: 'nothing to read',
        503: 'no engine could speak it',
      },
      handle: async ({ body }) => {
        const { spoken } = await readAloud(speaker, body, provinceDictionary(deps.db), PREVIEW_MAX_CHARS);
        return new Response(new Uint8Array(spoken.wav), {
          headers: {
            'content-type': 'audio/wav',
            'cache-control': 'no-store',
            'x-spoken-by': spoken.spokenBy.id,
            'x-speech-fallbacks': spoken.fallbacks.map((f) => `${f.engine}:${f.code}`).join(', '),
          },
        });
      },
    }),
  ];
}
