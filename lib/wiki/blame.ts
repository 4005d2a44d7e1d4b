/**
 * Line attribution ("blame", as in MediaWiki's WikiBlame or `git blame`):
 * which revision introduced each line of a page's current text.
 *
 * Pure: no I/O, no server-only imports.
 *
 * The model is position tracking along a straight chain of revisions. Walking
 * forward from the oldest revision considered, each revision is diffed against
 * its predecessor line by line; lines the diff keeps carry their attribution
 * forward, lines it adds (including changed lines, which are a removal plus an
 * addition) are attributed to the new revision, and removed lines are dropped.
 * Except: a line whose exact text was removed earlier in the walk (or in the
 * same revision) keeps the credit it had when removed, so a revert restores
 * the original authors' credit and a moved paragraph keeps its author. The
 * most recently removed owner of a text is used first.
 *
 * Details:
 * - Line breaks are normalised (`\r\n` and lone `\r` count as `\n`), so a save
 *   that only changes line endings does not re-attribute anything. A final
 *   newline does not make an extra empty line, and adding or removing it alone
 *   changes no attribution.
 * - The diff is jsdiff's Myers `diffArrays` (minimal edit script) over interned
 *   line ids, after trimming the lines common to the start and end. When the
 *   remaining edit is very large (more than {@link MAX_EXACT_EDIT_LENGTH}
 *   inserted + deleted lines, e.g. a page rewrite — detected up front from the
 *   line counts, or by jsdiff's `maxEditLength` abort), exact Myers gets slow
 *   (quadratic), so a patience-style match is used instead: lines occurring
 *   exactly once in both versions are paired along their longest increasing
 *   run, and each pair is extended over equal neighbouring lines. Lines that
 *   match nothing — such as repeated lines with no unique neighbour — are then
 *   attributed to the new revision.
 */
import { diffArrays } from "diff";

/** One revision of a page, as blame needs it. */
export type BlameRevision = { id: number; authorName: string; createdAt: Date; summary: string; content: string };

/** One line of the newest revision and the revision it is attributed to. */
export type BlameLine = {
  /** 1-based line number in the newest revision. */
  line: number;
  /** The line's text, without its line break. */
  text: string;
  /** Id of the revision that introduced the line. */
  revisionId: number;
};

/** Options for {@link blame}. */
export type BlameOptions = {
  /**
   * How many of the newest revisions to walk (default 500). Older history is
   * summarised: lines present in the oldest considered revision are
   * attributed to it.
   */
  maxRevisions?: number;
  /** Return at most this many lines, from the top of the newest revision (default: all). */
  maxLines?: number;
};

/** Default for {@link BlameOptions.maxRevisions}. */
export const DEFAULT_MAX_BLAME_REVISIONS = 500;

/**
 * Edit length (inserted + deleted lines, after trimming the common start and
 * end) beyond which a revision pair is matched with the patience-style
 * fallback instead of an exact Myers diff.
 */
export const MAX_EXACT_EDIT_LENGTH = 100;

const UNMATCHED = -1;

