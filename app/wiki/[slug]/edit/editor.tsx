"use client";

import { useActionState, useEffect, useMemo, useRef, useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/action";
import type { ContentIssue } from "@/lib/errors";
import { readFields, setField } from "@/lib/wiki/front-matter";
import { previewAction, saveAction } from "./actions";

type Conflict = { theirs: string; marked: string | null; latestRevisionId: number; conflicts: { startLine: number }[] };
type Draft = { source: string; summary: string; base: number | null; savedAt: string };

const FIELD_LABELS = [
  ["dimension", "Dimension"],
  ["tkm", "Traditional knowledge management side"],
  ["sl", "Social learning side"],
  ["summary", "Summary"],
] as const;

const splitTags = (text: string) => text.split(",").map((t) => t.trim()).filter(Boolean);
const splitLines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A list field edited as text: what the person typed is kept as typed (commas,
 * new lines, spaces in progress) as long as it still means the list in the
 * source; when the source changes the list elsewhere, the text follows it.
 */
function useListText(list: readonly unknown[], split: (text: string) => string[], join: (items: readonly string[]) => string) {
  const [typed, setTyped] = useState<string | null>(null);
  const strings = list.filter((v): v is string => typeof v === "string");
  const value = typed !== null && sameList(split(typed), strings) ? typed : join(strings);
  return [value, setTyped] as const;
}

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
  const draftKey = `propagate:draft:${props.slug}`;
  const [source, setSource] = useState(props.initialSource);
  const [base, setBase] = useState<number | null>(props.baseRevisionId);
  const [summary, setSummary] = useState(props.initialSummary ?? "");
  const [draft, setDraft] = useState<Draft | null>(null);
  const [preview, setPreview] = useState<{ html?: string; issues?: ContentIssue[]; error?: string } | null>(null);
  const [previewing, startPreview] = useTransition();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // A save that never reaches the server (offline) is an error shown here, not a broken page.
  const [state, action, saving] = useActionState<FormState, FormData>(async (previous, data) => {
    try {
      return await saveAction(previous, data);
    } catch {
      return { error: "The save did not reach the server (are you offline?). Your text is still here; try again." };
    }
  }, {});
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [minor, setMinor] = useState(false);
  const conflictHeading = useRef<HTMLHeadingElement>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const dirty = source !== props.initialSource || summary !== (props.initialSummary ?? "") || props.carryPostId !== undefined;
  const fields = useMemo(() => readFields(source), [source]);
  const tagList = Array.isArray(fields?.tags) ? (fields.tags as unknown[]) : [];
  const sourceList = Array.isArray(fields?.sources) ? (fields.sources as unknown[]) : [];
  const [tagsText, setTagsText] = useListText(tagList, splitTags, (items) => items.join(", "));
  const [sourcesText, setSourcesText] = useListText(sourceList, splitLines, (items) => items.join("\n"));
  // Sources with an author or a year are objects: the box edits titles only, so then they are edited in the source.
  const structuredSources = sourceList.some((v) => typeof v !== "string");

  // Offer a draft left by a reload or a crash.
  useEffect(() => {
    try {
      const stored = localStorage.getItem(draftKey);
      if (!stored) return;
      const parsed = JSON.parse(stored) as Draft;
      if (parsed.source !== props.initialSource) setDraft(parsed);
    } catch {}
  }, [draftKey, props.initialSource]);

  // Autosave the draft while the text differs from what was loaded.
  useEffect(() => {
    if (!dirty) return;
    const timer = setTimeout(() => {
      try {
        localStorage.setItem(draftKey, JSON.stringify({ source, summary, base, savedAt: new Date().toISOString() } satisfies Draft));
      } catch {}
    }, 500);
    return () => clearTimeout(timer);
  }, [source, summary, base, dirty, draftKey]);

  // Ask before leaving with unsaved changes (not when leaving because the save succeeded).
  const unsaved = useRef(false);
  unsaved.current = dirty && !(state.ok && typeof state.data?.href === "string");
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (unsaved.current) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    // Links inside the app navigate without unloading the page: ask for those too (capture, before the router acts).
    const leave = (event: MouseEvent) => {
      if (!unsaved.current || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!link || link.getAttribute("target") === "_blank" || link.getAttribute("href")?.startsWith("#")) return;
      if (!window.confirm("Leave this page? Your changes are not saved (a draft stays in this browser).")) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    window.addEventListener("click", leave, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("click", leave, true);
    };
  }, []);

  // Live preview, a moment after typing stops.
  useEffect(() => {
    const timer = setTimeout(() => {
      startPreview(async () => {
        const data = new FormData();
        data.set("slug", props.slug);
        data.set("content", source);
        try {
          const result = await previewAction({}, data);
          const issues = (result.data?.issues as ContentIssue[] | undefined) ?? undefined;
          setPreview(result.ok ? { html: result.data?.html as string } : { issues, error: issues ? undefined : result.error });
        } catch {
          setPreview({ error: "The preview could not be loaded (are you offline?). It will try again when you type." });
        }
      });
    }, 700);
    return () => clearTimeout(timer);
  }, [source, props.slug]);

  // After a save: go to the page; after a conflict: show both versions.
  useEffect(() => {
    const href = state.data?.href;
    if (state.ok && typeof href === "string") {
      try {
        localStorage.removeItem(draftKey);
      } catch {}
      unsaved.current = false;
      window.location.assign(href);
    }
    const c = state.data?.conflict as Conflict | undefined;
    if (c) setConflict(c);
  }, [state, draftKey]);

  // A conflict takes over the screen: move focus there, so it is announced and in reach.
  useEffect(() => {
    if (conflict) conflictHeading.current?.focus();
  }, [conflict]);

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
      {draft ? (
        <div className="draft-offer" role="status">
          <p>
            You have an unsaved draft of this page from {new Date(draft.savedAt).toLocaleString()}.{" "}
            <button
              type="button"
              onClick={() => {
                setSource(draft.source);
                setSummary(draft.summary);
                // Save against the revision the draft was written on, so edits made since are merged, not overwritten.
                setBase(draft.base);
                setDraft(null);
              }}
            >
              Restore draft
            </button>{" "}
            <button
              type="button"
              onClick={() => {
                localStorage.removeItem(draftKey);
                setDraft(null);
              }}
            >
              Discard draft
            </button>
          </p>
        </div>
      ) : null}

      {conflict ? (
        <section className="conflict" aria-labelledby="conflict-heading">
          <h2 id="conflict-heading" ref={conflictHeading} tabIndex={-1}>
            Edit conflict
          </h2>
          <p>
            {state.error} Your text is still in the editor below, unchanged. Compare it with the current version, combine them, then save
            again.
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
              <button
                type="button"
                onClick={() => {
                  setSource(conflict.marked!);
                  setBase(conflict.latestRevisionId);
                  setConflict(null);
                }}
              >
                Resolve in the marked text
              </button>
            ) : null}{" "}
            <button
              type="button"
              onClick={() => {
                setBase(conflict.latestRevisionId);
                setConflict(null);
              }}
            >
              Keep my text and save over the current version
            </button>
          </p>
        </section>
      ) : null}

      <form action={action} className="editor-form" onSubmit={() => setSubmitted(source)}>
        <input type="hidden" name="slug" value={props.slug} />
        <input type="hidden" name="content" value={source} />
        <input type="hidden" name="baseRevisionId" value={base ?? ""} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        {props.carryPostId ? <input type="hidden" name="carryPostId" value={props.carryPostId} /> : null}

        {fields?.kind === "difference" ? (
          <fieldset className="structured-fields">
            <legend>Comparison</legend>
            {FIELD_LABELS.map(([key, label]) => (
              <label key={key}>
                {label}
                <textarea
                  name={`field-${key}`}
                  rows={key === "dimension" ? 1 : 3}
                  value={typeof fields[key] === "string" ? (fields[key] as string) : ""}
                  onChange={(e) => setSource((s) => setField(s, key, e.target.value))}
                />
              </label>
            ))}
            <label>
              Tags <span className="hint">(comma-separated)</span>
              <input
                name="field-tags"
                value={tagsText}
                onChange={(e) => {
                  const text = e.target.value;
                  setTagsText(text);
                  setSource((s) => setField(s, "tags", splitTags(text)));
                }}
              />
            </label>
            <label>
              Sources{" "}
              <span className="hint">
                {structuredSources ? "(some have an author or a year: edit them in the page source below)" : "(one page title per line)"}
              </span>
              <textarea
                name="field-sources"
                rows={2}
                value={structuredSources ? sourceList.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("\n") : sourcesText}
                readOnly={structuredSources}
                onChange={(e) => {
                  const text = e.target.value;
                  setSourcesText(text);
                  setSource((s) => setField(s, "sources", splitLines(text)));
                }}
              />
            </label>
          </fieldset>
        ) : null}

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
          />
        </label>

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
          <button type="submit" className="primary" disabled={saving}>
            {saving ? "Saving…" : props.isNew ? "Create page" : "Save changes"}
          </button>
        </div>
      </form>

      <section className="preview" aria-labelledby="preview-heading" aria-busy={previewing}>
        <h2 id="preview-heading">Preview {previewing ? <span className="hint">(updating…)</span> : null}</h2>
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
