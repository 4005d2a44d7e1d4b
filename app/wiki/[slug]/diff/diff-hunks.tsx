import Link from "next/link";
import { cutText, isRewrapRow, REWRAP_PREVIEW_CHARS, type MoveEnd, type ViewRow } from "@/lib/wiki/diff-compute";
import type { DiffPageView, PageHunk } from "@/lib/wiki/diff-page";
import type { WordPart } from "@/lib/wiki/diff";

/** The hunks of one page of a diff, with "N unchanged lines" between them and links to the other pages. */
/**
 * `view`: "side" (two columns), "inline" (one), or "auto": two columns that
 * stack into the inline layout on narrow screens (CSS only, so the server's
 * HTML is the same for every width: no hydration mismatch).
 */
export function DiffHunks({ diff, view, pageHref }: { diff: DiffPageView; view: "side" | "inline" | "auto"; pageHref: (page: number) => string }) {
  return (
    <>
      {diff.pageCount > 1 ? <PageNav diff={diff} pageHref={pageHref} label="Pages of changes" /> : null}
      {diff.hunks.map((hunk) => (
        <Hunk key={`${hunk.number}-${hunk.continued ? "c" : ""}`} hunk={hunk} view={view} diff={diff} pageHref={pageHref} />
      ))}
      {diff.skippedAfter > 0 ? <Skipped count={diff.skippedAfter} /> : null}
      {diff.pageCount > 1 ? <PageNav diff={diff} pageHref={pageHref} label="More changes" /> : null}
    </>
  );
}

function Skipped({ count }: { count: number }) {
  return (
    <p className="hint diff-skip" role="separator">
      {`${count.toLocaleString("en")} unchanged ${count === 1 ? "line" : "lines"}`}
    </p>
  );
}

function PageNav({ diff, pageHref, label }: { diff: DiffPageView; pageHref: (page: number) => string; label: string }) {
  const { page, pageCount } = diff;
  return (
    <nav aria-label={label} className="diff-pages">
      <p>
        Changes page {page} of {pageCount} ({diff.hunkCount.toLocaleString("en")} changes in all):{" "}
        {page > 1 ? <Link href={pageHref(1)}>first</Link> : null}
        {page > 1 ? " · " : null}
        {page > 1 ? <Link href={pageHref(page - 1)} rel="prev">← previous changes</Link> : null}
        {page > 1 && page < pageCount ? " · " : null}
        {page < pageCount ? <Link href={pageHref(page + 1)} rel="next">next changes →</Link> : null}
        {page < pageCount ? " · " : null}
        {page < pageCount ? <Link href={pageHref(pageCount)}>last</Link> : null}
      </p>
    </nav>
  );
}

function Hunk({ hunk, view, diff, pageHref }: { hunk: PageHunk; view: "side" | "inline" | "auto"; diff: DiffPageView; pageHref: (page: number) => string }) {
  const first = hunk.rows[0];
  const lineOld = first && first.kind !== "added" ? first.oldLine : hunk.oldStart;
  const lineNew = first && first.kind !== "removed" ? first.newLine : hunk.newStart;
  const moveHref = (move: MoveEnd, target: string) => (move.page === diff.page ? `#${target}` : `${pageHref(move.page)}#${target}`);
  return (
    <>
      {hunk.skippedBefore > 0 ? <Skipped count={hunk.skippedBefore} /> : null}
      <section className="diff-hunk" id={hunk.continued ? undefined : `hunk-${hunk.number}`} aria-label={`Change ${hunk.number}${hunk.continued ? " (continued)" : ""}`}>
        <p className="diff-hunk-head">
          Line {lineOld} → {lineNew}
          {hunk.continued ? " (continued from the previous page)" : null}
          {hunk.number > 1 && !hunk.continued && diff.hunks[0]!.number < hunk.number ? <a href={`#hunk-${hunk.number - 1}`}> ↑ previous change</a> : null}
          {!hunk.continues && diff.hunks[diff.hunks.length - 1]!.number > hunk.number ? <a href={`#hunk-${hunk.number + 1}`}> ↓ next change</a> : null}
          {hunk.continues ? " (continues on the next page)" : null}
        </p>
        {view === "inline" ? <InlineRows rows={hunk.rows} moveHref={moveHref} /> : <SideRows rows={hunk.rows} auto={view === "auto"} moveHref={moveHref} />}
      </section>
    </>
  );
}

