import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "knowledge learning social garden nursery cutting tool tools people share adoption mandate pull context community practice podcast video tag search rate comment edit organisation manager learner network wiki page growth propagation transfer resource".split(
    " ",
  );

/** Paragraphs of plausible words, `bytes` long in total. */
export function text(random: () => number, bytes: number): string {
  const paragraphs: string[] = [];
  let size = 0;
  while (size < bytes) {
    const words = Array.from({ length: 30 + Math.floor(random() * 40) }, () => WORDS[Math.floor(random() * WORDS.length)]!);
    const p = words.join(" ") + ".";
    paragraphs.push(p);
    size += p.length + 2;
  }
  return paragraphs.join("\n\n") + "\n";
}

/** Percentile of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function machine() {
  // The load average when the result was written: on a shared machine, read the numbers with it.
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: process.platform, loadAverage: os.loadavg().map((n) => +n.toFixed(2)) };
}

/** Write bench/results/<name>.json and print a table. */
export function report(name: string, rows: Record<string, unknown>[], extra: Record<string, unknown> = {}): void {
  mkdirSync(path.join("bench", "results"), { recursive: true });
  const file = path.join("bench", "results", `${name}.json`);
  writeFileSync(file, JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), ...extra, rows }, null, 2) + "\n");
  console.log(`\n## ${name}  (${file})`);
  console.table(rows);
}
