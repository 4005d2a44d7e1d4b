import Link from "next/link";
import { formatCursor, type Cursor } from "@/lib/wiki/keyset";

/** Previous / next links of a keyset-paginated listing; `keep` are the listing's other query parameters. */
export function Pager({ basePath, keep = {}, prev, next, label }: { basePath: string; keep?: Record<string, string | undefined>; prev: Cursor | null; next: Cursor | null; label: string }) {
  if (!prev && !next) return null;
  const href = (name: "after" | "before", cursor: Cursor) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(keep)) if (v) params.set(k, v);
    params.set(name, formatCursor(cursor));
    return `${basePath}?${params.toString()}`;
  };
  return (
    <nav className="pager" aria-label={label}>
      {prev ? (
        <Link href={href("before", prev)} rel="prev">
          ← Previous
        </Link>
      ) : null}{" "}
      {next ? (
        <Link href={href("after", next)} rel="next">
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