type MoveHref = (move: MoveEnd, target: string) => string;

/** The id of the first row of a move's lines on one side, which the other side's label links to. */
const moveTarget = (moveId: number, side: "old" | "new") => `moved-${moveId}-${side}`;

/** Whether `row` starts its move's run of lines (the row before it is not part of the same move on the same side). */
function startsMove(rows: ViewRow[], i: number): boolean {
  const row = rows[i]!;
  if ((row.kind !== "added" && row.kind !== "removed") || row.moveId === undefined) return false;
  const before = rows[i - 1];
  return !(before && before.kind === row.kind && before.moveId === row.moveId);
}

/**
 * The visible label of a moved paragraph, on the first row of its lines on
 * each side: a link to the other end ("moved to line 40" / "moved here from
 * line 12"), readable without hover or colour.
 */
function MoveLabel({ row, moveHref }: { row: ViewRow; moveHref: MoveHref }) {
  if ((row.kind !== "added" && row.kind !== "removed") || row.moveId === undefined) return null;
  if (!row.move) return <span className="diff-move-label">moved</span>;
  const to = row.kind === "removed";
  return (
    <a className="diff-move-label" href={moveHref(row.move, moveTarget(row.moveId, to ? "new" : "old"))}>
      {to ? `moved to line ${row.move.line}` : `moved here from line ${row.move.line}`}
    </a>
  );
}

/** A changed paragraph's line range ("12–16"), or its one line number. */
function lines(start: number, count: number): string {
  return count > 1 ? `${start}–${start + count - 1}` : String(start);
}

/** A re-wrap's note: the same words with new line breaks, nothing to mark. */
function RewrapNote({ row }: { row: ViewRow }) {
  if (row.kind !== "changed" || !isRewrapRow(row)) return null;
  return <span className="diff-rewrap-label">re-wrapped: same words, new line breaks</span>;
}

/** A re-wrap, collapsed: the start of its new text (the words are the old ones). */
function RewrapPreview({ row }: { row: ViewRow }) {
  if (row.kind !== "changed") return null;
  const shown = cutText(row.newText, REWRAP_PREVIEW_CHARS);
  return (
    <>
      {shown.text}
      {shown.cut > 0 || row.newCut > 0 ? "…" : null}
    </>
  );
}

function Parts({ parts, side }: { parts: WordPart[]; side: "old" | "new" }) {
  return (
    <>
      {parts.map((p, i) =>
        p.type === "same" ? (
          p.text
        ) : side === "old" && p.type === "removed" ? (
          <del key={i}>{p.text}</del>
        ) : side === "new" && p.type === "added" ? (
          <ins key={i}>{p.text}</ins>
        ) : null,
      )}
    </>
  );
}

function Cut({ count, what = "line" }: { count: number; what?: "line" | "paragraph" }) {
  if (count <= 0) return null;
  return <span className="hint diff-cut">{` … ${what} truncated (${count.toLocaleString("en")} more characters)`}</span>;
}

function Text({ row, side }: { row: ViewRow; side: "old" | "new" }) {
  if (row.kind === "changed") {
    const parts = side === "old" ? row.oldParts : row.newParts;
    return (
      <>
        {parts ? <Parts parts={parts} side={side} /> : side === "old" ? row.oldText : row.newText}
        <Cut count={side === "old" ? row.oldCut : row.newCut} what={(side === "old" ? row.oldCount : row.newCount) > 1 ? "paragraph" : "line"} />
      </>
    );
  }
  return (
    <>
      {row.text}
      <Cut count={row.cut} />
    </>
  );
}

function rowLabel(row: ViewRow): string {
  if (row.kind === "changed") return isRewrapRow(row) ? "re-wrapped" : row.whitespaceOnly ? "whitespace only" : "changed";
  if (row.kind === "added" || row.kind === "removed") return row.moveId !== undefined ? `moved (${row.moveId})` : row.kind;
  return "";
}

const moved = (row: ViewRow) => ("moveId" in row && row.moveId !== undefined ? " diff-moved" : "");

