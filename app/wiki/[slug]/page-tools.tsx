"use client";

import { useActionState, useEffect, useState } from "react";
import { ActionButton } from "../../_components/action-button";
import { FormStatus } from "../../_components/form-status";
import { deleteAction, moveAction, protectAction, restoreAction, watchAction } from "./actions";

type PageMe = { watching: boolean; canEdit: boolean; canProtect: boolean; protected: boolean; deleted: boolean };

/** Personal page tools (watch; protect, delete, rename for moderators), filled in by the browser. */
export function PageTools({ slug }: { slug: string }) {
  const [me, setMe] = useState<PageMe | null>(null);
  const [watchState, watch] = useActionState(watchAction, {});
  const [moveState, move] = useActionState(moveAction, {});
  useEffect(() => {
    fetch(`/api/me?page=${encodeURIComponent(slug)}`, { cache: "no-store" })
      .then((r) => r.json() as Promise<{ page?: PageMe }>)
      .then((data) => setMe(data.page ?? null))
      .catch(() => setMe(null));
  }, [slug]);
  useEffect(() => {
    if (moveState.ok && typeof moveState.data?.href === "string") window.location.assign(moveState.data.href);
  }, [moveState]);
  if (!me) return null;
  const watching = typeof watchState.data?.watching === "boolean" ? watchState.data.watching : me.watching;
  return (
    <div className="page-tools">
      <form action={watch} className="inline-form">
        <input type="hidden" name="slug" value={slug} />
        <input type="hidden" name="watch" value={watching ? "false" : "true"} />
        <button type="submit" aria-pressed={watching}>
          {watching ? "★ Watching" : "☆ Watch"}
        </button>
      </form>
      {me.canProtect ? (
        <>
          <ActionButton action={protectAction} fields={{ slug, protect: me.protected ? "false" : "true" }} label={me.protected ? "Unprotect" : "Protect"} />
          {me.deleted ? (
            <ActionButton action={restoreAction} fields={{ slug }} label="Restore" />
          ) : (
            <ActionButton action={deleteAction} fields={{ slug }} label="Delete" confirm="Delete this page? Its history is kept and it can be restored." />
          )}
          <details className="move-page">
            <summary>Rename</summary>
            <form action={move} className="inline-form">
              <input type="hidden" name="slug" value={slug} />
              <label>
                New title <input name="newTitle" required maxLength={255} />
              </label>
              <button type="submit">Rename</button>
            </form>
            <FormStatus state={moveState} />
          </details>
        </>
      ) : null}
      <FormStatus state={watchState} />
    </div>
  );
}
