/**
 * `npm run bench -- diff-worst`: the worst inputs found for the diff view
 * (lib/wiki/diff-compute.ts and the page's hunks), with the time to compute
 * the diff, the time to render one page of it and that page's HTML size.
 * Targets: one view's HTML under 1 MB, rendering well under the 1 s budget.
 *
 * Rendering needs react-dom/server, which the benchmarks' react-server
 * condition hides, so the measuring runs in a child process without it.
 */
import { execFileSync } from "node:child_process";
import { realisticCases } from "./diff-realistic";
import { report, rng } from "./lib";

const CHILD_FLAG = "--diff-worst-child";

function worstInputs(): Array<{ name: string; old: string; new: string }> {
  const random = rng(9000);
  const lines = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} ${i} ${"lorem ipsum ".repeat(1 + Math.floor(random() * 2))}`).join("\n") + "\n";
  const cjk = (seed: number) => {
    const r = rng(seed);
    let s = "";
    for (let i = 0; i < 160_000; i++) s += String.fromCharCode(0x4e00 + Math.floor(r() * 500)) + (i % 300 === 299 ? "\n" : "");
    return s;
  };
  const tinyOld = Array.from({ length: 9000 }, (_, i) => `w${i} a b c d e f g h`).join("\n");
  return [
    { name: "160 KB × 9,000 lines, totally rewritten", old: lines(9000, "alpha"), new: lines(9000, "beta") },
    { name: "one 1 MB line, replaced", old: "a".repeat(1_000_000), new: "b".repeat(1_000_000) },
    { name: "one 1 MB line of words, every word changed", old: "ab ".repeat(333_333), new: "ac ".repeat(333_333) },
    { name: "9,000 lines, two words changed in each", old: tinyOld, new: tinyOld.replace(/ c /g, " X ").replace(/ g /g, " Y ") },
    { name: "every 10th line of 9,000 changed (900 hunks)", old: tinyOld, new: tinyOld.split("\n").map((l, i) => (i % 10 === 0 ? `${l}!` : l)).join("\n") },
    { name: "160,000 CJK characters without spaces, rewritten", old: cjk(1), new: cjk(2) },
    { name: "160 KB of '<' (4× when escaped)", old: "<".repeat(160_000), new: "<>".repeat(80_000) },
    { name: "9,000 identical lines, one removed", old: "a\n".repeat(9000), new: "a\n".repeat(8999) },
    // The 4.1 MB diff page: 250 KB of prose (wamerican) re-wrapped from 72 to 100 columns.
    ...realisticCases(16, 250_000)
      .filter((c) => c.name.startsWith("re-wrapped"))
      .map((c) => ({ name: "250 KB of prose re-wrapped (72 to 100 columns)", old: c.old, new: c.new })),
  ];
}

async function child(): Promise<void> {
  const { createElement } = await import("react");
  const { renderToString } = await import("react-dom/server");
  const { computeDiff } = await import("@/lib/wiki/diff-compute");
  const { diffPage } = await import("@/lib/wiki/diff-page");
  const { DiffHunks } = await import("@/app/wiki/[slug]/diff/diff-hunks");
  const rows: Record<string, unknown>[] = [];
  for (const input of worstInputs()) {
    const computeTimes: number[] = [];
    let diff = computeDiff(input.old, input.new);
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      diff = computeDiff(input.old, input.new);
      computeTimes.push(performance.now() - t);
    }
    computeTimes.sort((a, b) => a - b);
    let worstHtml = 0;
    let worstRender = 0;
    // The first, second and last pages, in both views; a page's HTML appears twice in a
    // Next.js response (the markup and the RSC payload), so the view is about twice this.
    for (const n of new Set([1, 2, diff.pages.length])) {
      for (const view of ["side", "inline"] as const) {
        const page = diffPage(diff, n);
        const t = performance.now();
        const html = renderToString(createElement(DiffHunks, { diff: page, view, pageHref: (p: number) => `?page=${p}` }));
        worstRender = Math.max(worstRender, performance.now() - t);
        worstHtml = Math.max(worstHtml, Buffer.byteLength(html));
      }
    }
    rows.push({
      input: input.name,
      chars: input.old.length + input.new.length,
      computeMs: +computeTimes[1]!.toFixed(1),
      coarse: diff.coarse !== null,
      hunks: diff.hunks.length,
      pages: diff.pages.length,
      worstPageRenderMs: +worstRender.toFixed(1),
      worstPageHtmlKB: +(worstHtml / 1024).toFixed(1),
      worstPageJsonKB: +(Math.max(...[...new Set([1, 2, diff.pages.length])].map((n) => Buffer.byteLength(JSON.stringify(diffPage(diff, n))))) / 1024).toFixed(1),
    });
  }
  process.stdout.write(JSON.stringify(rows));
}

/** Run the measurements in a child process (see above) and report them. */
export function benchDiffWorst(): void {
  const out = execFileSync(process.execPath, ["--import", "tsx", "bench/diff-worst.ts", CHILD_FLAG], {
    env: { ...process.env, NODE_ENV: "production" },
    maxBuffer: 1 << 24,
  });
  const rows = JSON.parse(out.toString("utf8")) as Record<string, unknown>[];
  report("diff-worst", rows, {
    targets: { viewHtmlKB: 1024, pageHtmlKB: 500, renderMs: 200, computeBudgetMs: 1000 },
    before: {
      note: "Before pages of hunks (the issue's measurement, production build): one view of the 160 KB × 9,000-line rewrite was 9.3 MB of HTML and 2.4 s of rendering; 12 such requests at once took 35-47 s each.",
    },
  });
}

if (process.argv.includes(CHILD_FLAG)) await child();