function rowId(rows: ViewRow[], i: number): string | undefined {
  const row = rows[i]!;
  if (!startsMove(rows, i) || (row.kind !== "added" && row.kind !== "removed")) return undefined;
  return moveTarget(row.moveId!, row.kind === "removed" ? "old" : "new");
}

function SideRows({ rows, auto, moveHref }: { rows: ViewRow[]; auto: boolean; moveHref: MoveHref }) {
  return (
    <table className={`diff-table side${auto ? " auto" : ""}`}>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i} id={rowId(rows, i)} className={`diff-${row.kind}${row.kind === "changed" && row.whitespaceOnly ? " diff-ws" : ""}${moved(row)}`} title={rowLabel(row) || undefined}>
            <td className="ln">{row.kind === "changed" ? lines(row.oldLine, row.oldCount) : row.kind !== "added" ? row.oldLine : ""}</td>
            <td className="old">
              {row.kind === "removed" && startsMove(rows, i) ? <MoveLabel row={row} moveHref={moveHref} /> : null}
              {row.kind === "added" ? "" : isRewrapRow(row) ? <RewrapNote row={row} /> : <Text row={row} side="old" />}
            </td>
            <td className="ln">{row.kind === "changed" ? lines(row.newLine, row.newCount) : row.kind !== "removed" ? row.newLine : ""}</td>
            <td className="new">
              {row.kind === "added" && startsMove(rows, i) ? <MoveLabel row={row} moveHref={moveHref} /> : null}
              {row.kind === "removed" ? "" : isRewrapRow(row) ? <RewrapPreview row={row} /> : <Text row={row} side="new" />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function InlineRows({ rows, moveHref }: { rows: ViewRow[]; moveHref: MoveHref }) {
  return (
    <table className="diff-table inline">
      <tbody>
        {rows.flatMap((row, i) => {
          if (row.kind === "context") {
            return [
              <tr key={i} className="diff-context">
                <td className="ln">{row.oldLine}</td>
                <td className="ln">{row.newLine}</td>
                <td><Text row={row} side="old" /></td>
              </tr>,
            ];
          }
          if (row.kind === "removed") {
            return [
              <tr key={i} id={rowId(rows, i)} className={`diff-removed${moved(row)}`} title={rowLabel(row)}>
                <td className="ln">{row.oldLine}</td>
                <td className="ln" />
                <td>{startsMove(rows, i) ? <MoveLabel row={row} moveHref={moveHref} /> : null}<span className="sign">−</span><Text row={row} side="old" /></td>
              </tr>,
            ];
          }
          if (row.kind === "added") {
            return [
              <tr key={i} id={rowId(rows, i)} className={`diff-added${moved(row)}`} title={rowLabel(row)}>
                <td className="ln" />
                <td className="ln">{row.newLine}</td>
                <td>{startsMove(rows, i) ? <MoveLabel row={row} moveHref={moveHref} /> : null}<span className="sign">+</span><Text row={row} side="new" /></td>
              </tr>,
            ];
          }
          if (isRewrapRow(row)) {
            // Nothing to mark: the note and the start of the new text, once.
            return [
              <tr key={i} className="diff-changed diff-ws diff-rewrap">
                <td className="ln">{lines(row.oldLine, row.oldCount)}</td>
                <td className="ln">{lines(row.newLine, row.newCount)}</td>
                <td><RewrapNote row={row} /><RewrapPreview row={row} /></td>
              </tr>,
            ];
          }
          return [
            <tr key={`${i}o`} className={`diff-removed${row.whitespaceOnly ? " diff-ws" : ""}`}>
              <td className="ln">{lines(row.oldLine, row.oldCount)}</td>
              <td className="ln" />
              <td><span className="sign">−</span><Text row={row} side="old" /></td>
            </tr>,
            <tr key={`${i}n`} className={`diff-added${row.whitespaceOnly ? " diff-ws" : ""}`}>
              <td className="ln" />
              <td className="ln">{lines(row.newLine, row.newCount)}</td>
              <td><span className="sign">+</span><Text row={row} side="new" /></td>
            </tr>,
          ];
        })}
      </tbody>
    </table>
  );
}
