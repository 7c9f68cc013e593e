// Text-to-speech benchmark: a 1,000-word notice to a broadcast-ready clip with espeak-ng (normalise,
// speak, the broadcast pipeline, hash), as POST /api/clips does it, with the pipeline as for an upload
// and as for engine speech side by side; then what the lower Opus complexity costs. Prints Markdown.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

interface Run {
  normalise: number;
  speak: number;
  upload: number;
  speech: number;
  uploadCpu: number;
  speechCpu: number;
  speechS: number;
}

/**
 * CPU seconds of this process and of the child processes it has waited for (ffmpeg), from /proc: what a
 * stage costs whatever else the machine is doing, where wall time on a busy machine says little.
 */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  // after the name: utime, stime, cutime, cstime are fields 12-15 (0-based), in clock ticks
  const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0);
  return ticks / 100;
}

/** The pipeline and the hash: as an upload (every check, Opus complexity 10) or as engine speech. */
async function pipeline(wav: string, out: string, speech: boolean) {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const r = await transcodeForBroadcast(paths, wav, out, { speech });
  await sha256File(out);
  return { s: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0, speechS: r.durationMs / 1000 };
}

const ff = (args: string[]) =>
  execFileSync(paths.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { stdio: 'pipe' });
const floats = (file: string) => {
  const b = readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

/**
 * What a complexity costs: the speech at 48 kHz coded at 40 kbit/s and decoded again, against what went
 * in. SNR over the whole and segmental SNR (20 ms frames with sound, each clamped to -10..35 dB). These
 * are waveform measures, not a listener's (no PESQ or ViSQOL on this machine): they say how much closer
 * one encode stays to the input than another, not whether anyone hears it on a horn speaker.
 */
function quality(dir: string, wav: string, complexity: number) {
  const ref = path.join(dir, 'ref.f32');
  ff(['-i', wav, '-ac', '1', '-ar', '48000', '-f', 'f32le', ref]);
  const opus = path.join(dir, `c${complexity}.opus`);
  const t0 = performance.now();
  ff(
    [
      '-f',
      'f32le',
      '-ar',
      '48000',
      '-ac',
      '1',
      '-i',
      ref,
      '-c:a',
      'libopus',
      '-b:a',
      '40k',
      '-vbr',
      'constrained',
    ].concat(['-application', 'audio', '-compression_level', String(complexity), '-f', 'ogg', opus]),
  );
  const encodeS = (performance.now() - t0) / 1000;
  const dec = path.join(dir, `c${complexity}.f32`);
  ff(['-i', opus, '-ac', '1', '-ar', '48000', '-f', 'f32le', dec]);
  const r = floats(ref);
  const d = floats(dec);
  const n = Math.min(r.length, d.length);
  let sig = 0;
  let err = 0;
  let segSum = 0;
  let segs = 0;
  for (let f = 0; f + 960 <= n; f += 960) {
    let fs = 0;
    let fe = 0;
    for (let i = f; i < f + 960; i++) {
      const x = r[i] as number;
      const e = x - (d[i] as number);
      fs += x * x;
      fe += e * e;
    }
    sig += fs;
    err += fe;
    if (fs / 960 > 1e-5) {
      segSum += Math.min(35, Math.max(-10, 10 * Math.log10(fs / (fe + 1e-12))));
      segs++;
    }
  }
  return { complexity, encodeS, snr: 10 * Math.log10(sig / err), segSnr: segSum / segs };
}

async function main(): Promise<void> {
  const tmp = tempDir('bench-tts');
  const text = notice();
  const speaker = speechEngines.createSpeaker({
    engines: [speechEngines.espeakEngine({ tmpDir: tmp.dir })],
    timeoutMs: 120_000,
  });
  const loadBefore = os.loadavg()[0] ?? 0;
  const runs: Run[] = [];
  let syllables = 0;
  let wav = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const read = speech.normaliseVietnamese(text);
    const t1 = performance.now();
    const spoken = await speaker.speak({ text: read.spoken, voice: 'espeak-ng:vi', speed: 1 });
    wav = path.join(tmp.dir, `notice-${i}.wav`);
    writeFileSync(wav, spoken.wav);
    const t2 = performance.now();
    syllables = read.spoken.split(/\s+/).length;
    // the two ways in turn, each first every other run, so neither gets the quieter moments
    const first = i % 2 === 0;
    const a = await pipeline(wav, path.join(tmp.dir, `a-${i}.opus`), !first);
    const b = await pipeline(wav, path.join(tmp.dir, `b-${i}.opus`), first);
    const [upload, asSpeech] = first ? [a, b] : [b, a];
    runs.push({
      normalise: (t1 - t0) / 1000,
      speak: (t2 - t1) / 1000,
      upload: upload.s,
      speech: asSpeech.s,
      uploadCpu: upload.cpu,
      speechCpu: asSpeech.cpu,
      speechS: asSpeech.speechS,
    });
    log(`run ${i + 1}: ${JSON.stringify(runs.at(-1))}`);
  }
  const costs = [10, 7, 6, 5, 3].map((c) => quality(tmp.dir, wav, c));
  tmp.cleanup();
  const loadAfter = os.loadavg()[0] ?? 0;
  const m = (k: keyof Run) => median(runs.map((r) => r[k]));
  const before = runs.map((r) => r.normalise + r.speak);
  const totalUpload = runs.map((r, i) => (before[i] as number) + r.upload);
  const totalSpeech = runs.map((r, i) => (before[i] as number) + r.speech);
  const range = (xs: number[]) => `[${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}]`;
  const total = median(totalSpeech);
  const met = total <= GOAL_S;
  const lines = [
    '## Text to speech (`audio/speech/engines`, espeak-ng)',
    '',
    `A ${WORDS}-word notice (${text.length} characters; ${syllables} spoken words after normalising: dates, ` +
      'times, phones, money, units and abbreviations read out) to a broadcast-ready clip as `POST /api/clips` ' +
      'makes it: normalise, espeak-ng voice `vi` at speed 1 to WAV, the broadcast pipeline (loudness, trim, ' +
      "Opus), sha256. The pipeline runs twice on each run's WAV, in turn: as for an upload (the WAV decoded " +
      'whole to check it, Opus complexity 10) and as for engine speech (`speech: true`, what text clips use: ' +
      `no check decode, Opus complexity 5). ${RUNS} runs; median [min-max]. One-minute load average ` +
      `${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (${os.cpus().length} cores).`,
    '',
    '| stage | as an upload, s | as engine speech, s |',
    '| --- | --- | --- |',
    `| normalise | ${m('normalise').toFixed(3)} | (same) |`,
    `| espeak-ng to WAV | ${m('speak').toFixed(2)} | (same) |`,
    `| broadcast pipeline + hash | ${m('upload').toFixed(2)} | ${m('speech').toFixed(2)} |`,
    `| **total** | ${median(totalUpload).toFixed(2)} ${range(totalUpload)} | **${total.toFixed(2)}** ${range(totalSpeech)} |`,
    `| CPU seconds of the pipeline (ffmpeg included), median | ${m('uploadCpu').toFixed(1)} | ${m('speechCpu').toFixed(1)} |`,
    '',
    `Goal: at most ${GOAL_S} s with the pipeline text clips use: **${met ? 'met' : 'MISSED'}**. The clip is ` +
      `${m('speechS').toFixed(0)} s of speech (${(syllables / m('speechS')).toFixed(1)} spoken words a second).`,
    '',
    'What the Opus complexity costs on this speech (40 kbit/s, encoded alone from 48 kHz float, then decoded ' +
      'and compared with what went in; waveform measures, not a listening test):',
    '',
    '| complexity | encode alone, s | SNR, dB | segmental SNR, dB |',
    '| --- | --- | --- | --- |',
    ...costs.map(
      (c) =>
        `| ${c.complexity}${c.complexity === 5 ? ' (engine speech)' : c.complexity === 10 ? ' (uploads)' : ''} | ` +
        `${c.encodeS.toFixed(2)} | ${c.snr.toFixed(1)} | ${c.segSnr.toFixed(1)} |`,
    ),
    '',
    '<!-- summary -->',
    `Issue 15: a ${WORDS}-word notice to a broadcast-ready clip with espeak-ng in ${total.toFixed(1)} s median ` +
      `(goal ${GOAL_S} s, ${met ? 'met' : 'MISSED'}; ${median(totalUpload).toFixed(1)} s with the upload pipeline; ` +
      `${m('speechS').toFixed(0)} s of speech) at load ${loadBefore.toFixed(1)}.`,
    '<!-- /summary -->',
    '',
  ];
  console.log(lines.join('\n'));
}

runBench(main);
