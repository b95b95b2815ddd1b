/**
 * npm run bench:watermark — watermarks generated PDFs of 10, 100 and 1,000 pages, with printing
 * allowed (stamp only) and disallowed (stamp + AES-256 permissions), and prints a Markdown table.
 * A second table times the streaming path (lib/watermark/fast) on the same page counts against
 * `qpdf --overlay` run in the same process tree, and prints the ratio, time to first byte and memory.
 *
 * Each case runs in a fresh child process, so peak RSS (getrusage maxRSS, a high-water mark) belongs
 * to that case alone. The child first marks a one-page file so font loading and JIT warm-up are not
 * counted, then times RUNS runs and reports the median. CPU ms is shown beside wall ms because the
 * machines are shared: wall time swings with load, CPU time much less.
 *
 *   npm run bench:watermark            all sizes
 *   npm run bench:watermark -- 10 100  only these sizes
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { PDFDocument } from '@cantoo/pdf-lib';
import { buildFastIndex, writeFastCopy, type FastIndex } from '../lib/watermark/fast';
import os from 'node:os';
import path from 'node:path';
import { watermarkPdf } from '../lib/watermark';
import { makeSamplePdf } from '../tests/helpers/pdf-text';

const RUNS = 3;
// The streaming table: runs are short, so more of them, after WARM_UP copies of a one-page file.
const FAST_RUNS = 9;
const WARM_UP = 20;
const LATIN = { identity: 'alice.smith@partner.example', ip: '203.0.113.7', shareId: 'shr_2f9c1d7e' };
const MIXED = { ...LATIN, identity: '王小明 · Иван Петров · محمد علي <guest@partner.example>' };

interface Result {
  pages: number;
  mode: string;
  name: string;
  inBytes: number;
  outBytes: number;
  wallMs: number;
  cpuMs: number;
  baseRssMb: number;
  peakRssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMb = () => process.resourceUsage().maxRSS / 1024;

async function child(file: string, allowPrint: boolean, nameKind: string): Promise<void> {
  const input = fs.readFileSync(file);
  const mark = { ...(nameKind === 'mixed' ? MIXED : LATIN), at: new Date() };
  await watermarkPdf(await makeSamplePdf(1), mark, { allowPrint });
  const baseRssMb = rssMb();
  const wall: number[] = [];
  const cpu: number[] = [];
  let outBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await watermarkPdf(input, mark, { allowPrint });
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    outBytes = out.length;
  }
  process.stdout.write(JSON.stringify({ outBytes, wallMs: median(wall), cpuMs: median(cpu), baseRssMb, peakRssMb: rssMb() }));
}

interface FastResult {
  pages: number;
  inBytes: number;
  outBytes: number;
  indexMs: number;
  wallMs: number;
  cpuMs: number;
  ttfbMs: number;
  ttfbCpuMs: number;
  qpdfMs: number;
  baseRssMb: number;
  peakRssMb: number;
}

/**
 * One download through the streaming writer: the stored index parsed from its JSON (as the cache hands
 * it over, decrypted), the copy planned (stamp built) and streamed from the original file into a sink
 * that counts bytes and keeps none. Blob decryption is not included (AES-GCM, well under 1 ms per MB).
 */
async function fastOnce(file: string, indexJson: string, mark: typeof LATIN & { at: Date }) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const index = JSON.parse(indexJson) as FastIndex;
  const copy = await writeFastCopy(index, () => fs.createReadStream(file, { highWaterMark: 64 * 1024 }), 'ABCDEFGHJ0', mark);
  let ttfb = -1;
  let ttfbCpu = -1;
  let n = 0;
  for await (const chunk of copy.body) {
    if (ttfb < 0) {
      ttfb = performance.now() - t0;
      const c = process.cpuUsage(c0);
      ttfbCpu = (c.user + c.system) / 1000;
    }
    n += (chunk as Buffer).length;
  }
  if (n !== copy.size) throw new Error(`streamed ${n} bytes, declared ${copy.size}`);
  return { wall: performance.now() - t0, ttfb, ttfbCpu, outBytes: n };
}

async function fastChild(file: string): Promise<void> {
  const mark = { ...LATIN, at: new Date() };
  const input = fs.readFileSync(file);
  const i0 = performance.now();
  const built = buildFastIndex(input, 'bench');
  const indexMs = performance.now() - i0;
  if ('unindexable' in built) throw new Error(`bench input not indexable: ${built.unindexable}`);
  const indexJson = JSON.stringify(built);
  // Warm-up on a one-page file, as a server that has made a few copies since it started would be: the
  // font read and subset, and the JIT's optimised code for the writer (CPU figures count every thread
  // of the process, so a compiler still busy would be charged to the small files).
  const one = Buffer.from(await makeSamplePdf(1, { objectStreams: false }));
  const oneFile = `${file}.one.pdf`;
  fs.writeFileSync(oneFile, one);
  const oneIndex = JSON.stringify(buildFastIndex(one, 'w'));
  for (let i = 0; i < WARM_UP; i++) await fastOnce(oneFile, oneIndex, mark);
  const baseRssMb = rssMb();
  const wall: number[] = [];
  const cpu: number[] = [];
  const ttfb: number[] = [];
  const ttfbCpu: number[] = [];
  let outBytes = 0;
  for (let i = 0; i < FAST_RUNS; i++) {
    const c0 = process.cpuUsage();
    const r = await fastOnce(file, indexJson, mark);
    const c = process.cpuUsage(c0);
    wall.push(r.wall);
    ttfb.push(r.ttfb);
    ttfbCpu.push(r.ttfbCpu);
    cpu.push((c.user + c.system) / 1000);
    outBytes = r.outBytes;
  }
  process.stdout.write(JSON.stringify({ outBytes, indexMs, wallMs: median(wall), cpuMs: median(cpu), ttfbMs: median(ttfb), ttfbCpuMs: median(ttfbCpu), baseRssMb, peakRssMb: rssMb() }));
}