function splitLines(content: string): string[] {
  if (content === "") return [];
  const text = content.includes("\r") ? content.replace(/\r\n?/g, "\n") : content;
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

/**
 * For each line of `next`, the index of the line of `prev` it continues, or
 * {@link UNMATCHED} when it was added. Matches never cross (order is kept).
 */
function matchLines(prev: readonly number[], next: readonly number[]): Int32Array {
  const matches = new Int32Array(next.length).fill(UNMATCHED);
  const shortest = Math.min(prev.length, next.length);
  let prefix = 0;
  while (prefix < shortest && prev[prefix] === next[prefix]) {
    matches[prefix] = prefix;
    prefix++;
  }
  let suffix = 0;
  while (suffix < shortest - prefix && prev[prev.length - 1 - suffix] === next[next.length - 1 - suffix]) {
    matches[next.length - 1 - suffix] = prev.length - 1 - suffix;
    suffix++;
  }
  const oldMiddle = prev.slice(prefix, prev.length - suffix);
  const newMiddle = next.slice(prefix, next.length - suffix);
  if (oldMiddle.length === 0 || newMiddle.length === 0) return matches;

  const changes =
    editLengthLowerBound(oldMiddle, newMiddle) > MAX_EXACT_EDIT_LENGTH
      ? undefined
      : diffArrays(oldMiddle, newMiddle, { maxEditLength: MAX_EXACT_EDIT_LENGTH });
  if (changes) {
    let oldIndex = prefix;
    let newIndex = prefix;
    for (const change of changes) {
      if (change.added) newIndex += change.count;
      else if (change.removed) oldIndex += change.count;
      else {
        for (let k = 0; k < change.count; k++) matches[newIndex++] = oldIndex++;
      }
    }
  } else {
    patienceMatch(oldMiddle, newMiddle, matches, prefix);
  }
  return matches;
}

/**
 * Cheap lower bound on the Myers edit length (insertions + deletions): every
 * occurrence of a line that one side has more often than the other must be
 * inserted or deleted. Lets a rewrite skip the doomed exact diff.
 */
function editLengthLowerBound(prev: readonly number[], next: readonly number[]): number {
  const balance = new Map<number, number>();
  for (const id of prev) balance.set(id, (balance.get(id) ?? 0) + 1);
  for (const id of next) balance.set(id, (balance.get(id) ?? 0) - 1);
  let bound = 0;
  for (const difference of balance.values()) bound += Math.abs(difference);
  return bound;
}

/**
 * Approximate, O(n log n) matching for large edits: pair lines unique in both
 * sides along the longest increasing run of old positions, then grow each pair
 * over equal neighbours. Writes into `matches` at `offset` (the trimmed prefix).
 */
function patienceMatch(prev: readonly number[], next: readonly number[], matches: Int32Array, offset: number): void {
  // id → position in prev if it occurs once there, -2 if more often.
  const prevOnce = new Map<number, number>();
  prev.forEach((id, i) => prevOnce.set(id, prevOnce.has(id) ? -2 : i));
  const nextOnce = new Map<number, number>();
  next.forEach((id, j) => nextOnce.set(id, nextOnce.has(id) ? -2 : j));

  // Candidate pairs in `next` order; keep the longest run increasing in `prev`.
  const pairs: [oldIndex: number, newIndex: number][] = [];
  next.forEach((id, j) => {
    const i = prevOnce.get(id);
    if (i !== undefined && i >= 0 && nextOnce.get(id) === j) pairs.push([i, j]);
  });
  const tails: number[] = []; // tails[k]: index in `pairs` ending the best run of length k + 1
  const back = new Int32Array(pairs.length).fill(-1);
  pairs.forEach(([oldIndex], p) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[tails[mid] ?? 0]?.[0] ?? 0) < oldIndex) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) back[p] = tails[lo - 1] ?? -1;
    tails[lo] = p;
  });

  const local = new Int32Array(next.length).fill(UNMATCHED);
  const used = new Uint8Array(prev.length);
  const anchors: [number, number][] = [];
  for (let p = tails[tails.length - 1] ?? -1; p >= 0; p = back[p] ?? -1) {
    const pair = pairs[p];
    if (!pair) break;
    anchors.push(pair);
    local[pair[1]] = pair[0];
    used[pair[0]] = 1;
  }
  for (const [oldAnchor, newAnchor] of anchors) {
    for (let i = oldAnchor + 1, j = newAnchor + 1; i < prev.length && j < next.length; i++, j++) {
      if (used[i] || local[j] !== UNMATCHED || prev[i] !== next[j]) break;
      local[j] = i;
      used[i] = 1;
    }
    for (let i = oldAnchor - 1, j = newAnchor - 1; i >= 0 && j >= 0; i--, j--) {
      if (used[i] || local[j] !== UNMATCHED || prev[i] !== next[j]) break;
      local[j] = i;
      used[i] = 1;
    }
  }
  local.forEach((oldIndex, j) => {
    if (oldIndex !== UNMATCHED) matches[offset + j] = offset + oldIndex;
  });
}

/** A stack of owners per line id (ids are dense: interned from 0), in flat arrays. */
class OwnerStacks {
  private readonly top: number[] = [];
  private readonly owner: number[] = [];
  private readonly next: number[] = [];
  push(id: number, owner: number): void {
    // Grown one by one, so the array stays packed (a far index would make it a slow dictionary).
    while (this.top.length <= id) this.top.push(-1);
    this.owner.push(owner);
    this.next.push(this.top[id]!);
    this.top[id] = this.owner.length - 1;
  }
  pop(id: number): number | undefined {
    const node = id < this.top.length ? this.top[id]! : -1;
    if (node < 0) return undefined;
    this.top[id] = this.next[node]!;
    return this.owner[node];
  }
}

