// Times the page's engine (one or two builds of bench/wasm) in Node: alternating pairs, medians
// and the median of the pairwise ratios, for each kind of work of bench/wasm/src/lib.rs (all four,
// or those listed in WORKS). Usage:
//   [WORKS=full,full_tape,per_run,tape] node run.mjs MODELS.tsv SCENARIO RUNS PAIRS A.wasm [B.wasm]
import { readFileSync } from 'node:fs';

const [models, scenario, runs, pairs, ...files] = process.argv.slice(2);
const line = readFileSync(models, 'utf8').split('\n').find((l) => l.startsWith(`${scenario}\t`));
if (!line) throw new Error(`no model for ${scenario} in ${models}`);
const json = new TextEncoder().encode(line.slice(scenario.length + 1));

const builds = [];
for (const file of files) {
  const { exports } = (await WebAssembly.instantiate(readFileSync(file), {})).instance;
  const at = exports.input(json.length); // may grow the memory: take its buffer after
  new Uint8Array(exports.memory.buffer, at, json.length).set(json);
  if (!exports.load()) throw new Error(`${file} did not read the model`);
  builds.push({ file, exports });
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const work of (process.env.WORKS || 'full,full_tape,per_run,tape').split(',')) {
  const lacking = builds.filter((b) => typeof b.exports[work] !== 'function');
  if (lacking.length) {
    console.log(`${work}: not in ${lacking.map((b) => b.file).join(', ')} (an older build); skipped`);
    continue;
  }
  const times = builds.map(() => []);
  const sums = builds.map(() => new Set());
  const time = (i) => {
    const t = performance.now();
    sums[i].add(builds[i].exports[work](+runs));
    times[i].push(performance.now() - t);
  };
  for (let i = 0; i < builds.length; i++) time(i); // warm-up, not counted
  times.forEach((t) => (t.length = 0));
  for (let p = 0; p < +pairs; p++) {
    const order = p % 2 ? [...builds.keys()].reverse() : [...builds.keys()];
    order.forEach(time);
  }
  const parts = builds.map((b, i) => `${b.file.split('/').pop()} median ${median(times[i]).toFixed(1)} ms (checksum ${[...sums[i]].join(', ')})`);
  let line = `${work} ${scenario} ${runs} runs × 36 months: ${parts.join('; ')}`;
  if (builds.length === 2) {
    const ratios = times[1].map((t, k) => t / times[0][k]);
    line += `; second/first median of ${pairs} paired ratios ${median(ratios).toFixed(3)}`;
    if ([...sums[0]].join() !== [...sums[1]].join()) line += ' — THE CHECKSUMS DIFFER';
  }
  console.log(line);
}