/** qpdf stamping the same file with a one-page stamp (the same mark, made by lib/watermark) on every page. */
function qpdfOverlayMs(file: string, stamp: string, out: string): number {
  const times: number[] = [];
  for (let i = 0; i < FAST_RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync('qpdf', [file, '--overlay', stamp, '--repeat=1', '--', out]);
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`qpdf failed: ${r.stderr}`);
  }
  return median(times);
}

async function stampPdf(): Promise<Uint8Array> {
  const blank = await PDFDocument.create();
  blank.addPage([595, 842]);
  return watermarkPdf(await blank.save(), { ...LATIN, at: new Date() }, { allowPrint: true });
}

async function fastTable(sizes: number[], dir: string): Promise<void> {
  const stamp = path.join(dir, 'stamp.pdf');
  fs.writeFileSync(stamp, await stampPdf());
  const results: FastResult[] = [];
  for (const pages of sizes) {
    const file = path.join(dir, `${pages}-classic.pdf`);
    fs.writeFileSync(file, await makeSamplePdf(pages, { objectStreams: false }));
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--fast-child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`fast child failed (${pages} pages): ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<FastResult, 'pages' | 'inBytes' | 'qpdfMs'>;
    const qpdfMs = qpdfOverlayMs(file, stamp, path.join(dir, 'qpdf-out.pdf'));
    results.push({ pages, inBytes: fs.statSync(file).size, qpdfMs, ...m });
  }
  console.log('\nStreaming path (lib/watermark/fast), print allowed, latin name; the same files through `qpdf --overlay` (a process per run):\n');
  console.log('| pages | input KB | output KB | index ms (upload, once) | fast wall ms | fast CPU ms | first byte ms | CPU ms to first byte | qpdf --overlay ms | fast / qpdf | extra RSS MB |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.pages} | ${(r.inBytes / 1024).toFixed(0)} | ${(r.outBytes / 1024).toFixed(0)} | ${r.indexMs.toFixed(0)} | ${r.wallMs.toFixed(1)} | ${r.cpuMs.toFixed(0)} | ${r.ttfbMs.toFixed(1)} | ${r.ttfbCpuMs.toFixed(1)} | ${r.qpdfMs.toFixed(0)} | **${(r.wallMs / r.qpdfMs).toFixed(2)}** | ${(r.peakRssMb - r.baseRssMb).toFixed(0)} |`,
    );
  }
}

function machine(): string {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? os.cpus()[0]?.model ?? '?';
  const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${kernel}, Node ${process.version}; load average at start ${load}`;
}

async function parent(sizes: number[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-wm-'));
  const cases: { pages: number; allowPrint: boolean; name: string }[] = [];
  for (const pages of sizes) for (const allowPrint of [true, false]) cases.push({ pages, allowPrint, name: 'latin' });
  if (sizes.includes(100)) cases.push({ pages: 100, allowPrint: false, name: 'mixed' });

  console.log(`Machine: ${machine()}`);
  console.log(`Median of ${RUNS} runs per case, each case in a fresh process after a one-page warm-up.\n`);
  const results: Result[] = [];
  try {
    for (const c of cases) {
      const file = path.join(dir, `${c.pages}.pdf`);
      if (!fs.existsSync(file)) fs.writeFileSync(file, await makeSamplePdf(c.pages));
      // Same node, same loader flags (tsx), this same script in child mode.
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--child', file, String(c.allowPrint), c.name], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) throw new Error(`child failed (${c.pages} pages): ${r.stderr}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<Result, 'pages' | 'mode' | 'name' | 'inBytes'>;
      results.push({ ...c, mode: c.allowPrint ? 'print allowed' : 'print disabled', inBytes: fs.statSync(file).size, ...m });
    }
    printTable(results);
    await fastTable(sizes, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(results: Result[]): void {
  const kb = (b: number) => (b / 1024).toFixed(0);
  console.log('| pages | mode | name | input KB | output KB | wall ms | CPU ms | RSS before MB | peak RSS MB |');
  console.log('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.pages} | ${r.mode} | ${r.name} | ${kb(r.inBytes)} | ${kb(r.outBytes)} | ${r.wallMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.baseRssMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} |`,
    );
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2] === 'true', args[3]);
  if (args[0] === '--fast-child') return fastChild(args[1]);
  if (args[0] === '--fast-only') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-wm-'));
    console.log(`Machine: ${machine()}`);
    try {
      return await fastTable(args.slice(1).map(Number).filter((n) => n > 0).length ? args.slice(1).map(Number) : [10, 100, 1000], dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const sizes = args.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return parent(sizes.length ? sizes : [10, 100, 1000]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
