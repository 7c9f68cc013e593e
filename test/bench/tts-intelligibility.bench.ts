// Intelligibility of spoken notices, without a recogniser: no offline Vietnamese speech recogniser installs
// from the package registries here (Vosk and sherpa-onnx need models this machine cannot download), so each
// sentence of the normaliser's corpus is spoken by espeak-ng and checked against its text by what can be
// measured: the syllables of the spoken form (Vietnamese writes one syllable a word) against the seconds
// of voiced audio, and the pauses heard against the commas and stops written. A sentence spoken with
// syllables dropped, letters spelled out or a stretch of silence stands out as a rate far from the others.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { speechEngines } from '../../audio/index.ts';
import { paths } from '../audio/fixtures.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';

const run = promisify(execFile);
const CORPUS = new URL('../audio/speech/corpus.tsv', import.meta.url);
/** A sentence whose rate is this far from the median (either way) is listed as a suspect. */
const SUSPECT = 0.35;

/** Seconds of the file, and the pauses (silences of 0.15 s or more) inside it, from ffmpeg's silencedetect. */
async function voiced(wav: string): Promise<{ totalS: number; silentS: number; innerPauses: number }> {
  const { stderr } = await run(paths.ffmpeg, [
    '-hide_banner',
    '-i',
    wav,
    '-af',
    'silencedetect=noise=-35dB:d=0.15',
    '-f',
    'null',
    '-',
  ]);
  const totalS = Number(
    /Duration: (\d+):(\d+):([\d.]+)/
      .exec(stderr)
      ?.slice(1)
      .reduce((s, x) => s * 60 + Number(x), 0),
  );
  const starts = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const lengths = [...stderr.matchAll(/silence_duration: ([\d.]+)/g)].map((m) => Number(m[1]));
  const silentS = lengths.reduce((s, x) => s + x, 0);
  // pauses that neither open nor close the file
  const innerPauses = starts.filter((s, i) => s > 0.05 && s + (lengths[i] ?? 0) < totalS - 0.05).length;
  return { totalS, silentS, innerPauses };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function main(): Promise<void> {
  const tmp = tempDir('bench-intelligibility');
  const speaker = speechEngines.createSpeaker({
    engines: [speechEngines.espeakEngine({ tmpDir: tmp.dir })],
    timeoutMs: 60_000,
  });
  const rows = readFileSync(CORPUS, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t')[2] as string);
  const found: { spoken: string; syllables: number; rate: number; pauses: number; marks: number }[] = [];
  for (const [i, spoken] of rows.entries()) {
    const said = await speaker.speak({ text: spoken, voice: 'espeak-ng:vi', speed: 1 });
    const wav = path.join(tmp.dir, `s${i}.wav`);
    writeFileSync(wav, said.wav);
    const v = await voiced(wav);
    const syllables = spoken.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
    // commas, semicolons, colons and stops inside the sentence (not its last mark)
    const marks = (spoken.replace(/[.!?:;,\s]+$/, '').match(/[.!?:;,]/g) ?? []).length;
    found.push({ spoken, syllables, rate: syllables / (v.totalS - v.silentS), pauses: v.innerPauses, marks });
    if (i % 50 === 0) log(`${i + 1} / ${rows.length}`);
  }
  tmp.cleanup();
  const rates = found.map((f) => f.rate);
  const mid = median(rates);
  const suspects = found.filter((f) => Math.abs(f.rate / mid - 1) > SUSPECT);
  const marked = found.filter((f) => f.marks > 0);
  const paused = marked.filter((f) => f.pauses >= f.marks).length;
  const f2 = (x: number) => x.toFixed(2);
  console.log(`## Text to speech: intelligibility by duration and syllables (espeak-ng, voice \`vi\`, speed 1)

Method: ${found.length} sentences of the normaliser's corpus (\`test/audio/speech/corpus.tsv\`, their expected spoken
forms) spoken by espeak-ng; for each, the syllables of the text (words: Vietnamese writes one syllable a word)
over the seconds of voiced audio (the file less its silences of 0.15 s or more at -35 dB, ffmpeg
silencedetect), and the pauses heard inside the sentence against the commas, colons, semicolons and stops
written inside it. No offline Vietnamese recogniser could be installed here (Vosk and sherpa-onnx need
models this machine cannot download), so this checks that every syllable is given time and every written
pause is heard, not that a listener understands the words. Load ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores.

| figure | value |
| --- | --- |
| syllables a second of voiced speech: median [p5-p95] | ${f2(mid)} [${f2(pct(rates, 5))}-${f2(pct(rates, 95))}] |
| sentences more than ${SUSPECT * 100}% off the median rate (suspects: dropped or spelled syllables, long silences) | ${suspects.length} of ${found.length} |
| sentences with written pauses whose every pause is heard | ${paused} of ${marked.length} |
${suspects.length ? `\nSuspects: ${suspects.map((s) => `"${s.spoken.slice(0, 60)}…" (${f2(s.rate)}/s)`).join('; ')}.\n` : ''}
<!-- summary -->
Issue 15, intelligibility (no recogniser available: duration and syllables): ${found.length} corpus sentences spoken at ${f2(mid)} syllables a second of voiced speech (median; p5-p95 ${f2(pct(rates, 5))}-${f2(pct(rates, 95))}), ${suspects.length} off by more than ${SUSPECT * 100}%; every written pause heard in ${paused} of ${marked.length}.
<!-- /summary -->`);
}

runBench(main);
