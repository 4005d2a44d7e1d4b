/**
 * Re-wrapped paragraphs: the same words with new line breaks. Found before the
 * line diff, so that a short line that happens to recur ("the", a lone
 * closing word) cannot tie a re-wrapped paragraph to a neighbour's lines.
 */
import { longestIncreasing } from "./diff-align";
import type { Span } from "./diff-model";
import { isBlank, isSpace } from "./diff-text";
import { sameWords } from "./diff-words";

/**
 * A hash of a paragraph's words (two FNV-1a hashes folded into one number):
 * the same for any wrapping of the same words. Matches are checked with
 * `sameWords` afterwards, so a collision costs a check, never a wrong pair.
 */
function wordHash(lines: string[], start: number, end: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let any = false;
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    // A line break is a space between two words.
    let pendingSpace = any;
    for (let j = 0; j < line.length; j++) {
      const code = line.charCodeAt(j);
      if (isSpace(code)) {
        pendingSpace = any;
        continue;
      }
      if (pendingSpace) {
        h1 = Math.imul(h1 ^ 32, 0x01000193);
        h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
        pendingSpace = false;
      }
      h1 = Math.imul(h1 ^ code, 0x01000193);
      h2 = Math.imul(h2 ^ code, 0x5bd1e995);
      any = true;
    }
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** Runs of non-blank lines in [from, to) as [start, end). */
function paragraphs(lines: string[], from: number, to: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let i = from;
  while (i < to) {
    if (isBlank(lines[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && !isBlank(lines[j]!)) j++;
    runs.push([i, j]);
    i = j;
  }
  return runs;
}

/**
 * Paragraphs of old lines [oldFrom, oldTo) re-wrapped as paragraphs of new
 * lines [newFrom, newTo): the same words, in a paragraph found once on each
 * side, in order, with at least one side of several lines and the lines not
 * all equal. Linear in the text, plus n log n in the paragraphs.
 */
export function rewrappedParagraphs(oldLines: string[], newLines: string[], oldFrom: number, oldTo: number, newFrom: number, newTo: number): Span[] {
  const oldParagraphs = paragraphs(oldLines, oldFrom, oldTo);
  const newParagraphs = paragraphs(newLines, newFrom, newTo);
  const several = (runs: Array<[number, number]>) => runs.some(([s, e]) => e - s > 1);
  if (!several(oldParagraphs) && !several(newParagraphs)) return [];

  const newByKey = new Map<number, number>();
  newParagraphs.forEach(([s, e], j) => {
    const key = wordHash(newLines, s, e);
    newByKey.set(key, newByKey.has(key) ? -1 : j);
  });
  const oldCount = new Map<number, number>();
  const keys = oldParagraphs.map(([s, e]) => {
    const key = wordHash(oldLines, s, e);
    oldCount.set(key, (oldCount.get(key) ?? 0) + 1);
    return key;
  });
  // Paragraphs whose words occur once on each side, as [old index, new index], in old order.
  const matches: Array<[number, number]> = [];
  keys.forEach((key, i) => {
    const j = newByKey.get(key);
    if (j !== undefined && j >= 0 && oldCount.get(key) === 1) matches.push([i, j]);
  });
  const spans: Span[] = [];
  for (const k of longestIncreasing(matches.map(([, j]) => j))) {
    const [i, j] = matches[k]!;
    const [os, oe] = oldParagraphs[i]!;
    const [ns, ne] = newParagraphs[j]!;
    if (oe - os === 1 && ne - ns === 1) continue;
    // The same line breaks (only spacing inside lines changed) is no re-wrap: line rows show it.
    let sameBreaks = oe - os === ne - ns;
    for (let d = 0; sameBreaks && d < oe - os; d++) sameBreaks = sameWords(oldLines[os + d]!, newLines[ns + d]!);
    if (sameBreaks || !sameWords(oldLines.slice(os, oe).join("\n"), newLines.slice(ns, ne).join("\n"))) continue;
    spans.push({ oldStart: os, oldEnd: oe, newStart: ns, newEnd: ne });
  }
  return spans;
}
