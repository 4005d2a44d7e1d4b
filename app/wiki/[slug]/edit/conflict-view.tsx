"use client";

import { useEffect, useRef } from "react";

export type Conflict = { theirs: string; marked: string | null; latestRevisionId: number; conflicts: { startLine: number }[] };

/**
 * An edit conflict: the current version beside the conflicting regions, and
 * the two ways on. It takes over the screen, so focus moves to its heading
 * (announced, and in reach).
 */
export function ConflictView({
  conflict,
  message,
  onResolveInMarked,
  onKeepMine,
}: {
  conflict: Conflict;
  message: string | undefined;
  onResolveInMarked: (marked: string) => void;
  onKeepMine: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [conflict]);
  return (
    <section className="conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" ref={heading} tabIndex={-1}>
        Edit conflict
      </h2>
      <p>
        {message} Your text is still in the editor below, unchanged. Compare it with the current version, combine them, then save again.
      </p>
      <div className="conflict-grid">
        <label>
          Current version (revision {conflict.latestRevisionId})
          <textarea readOnly value={conflict.theirs} rows={12} className="source" />
        </label>
        {conflict.marked ? (
          <label>
            Conflicting regions marked (<code>&lt;&lt;&lt;&lt;&lt;&lt;&lt;</code> yours, <code>&gt;&gt;&gt;&gt;&gt;&gt;&gt;</code> theirs)
            <textarea readOnly value={conflict.marked} rows={12} className="source" />
          </label>
        ) : null}
      </div>
      <p>
        {conflict.marked ? (
          <button type="button" onClick={() => onResolveInMarked(conflict.marked!)}>
            Resolve in the marked text
          </button>
        ) : null}{" "}
        <button type="button" onClick={onKeepMine}>
          Keep my text and save over the current version
        </button>
      </p>
    </section>
  );
}
