/** What a revision diff is made of: rows, hunks and field changes, as the diff page renders them. */
export type DiffOptions = {
  /** Hard time budget for the whole diff, in milliseconds (default 1000). */
  budgetMs?: number;
  /**
   * Texts (a line, or a paragraph of several) longer than this many characters
   * are compared sentence by sentence before word by word (default 10 000).
   */
  maxLineLength?: number;
};
export type WordPart = { type: "same" | "added" | "removed"; text: string };
export type DiffRow =
  | { kind: "context"; oldLine: number; newLine: number; text: string }
  | { kind: "added"; newLine: number; text: string; moveId?: number }
  | { kind: "removed"; oldLine: number; text: string; moveId?: number }
  | {
      /**
       * A changed line, or a changed paragraph: `oldCount` lines from `oldLine`
       * became `newCount` lines from `newLine` (texts joined with "\n"). A
       * paragraph row whose words are all the same (`whitespaceOnly`) is a re-wrap.
       */
      kind: "changed";
      oldLine: number;
      newLine: number;
      oldCount: number;
      newCount: number;
      oldText: string;
      newText: string;
      oldParts: WordPart[] | null;
      newParts: WordPart[] | null;
      whitespaceOnly: boolean;
    };
/**
 * A changed region with its context rows; line numbers are 1-based. A side
 * with no lines in the hunk starts at the line that follows the change.
 */
export type DiffHunk = { oldStart: number; newStart: number; rows: DiffRow[] };
export type FieldChange = { field: string; label: string; before: unknown; after: unknown };
export type RevisionDiff = {
  hunks: DiffHunk[];
  /**
   * Row counts: plain added/removed lines, changed rows (lines or paragraphs),
   * moved lines (each counted once), and paragraphs re-wrapped with no word changed.
   */
  stats: { added: number; removed: number; changed: number; moved: number; rewrapped: number };
  fields: FieldChange[];
  /** True when no line differs (line endings, a BOM and a final newline are not differences). */
  identical: boolean;
  coarse: null | { reason: string };
};

/** A run of equal lines: `length` lines from `oldIndex` on the old side match from `newIndex` on the new. */
export type Run = { oldIndex: number; newIndex: number; length: number };
/** A change block: old lines [oldStart, oldEnd) became new lines [newStart, newEnd). */
export type Block = { oldStart: number; oldEnd: number; newStart: number; newEnd: number };
/**
 * What one changed row pairs: old lines [oldStart, oldEnd) with new lines
 * [newStart, newEnd) (one each, or a paragraph). `unchecked`: paired without
 * a similarity score (the only pair of its block), so the word diff decides.
 */
export type Span = Block & { unchecked?: boolean };
/** The move id of each old and new line (0: not moved). */
export type Moves = { old: Int32Array; new: Int32Array };
/** The differing lines of both sides; `offset` shared lines precede them. */
export type Lines = { old: string[]; new: string[]; offset: number };
