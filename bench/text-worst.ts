import { boundSnippet } from "@/lib/search/search";
import { mentionedNames } from "@/lib/talk/notifications";
import { plainTextToHtml } from "@/lib/talk/plain-text";
import { renderPostSource, sanitizeHtml } from "@/lib/talk/sanitize";
import { checkSpam, defaultClassifier } from "@/lib/talk/spam";
import { countLinks } from "@/lib/talk/spam-rules";
import { readHtml } from "@/lib/talk/webmention";
import { tryParseTitle } from "@/lib/wikitext/title";
import { extractLinkTargets, findWikiLinks } from "@/lib/wikitext/wikilink";
import { report } from "./lib";

/** The post length limit of the talk commands: every input is this long. */
const LENGTH = 200_000;

/** The worst inputs found for the text modules (each one unit repeated to 200,000 characters). */
const WORST: readonly string[] = [
  "<", "<a", "<a ", '<a href="x', "<b>", "<title", "<script>", "‹", "＜", "&", "&amp;", "[[", "]]", "|", "[[a|", '"', "@a", " ", "\n \n",
  "a ", "ABC ", "аa", "a\u200b", "http://", "😀",
];

const classifier = defaultClassifier();
const MODULES: readonly [string, (text: string) => unknown][] = [
  ["spam check (guest)", (t) => checkSpam({ text: t, isGuest: true }, classifier)],
  ["countLinks", countLinks],
  ["renderPostSource", renderPostSource],
  ["sanitizeHtml", sanitizeHtml],
  ["plainTextToHtml", plainTextToHtml],
  ["mentionedNames", mentionedNames],
  ["webmention readHtml", readHtml],
  ["findWikiLinks", findWikiLinks],
  ["extractLinkTargets", extractLinkTargets],
  ["tryParseTitle", tryParseTitle],
  ["boundSnippet", boundSnippet],
];

/** Each text module × each worst input at 200,000 characters: median time per call of 3, and characters per second. */
export function benchTextWorst(): void {
  const rows: Record<string, unknown>[] = [];
  for (const [module, fn] of MODULES) {
    fn("warm up <a href='x'>[[Page]]</a> & ABC DEF");
    let worst = { input: "", ms: 0 };
    for (const unit of WORST) {
      const text = unit.repeat(Math.floor(LENGTH / unit.length));
      const times: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t = performance.now();
        fn(text);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const ms = times[1]!;
      if (ms > worst.ms) worst = { input: unit, ms };
      rows.push({ module, input: JSON.stringify(unit), chars: text.length, ms: +ms.toFixed(2), charsPerSecond: Math.round(text.length / (ms / 1000)) });
    }
    console.log(`${module}: worst ${JSON.stringify(worst.input)} ${worst.ms.toFixed(1)} ms`);
  }
  report("text-worst", rows, { targets: { perCallMs: 1500, note: "a quadratic scan of 200,000 characters takes minutes" } });
}
