// Text-to-speech benchmark: a 1,000-word notice to a broadcast-ready clip with espeak-ng (normalise,
// speak, the broadcast pipeline, hash), as POST /api/clips does it. Prints a Markdown section.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { speech, speechEngines, transcodeForBroadcast } from '../../audio/index.ts';
import { sha256File } from '../../common/hash.ts';
import { paths } from '../audio/fixtures.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL_S = 10;
const WORDS = 1000;

/** A notice as a ward writes it: numbers, dates, times, phones, units, abbreviations; cut at 1,000 words. */
function notice(): string {
  const sentences = [
    'UBND phường An Hòa thông báo lịch tiêm vắc-xin COVID-19 mũi 3 cho người từ 18 tuổi trở lên.',
    'Thời gian: từ 7h30 đến 11h00 và từ 13h30 đến 17:00 các ngày 23-30/9/2021.',
    'Địa điểm: Trạm Y tế P. An Hòa, số 12 đường Trần Hưng Đạo, KP 3.',
    'Bà con mang theo CCCD, sổ tiêm chủng và thực hiện nghiêm 5K trong suốt buổi tiêm.',
    'Người có triệu chứng sốt trên 37,5°C hoặc là F0, F1 đang cách ly thì chưa tiêm, báo cho tổ dân phố.',
    'Mọi thắc mắc xin liên hệ 0292 3821 234 hoặc đường dây nóng 1900 9095.',
    'Ban Chỉ đạo phòng, chống dịch phường đã chuẩn bị 1.200 liều vắc-xin, đạt 95,5% kế hoạch Quý III.',
    'Mức hỗ trợ cho người lao động là 1.500.000đ mỗi người, chi trả tại UBND phường từ ngày 1/10.',
    'Lượng mưa dự báo 100-150mm, mực nước sông có thể lên 2,1m; bà con khu vực trũng thấp chủ động di dời.',
    'HĐND và MTTQ phường kêu gọi bà con chung tay vì sức khỏe cộng đồng.',
  ];
  const words: string[] = [];
  for (let i = 0; words.length < WORDS; i++)
    words.push(...(sentences[i % sentences.length] as string).split(' '));
  return `${words.slice(0, WORDS).join(' ')}.`;
}

async function main(): Promise<void> {
  const tmp = tempDir('bench-tts');
  const text = notice();
  const speaker = speechEngines.createSpeaker({
    engines: [speechEngines.espeakEngine({ tmpDir: tmp.dir })],
    timeoutMs: 120_000,
  });
  const loadBefore = os.loadavg()[0] ?? 0;
  const runs: { total: number; normalise: number; speak: number; pipeline: number; speechS: number }[] = [];
  let syllables = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const read = speech.normaliseVietnamese(text);
    const t1 = performance.now();
    const spoken = await speaker.speak({ text: read.spoken, voice: 'espeak-ng:vi', speed: 1 });
    const wav = path.join(tmp.dir, `notice-${i}.wav`);
    writeFileSync(wav, spoken.wav);
    const t2 = performance.now();
    const out = path.join(tmp.dir, `notice-${i}.opus`);
    const r = await transcodeForBroadcast(paths, wav, out);
    await sha256File(out);
    const t3 = performance.now();
    syllables = read.spoken.split(/\s+/).length;
    runs.push({
      total: (t3 - t0) / 1000,
      normalise: (t1 - t0) / 1000,
      speak: (t2 - t1) / 1000,
      pipeline: (t3 - t2) / 1000,
      speechS: r.durationMs / 1000,
    });
    log(`run ${i + 1}: ${JSON.stringify(runs.at(-1))}`);
  }
  tmp.cleanup();
  const loadAfter = os.loadavg()[0] ?? 0;
  const m = (k: keyof (typeof runs)[number]) => median(runs.map((r) => r[k]));
  const totals = runs.map((r) => r.total);
  const met = m('total') <= GOAL_S;
  const lines = [
    '## Text to speech (`audio/speech/engines`, espeak-ng)',
    '',
    `A ${WORDS}-word notice (${text.length} characters; ${syllables} spoken words after normalising: dates, ` +
      'times, phones, money, units and abbreviations read out) to a broadcast-ready clip as `POST /api/clips` ' +
      'makes it: normalise, espeak-ng voice `vi` at speed 1 to WAV, the broadcast pipeline (loudness, trim, ' +
      `Opus), sha256. ${RUNS} runs; median [min-max]. One-minute load average ${loadBefore.toFixed(1)} before ` +
      `and ${loadAfter.toFixed(1)} after (${os.cpus().length} cores).`,
    '',
    '| stage | seconds, median |',
    '| --- | --- |',
    `| normalise | ${m('normalise').toFixed(3)} |`,
    `| espeak-ng to WAV | ${m('speak').toFixed(2)} |`,
    `| broadcast pipeline + hash | ${m('pipeline').toFixed(2)} |`,
    `| **total** | **${m('total').toFixed(2)}** [${Math.min(...totals).toFixed(2)}-${Math.max(...totals).toFixed(2)}]; goal <= ${GOAL_S} s: ${met ? 'met' : 'MISSED'} |`,
    '',
    `The clip is ${m('speechS').toFixed(0)} s of speech (${(syllables / m('speechS')).toFixed(1)} spoken words a second).`,
    '',
    '<!-- summary -->',
    `Issue 15: a ${WORDS}-word notice to a broadcast-ready clip with espeak-ng in ${m('total').toFixed(1)} s median ` +
      `(goal ${GOAL_S} s, ${met ? 'met' : 'MISSED'}; ${m('speechS').toFixed(0)} s of speech) at load ${loadBefore.toFixed(1)}.`,
    '<!-- /summary -->',
    '',
  ];
  console.log(lines.join('\n'));
}

runBench(main);
