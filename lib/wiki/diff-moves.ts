/** Moved paragraphs: removed lines that reappear in another change block. */
import type { Block, Moves } from "./diff-model";

const MIN_MOVE_CHARS = 20;
const MOVE_CANDIDATES = 8;

function moveKey(line: string): string {
  const trimmed = line.trim();
  return /\s{2,}|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, " ") : trimmed;
}

/**
 * Mark runs of removed lines that reappear (ignoring surrounding and repeated
 * whitespace) as added lines in a different change block (or in any block,
 * with `sameBlock`). Runs start and end on non-blank lines and need
 * MIN_MOVE_CHARS characters; ids are 1-based in old-text order.
 */
export function detectMoves(
  blocks: Block[],
  oldLines: string[],
  newLines: string[],
  moves: Moves,
  sameBlock: boolean,
  deadline: number,
  fixed: Block[] = [],
): void {
  const oldBlock = new Int32Array(oldLines.length).fill(-1);
  const newBlock = new Int32Array(newLines.length).fill(-1);
  // Lines of re-wrapped paragraphs are paired already: never a move.
  const oldFixed = new Uint8Array(oldLines.length);
  const newFixed = new Uint8Array(newLines.length);
  for (const span of fixed) {
    oldFixed.fill(1, span.oldStart, span.oldEnd);
    newFixed.fill(1, span.newStart, span.newEnd);
  }
  const candidates = new Map<string, number[]>();
  const oldKeys: (string | undefined)[] = [];
  const newKeys: (string | undefined)[] = [];
  const oldKey = (i: number) => (oldKeys[i] ??= moveKey(oldLines[i]!));
  const newKey = (i: number) => (newKeys[i] ??= moveKey(newLines[i]!));

  blocks.forEach((block, k) => {
    oldBlock.fill(k, block.oldStart, block.oldEnd);
    newBlock.fill(k, block.newStart, block.newEnd);
    for (let q = block.newStart; q < block.newEnd; q++) {
      const key = newFixed[q] ? "" : newKey(q);
      if (key === "") continue;
      const list = candidates.get(key);
      if (!list) candidates.set(key, [q]);
      else if (list.length < MOVE_CANDIDATES) list.push(q);
    }
  });
  if (candidates.size === 0) return;

  let id = 0;
  let work = 0;
  for (const block of blocks) {
    for (let p = block.oldStart; p < block.oldEnd; p++) {
      if ((++work & 255) === 0 && performance.now() > deadline) return;
      if (moves.old[p] || oldFixed[p]) continue;
      const list = candidates.get(oldKey(p));
      if (!list) continue;
      let bestStart = -1;
      let bestLength = 0;
      let bestChars = 0;
      for (const q of list) {
        if (moves.new[q] || (!sameBlock && newBlock[q] === oldBlock[p])) continue;
        let length = 0;
        let chars = 0;
        let usefulLength = 0;
        let usefulChars = 0;
        while (
          p + length < oldLines.length &&
          q + length < newLines.length &&
          oldBlock[p + length] === oldBlock[p] &&
          newBlock[q + length] === newBlock[q] &&
          !moves.old[p + length] &&
          !moves.new[q + length] &&
          !oldFixed[p + length] &&
          !newFixed[q + length]
        ) {
          const key = oldKey(p + length);
          if (key !== newKey(q + length)) break;
          length++;
          chars += key.length;
          if (key !== "") {
            usefulLength = length;
            usefulChars = chars;
          }
        }
        if (usefulChars > bestChars) {
          bestStart = q;
          bestLength = usefulLength;
          bestChars = usefulChars;
        }
      }
      if (bestChars < MIN_MOVE_CHARS) continue;
      id++;
      moves.old.fill(id, p, p + bestLength);
      moves.new.fill(id, bestStart, bestStart + bestLength);
      p += bestLength - 1;
    }
  }
}
