"use client";

import { useFormAction } from "../../_components/use-form-action";
import { Ellipsis, Star } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { ActionButton } from "../../_components/action-button";
import { FormStatus } from "../../_components/form-status";
import { Menu } from "../../_components/menu";
import { deleteAction, moveAction, protectAction, restoreAction, watchAction } from "./actions";

type PageMe = { watching: boolean; canEdit: boolean; canProtect: boolean; protected: boolean; deleted: boolean };

/** What this reader may do on the page, asked of /api/me by the browser (so the page itself stays cacheable). */
function usePageMe(slug: string): PageMe | null {
  const [me, setMe] = useState<PageMe | null>(null);
  useEffect(() => {
    let live = true;
    fetch(`/api/me?page=${encodeURIComponent(slug)}`, { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<{ page?: PageMe }>) : {}))
      .then((data: { page?: PageMe }) => live && setMe(data.page ?? null))
      .catch(() => live && setMe(null));
    return () => {
      live = false;
    };
  }, [slug]);
  return me;
}

/** The watch star, for members. */
function WatchButton({ slug, watching: initial }: { slug: string; watching: boolean }) {
  const [state, watch] = useFormAction(watchAction, {});
  const watching = typeof state.data?.watching === "boolean" ? state.data.watching : initial;
  return (
    <form action={watch} className="inline-form watch-form">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="watch" value={watching ? "false" : "true"} />
      <button type="submit" aria-pressed={watching} className="icon-button" title={watching ? "Stop watching this page" : "Watch this page"}>
        <Star aria-hidden="true" size={18} fill={watching ? "currentColor" : "none"} /> {watching ? "Watching" : "Watch"}
      </button>
      <FormStatus state={state} />
    </form>
  );
}

/** Protect, delete or restore, and rename: moderators' page actions. */
function ModeratorActions({ slug, me }: { slug: string; me: PageMe }) {
  const [moveState, move] = useFormAction(moveAction, {});
  useEffect(() => {
    if (moveState.ok && typeof moveState.data?.href === "string") window.location.assign(moveState.data.href);
  }, [moveState]);
  return (
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
  );
}

/**
 * The page's own actions beside its tabs: the watch star for members, and a
 * More menu (blame, permanent link, page information; protect, delete and
 * rename for moderators), so none of them sits in the reading view.
 */
export function PageActions({ slug, path, permalink }: { slug: string; path: string; permalink?: string }) {
  const me = usePageMe(slug);
  return (
    <div className="page-actions">
      {me ? <WatchButton slug={slug} watching={me.watching} /> : null}
      <Menu
        className="more-menu"
        title="More page actions"
        label={
          <>
            <Ellipsis aria-hidden="true" size={18} /> More
          </>
        }
      >
        <Link href={`${path}/blame`}>Blame</Link>
        {permalink ? <Link href={permalink}>Permanent link</Link> : null}
        <Link href={`${path}#page-information`}>Page information</Link>
        {me?.canProtect ? <ModeratorActions slug={slug} me={me} /> : null}
      </Menu>
    </div>
  );
}

/** A deleted page's tools (restore, for moderators), filled in by the browser. */
export function PageTools({ slug }: { slug: string }) {
  const me = usePageMe(slug);
  if (!me?.canProtect) return null;
  return (
    <div className="page-tools">
      <ModeratorActions slug={slug} me={me} />
    </div>
  );
}