function checkLimit(name: string, value: number, min: number): void {
  if (!(Number.isInteger(value) || value === Infinity) || value < min) {
    throw new RangeError(`blame: ${name} must be an integer of at least ${min}, got ${value}`);
  }
}

/**
 * Attribute each line of the newest revision's content to the revision that
 * introduced it.
 *
 * Revisions must be given oldest first and form a straight chain (each the
 * parent of the next). Each line is attributed to the oldest revision since
 * which it has existed unchanged in the position-tracking sense described in
 * the module comment; lines restored by a revert or moved keep their credit.
 *
 * @param revisions The page's revisions, oldest first.
 * @param options `maxRevisions` (default 500) limits how far back to walk;
 *   lines already present in the oldest considered revision are attributed to
 *   it. `maxLines` caps how many lines are returned (the top of the page).
 * @returns One entry per line of the newest revision (or the first `maxLines`),
 *   and `truncated`: true if older revisions were summarised or lines were cut.
 * @throws RangeError if `maxRevisions` is not a positive integer or `maxLines`
 *   not a non-negative integer.
 */
export function blame(revisions: BlameRevision[], options: BlameOptions = {}): { lines: BlameLine[]; truncated: boolean } {
  const maxRevisions = options.maxRevisions ?? DEFAULT_MAX_BLAME_REVISIONS;
  const maxLines = options.maxLines ?? Infinity;
  checkLimit("maxRevisions", maxRevisions, 1);
  checkLimit("maxLines", maxLines, 0);

  const first = Math.max(0, revisions.length - maxRevisions);
  const oldest = revisions[first];
  if (!oldest) return { lines: [], truncated: false };

  const internIds = new Map<string, number>();
  const intern = (line: string): number => {
    let id = internIds.get(line);
    if (id === undefined) {
      id = internIds.size;
      internIds.set(line, id);
    }
    return id;
  };

  let content = oldest.content;
  let text = splitLines(content);
  let ids = text.map(intern);
  let owners: number[] = ids.map(() => oldest.id);
  /** Owners of removed lines, by line id: a line added back takes the most recently removed owner of its text. */
  const removed = new OwnerStacks();

  for (let r = first + 1; r < revisions.length; r++) {
    const revision = revisions[r];
    if (!revision || revision.content === content) continue;
    content = revision.content;
    const nextText = splitLines(content);
    const nextIds = nextText.map(intern);
    const matches = matchLines(ids, nextIds);
    // Lines this revision removes go to the pool (most recent on top), so that the same text added
    // back, here (a move) or later (a revert), keeps its author's credit.
    const kept = new Uint8Array(ids.length);
    for (let j = 0; j < matches.length; j++) if (matches[j] !== UNMATCHED) kept[matches[j]!] = 1;
    for (let i = 0; i < ids.length; i++) if (!kept[i]) removed.push(ids[i]!, owners[i] ?? oldest.id);
    const nextOwners = new Array<number>(nextIds.length);
    for (let j = 0; j < nextIds.length; j++) {
      const from = matches[j] ?? UNMATCHED;
      nextOwners[j] = from === UNMATCHED ? (removed.pop(nextIds[j]!) ?? revision.id) : (owners[from] ?? revision.id);
    }
    text = nextText;
    ids = nextIds;
    owners = nextOwners;
  }

  const count = Math.min(text.length, maxLines);
  const lines: BlameLine[] = new Array<BlameLine>(count);
  for (let i = 0; i < count; i++) {
    lines[i] = { line: i + 1, text: text[i] ?? "", revisionId: owners[i] ?? oldest.id };
  }
  return { lines, truncated: first > 0 || count < text.length };
}

/**
 * Group consecutive lines attributed to the same revision, for rendering one
 * block per run. `startLine` is the `line` of the block's first entry. A gap
 * in line numbers (when given a filtered list) also starts a new block.
 *
 * @param lines Output of {@link blame} (or any slice of it, in order).
 */
export function blameBlocks(lines: BlameLine[]): { revisionId: number; startLine: number; lines: BlameLine[] }[] {
  const blocks: { revisionId: number; startLine: number; lines: BlameLine[] }[] = [];
  let current: (typeof blocks)[number] | undefined;
  for (const line of lines) {
    const last = current?.lines[current.lines.length - 1];
    if (current && last && current.revisionId === line.revisionId && line.line === last.line + 1) current.lines.push(line);
    else {
      current = { revisionId: line.revisionId, startLine: line.line, lines: [line] };
      blocks.push(current);
    }
  }
  return blocks;
}
