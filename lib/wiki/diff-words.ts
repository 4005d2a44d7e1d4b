/** The word diff inside a changed pair of lines. */
import { diffArrays, type ChangeObject } from "diff";
import type { WordPart } from "./diff-model";
import { isBlank, isSpace } from "./diff-text";

/** Words (CJK: single characters), whitespace runs, and single other characters. */
const TOKEN =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{M}\p{N}_])+|\s+|./gsu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function sameIgnoringWhitespace(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && isSpace(a.charCodeAt(i))) i++;
    while (j < b.length && isSpace(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i++) !== b.charCodeAt(j++)) return false;
  }
}

/** Word-level parts of a changed pair, or null when the diff does not finish in time. */
export function wordParts(a: string, b: string, deadline: number): { oldParts: WordPart[]; newParts: WordPart[] } | null {
  const remaining = deadline - performance.now();
  if (remaining <= 0) return null;
  const changes = diffArrays(tokenize(a), tokenize(b), { timeout: Math.max(1, Math.floor(remaining)) });
  if (!changes) return null;

  // Whitespace kept between two changes would split one edit into fragments.
  const edits: ChangeObject<string[]>[] = [];
  changes.forEach((change, i) => {
    const before = changes[i - 1];
    const after = changes[i + 1];
    const common = !change.added && !change.removed;
    if (common && before && after && (before.added || before.removed) && (after.added || after.removed) && isBlank(change.value.join(""))) {
      edits.push({ ...change, removed: true }, { ...change, added: true });
    } else {
      edits.push(change);
    }
  });

  const oldParts: WordPart[] = [];
  const newParts: WordPart[] = [];
  const push = (parts: WordPart[], type: WordPart["type"], text: string) => {
    const last = parts[parts.length - 1];
    if (last?.type === type) last.text += text;
    else parts.push({ type, text });
  };
  for (const edit of edits) {
    const text = edit.value.join("");
    if (edit.added) push(newParts, "added", text);
    else if (edit.removed) push(oldParts, "removed", text);
    else {
      push(oldParts, "same", text);
      push(newParts, "same", text);
    }
  }
  return { oldParts, newParts };
}
