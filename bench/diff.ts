import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { diffRevisions } from "@/lib/wiki/diff";
import { report, rng, text } from "./lib";

/** Diff: local edits and 30% rewrites at 10 KB, 100 KB and 1 MB, against git's word diff on the same texts. */
export function benchDiff(): void {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-bench-"));
  const rows: Record<string, unknown>[] = [];
  try {
    for (const size of [10_000, 100_000, 1_000_000]) {
      const random = rng(size);
      const base = text(random, size);
      const paragraphs = base.split("\n\n");
      const local = [...paragraphs];
      const i = Math.floor(paragraphs.length / 2);
      local[i] = local[i]!.replace(/\b(\w+) (\w+)\b/, "$1 CHANGED $2");
      const rewrite = paragraphs.map((p) => (random() < 0.3 ? text(random, p.length).trim() : p));
      for (const [kind, changed] of [["local edit", local.join("\n\n")], ["30% rewrite", rewrite.join("\n\n")]] as const) {
        const times: number[] = [];
        let coarse = false;
        for (let r = 0; r < 5; r++) {
          const t = performance.now();
          const d = diffRevisions(base, changed);
          times.push(performance.now() - t);
          coarse ||= d.coarse !== null;
        }
        times.sort((a, b) => a - b);
        writeFileSync(path.join(dir, "a.txt"), base);
        writeFileSync(path.join(dir, "b.txt"), changed);
        const g = performance.now();
        try {
          execFileSync("git", ["diff", "--no-index", "--word-diff=porcelain", "a.txt", "b.txt"], { cwd: dir, maxBuffer: 1 << 28 });
        } catch {
          // git diff exits 1 when the files differ.
        }
        const git = performance.now() - g;
        const ours = times[Math.floor(times.length / 2)]!;
        rows.push({ size: `${size / 1000} KB`, change: kind, oursMs: +ours.toFixed(2), gitMs: +git.toFixed(2), ratio: +(ours / git).toFixed(2), coarse });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report("diff", rows, { targets: { typicalEditMs: 5, rewrite100KbMs: 150, hardBudgetMs: 1000 } });
}
