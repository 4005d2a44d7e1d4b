"use client";

import { useActionState, useEffect, useMemo, useRef, useState } from "react";
import type { FormState } from "@/lib/edge/form-state";
import type { ContentIssue } from "@/lib/errors";
import { readFields } from "@/lib/wiki/front-matter";
import { saveAction, type EditorData } from "./actions";
import { ComparisonBlock } from "../../../_components/comparison-block";
import { ConflictView, type Conflict } from "./conflict-view";
import { MediaUploadZone, useMediaUpload } from "./media-upload";
import { StructuredFields } from "./structured-fields";
import { useDraft } from "./use-draft";
import { usePreview } from "./use-preview";
import { useUnsavedGuard } from "./use-unsaved-guard";

/**
 * The page editor: MDX source and, for difference pages, the structured
 * fields as form fields kept in sync with the front matter; a live preview
 * through the real pipeline; drafts autosaved in the browser; inline errors
 * with line and column; merges and conflicts explained, never a lost edit.
 */
export function Editor(props: {
  slug: string;
  title: string;
  initialSource: string;
  initialSummary?: string;
  carryPostId?: number;
  baseRevisionId: number | null;
  isNew: boolean;
}) {
  const [source, setSource] = useState(props.initialSource);
  const [base, setBase] = useState<number | null>(props.baseRevisionId);
  const [summary, setSummary] = useState(props.initialSummary ?? "");
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // A save that never reaches the server (offline) is an error shown here, not a broken page.
  const [state, action, saving] = useActionState<FormState<EditorData>, FormData>(async (previous, data) => {
    try {
      return await saveAction(previous, data);
    } catch {
      return { error: "The save did not reach the server (are you offline?). Your text is still here; try again." };
    }
  }, {});
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [minor, setMinor] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const dirty = source !== props.initialSource || summary !== (props.initialSummary ?? "") || props.carryPostId !== undefined;
  const fields = useMemo(() => readFields(source), [source]);
  const draft = useDraft(`propagate:draft:${props.slug}`, props.initialSource, { source, summary, base, dirty });
  // Not when leaving because the save succeeded.
  const unsaved = useUnsavedGuard(dirty && !(state.ok && typeof state.data?.href === "string"));
  const { preview, previewing } = usePreview(props.slug, source);
  // Uploads from the editor insert their component where the cursor is (or at the end).
  const media = useMediaUpload((snippet) => {
    const el = textarea.current;
    setSource((current) => {
      const at = el && document.activeElement === el ? el.selectionStart : current.length;
      const before = current.slice(0, at);
      return `${before}${before === "" || before.endsWith("\n") ? "" : "\n"}${snippet}\n${current.slice(at)}`;
    });
  });

  // After a save: go to the page; after a conflict: show both versions.
  useEffect(() => {
    const href = state.data?.href;
    if (state.ok && typeof href === "string") {
      draft.clear();
      unsaved.current = false;
      window.location.assign(href);
    }
    const c = state.data?.conflict as Conflict | undefined;
    if (c) setConflict(c);
    // Once per save result (draft.clear is new each render but always forgets the same key).
  }, [state]);

  // The last save's errors describe the text as it was sent; once it changes, the preview's are current.
  const saveIsCurrent = submitted === source;
  const saveIssues = saveIsCurrent ? (state.data?.issues as ContentIssue[] | undefined) : undefined;
  const issues = saveIssues ?? preview?.issues ?? [];

  function jumpTo(line: number) {
    const el = textarea.current;
    if (!el) return;
    const lines = source.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  }

  return (
    <div className="editor">
      {draft.offer ? (
        <div className="draft-offer" role="status">
          <p>
            You have an unsaved draft of this page from {formatDraftTime(draft.offer.savedAt)}.{" "}
            <button
              type="button"
              onClick={() => {
                const restored = draft.offer!;
                setSource(restored.source);
                setSummary(restored.summary);
                // Save against the revision the draft was written on, so edits made since are merged, not overwritten.
                setBase(restored.base);
                draft.dismiss();
              }}
            >
              Restore draft
            </button>{" "}
            <button type="button" onClick={draft.discard}>
              Discard draft
            </button>
          </p>
        </div>
      ) : null}

      {conflict ? (
        <ConflictView
          conflict={conflict}
          message={state.error}
          onResolveInMarked={(marked) => {
            setSource(marked);
            setBase(conflict.latestRevisionId);
            setConflict(null);
          }}
          onKeepMine={() => {
            setBase(conflict.latestRevisionId);
            setConflict(null);
          }}
        />
      ) : null}

      <form action={action} className="editor-form" onSubmit={() => setSubmitted(source)}>
        <input type="hidden" name="slug" value={props.slug} />
        <input type="hidden" name="content" value={source} />
        <input type="hidden" name="baseRevisionId" value={base ?? ""} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        {props.carryPostId ? <input type="hidden" name="carryPostId" value={props.carryPostId} /> : null}

        <StructuredFields fields={fields} setSource={setSource} />

        <label className="source-label">
          Page source (MDX) <a href="/help/editing" target="_blank" rel="noopener">Help</a>
          <textarea
            ref={textarea}
            className="source"
            name="source-editor"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            rows={24}
            spellCheck
            aria-describedby={issues.length > 0 ? "editor-issues" : undefined}
            onPaste={(e) => {
              const files = [...e.clipboardData.files];
              if (files.length === 0) return;
              e.preventDefault();
              void media.upload(files, true);
            }}
            onDrop={(e) => {
              const files = [...e.dataTransfer.files];
              if (files.length === 0) return;
              e.preventDefault();
              void media.upload(files);
            }}
          />
        </label>
        <MediaUploadZone {...media} />

        {issues.length > 0 ? (
          <div id="editor-issues" className="form-error" role="alert">
            <p>{saveIssues ? "Nothing was saved: the page has errors." : "The page has errors:"}</p>
            <ul>
              {issues.map((issue, i) => (
                <li key={i}>
                  <button type="button" className="link-button" onClick={() => jumpTo(issue.line)}>
                    Line {issue.line}, column {issue.column}
                  </button>
                  : {issue.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {state.error && saveIsCurrent && !state.data?.issues && !state.data?.conflict ? (
          <p className="form-error" role="alert">
            {state.error}
          </p>
        ) : null}
        {state.ok && state.data?.unchanged ? (
          <p className="form-ok" role="status">
            {state.message}
          </p>
        ) : null}

        <div className="save-row">
          <label>
            Edit summary
            <input name="summary" value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={500} placeholder="Briefly describe your change" />
          </label>
          <label className="checkbox">
            <input type="checkbox" name="minor" checked={minor} onChange={(e) => setMinor(e.target.checked)} /> This is a minor edit
          </label>
          {/* Alt+Shift+S saves, as MediaWiki's access key. */}
          <button type="submit" className="primary" disabled={saving} accessKey="s">
            {saving ? "Saving…" : props.isNew ? "Create page" : "Save changes"}
          </button>
        </div>
      </form>

      <section className="preview" aria-labelledby="preview-heading" aria-busy={previewing}>
        <h2 id="preview-heading">Preview {previewing ? <span className="hint">(updating…)</span> : null}</h2>
        {fields?.kind === "difference" ? (
          // The two sides come from the front matter: shown as the page shows them, so a change to a side is visible.
          <ComparisonBlock dimension={String(fields.dimension ?? "")} tkm={String(fields.tkm ?? "")} sl={String(fields.sl ?? "")} />
        ) : null}
        {preview?.html !== undefined ? (
          // Rendered on the server from allowlist-validated MDX, exactly as the page will show it.
          <div className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
        ) : (
          <p className="hint">{preview?.error ?? (preview?.issues ? "Fix the errors above to see the preview." : "The preview appears here.")}</p>
        )}
      </section>
    </div>
  );
}

/** A draft's time as every other date in the wiki: ISO, to the minute, in UTC. */
function formatDraftTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "earlier" : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
