import Link from "next/link";
import type { ViewRow } from "@/lib/wiki/diff-compute";
import type { DiffPageView, PageHunk } from "@/lib/wiki/diff-page";
import type { WordPart } from "@/lib/wiki/diff";

/** The hunks of one page of a diff, with "N unchanged lines" between them and links to the other pages. */
export function DiffHunks({ diff, view, pageHref }: { diff: DiffPageView; view: "side" | "inline"; pageHref: (page: number) => string }) {
  return (
    <>
      {diff.pageCount > 1 ? <PageNav diff={diff} pageHref={pageHref} label="Pages of changes" /> : null}
      {diff.hunks.map((hunk) => (
        <Hunk key={`${hunk.number}-${hunk.continued ? "c" : ""}`} hunk={hunk} view={view} diff={diff} />
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

function Hunk({ hunk, view, diff }: { hunk: PageHunk; view: "side" | "inline"; diff: DiffPageView }) {
  const first = hunk.rows[0];
  const lineOld = first && first.kind !== "added" ? first.oldLine : hunk.oldStart;
  const lineNew = first && first.kind !== "removed" ? first.newLine : hunk.newStart;
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
        {view === "side" ? <SideRows rows={hunk.rows} /> : <InlineRows rows={hunk.rows} />}
      </section>
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

function Cut({ count }: { count: number }) {
  if (count <= 0) return null;
  return <span className="hint diff-cut">{` … line truncated (${count.toLocaleString("en")} more characters)`}</span>;
}

function Text({ row, side }: { row: ViewRow; side: "old" | "new" }) {
  if (row.kind === "changed") {
    const parts = side === "old" ? row.oldParts : row.newParts;
    return (
      <>
        {parts ? <Parts parts={parts} side={side} /> : side === "old" ? row.oldText : row.newText}
        <Cut count={side === "old" ? row.oldCut : row.newCut} />
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
  if (row.kind === "changed") return row.whitespaceOnly ? "whitespace only" : "changed";
  if (row.kind === "added" || row.kind === "removed") return row.moveId !== undefined ? `moved (${row.moveId})` : row.kind;
  return "";
}

const moved = (row: ViewRow) => ("moveId" in row && row.moveId !== undefined ? " diff-moved" : "");

function SideRows({ rows }: { rows: ViewRow[] }) {
  return (
    <table className="diff-table side">
      <tbody>
        {rows.map((row, i) => (
          <tr key={i} className={`diff-${row.kind}${row.kind === "changed" && row.whitespaceOnly ? " diff-ws" : ""}${moved(row)}`} title={rowLabel(row) || undefined}>
            <td className="ln">{row.kind !== "added" ? row.oldLine : ""}</td>
            <td className="old">{row.kind === "added" ? "" : <Text row={row} side="old" />}</td>
            <td className="ln">{row.kind !== "removed" ? row.newLine : ""}</td>
            <td className="new">{row.kind === "removed" ? "" : <Text row={row} side="new" />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function InlineRows({ rows }: { rows: ViewRow[] }) {
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
              <tr key={i} className={`diff-removed${moved(row)}`} title={rowLabel(row)}>
                <td className="ln">{row.oldLine}</td>
                <td className="ln" />
                <td><span className="sign">−</span><Text row={row} side="old" /></td>
              </tr>,
            ];
          }
          if (row.kind === "added") {
            return [
              <tr key={i} className={`diff-added${moved(row)}`} title={rowLabel(row)}>
                <td className="ln" />
                <td className="ln">{row.newLine}</td>
                <td><span className="sign">+</span><Text row={row} side="new" /></td>
              </tr>,
            ];
          }
          return [
            <tr key={`${i}o`} className={`diff-removed${row.whitespaceOnly ? " diff-ws" : ""}`}>
              <td className="ln">{row.oldLine}</td>
              <td className="ln" />
              <td><span className="sign">−</span><Text row={row} side="old" /></td>
            </tr>,
            <tr key={`${i}n`} className={`diff-added${row.whitespaceOnly ? " diff-ws" : ""}`}>
              <td className="ln" />
              <td className="ln">{row.newLine}</td>
              <td><span className="sign">+</span><Text row={row} side="new" /></td>
            </tr>,
          ];
        })}
      </tbody>
    </table>
  );
}
