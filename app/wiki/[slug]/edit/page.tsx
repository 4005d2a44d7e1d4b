import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { carryDraft } from "@/lib/talk/carry";
import { openEditSession } from "@/lib/wiki/edit-session";
import { revisionNumber } from "@/lib/wiki/revision-number";
import { asPageKind, creatableKinds } from "@/lib/wiki/page-kinds";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { Editor } from "./editor";
import { PageTabs } from "../page-tabs";
import { parseId } from "@/lib/ids";
import { followRename } from "../renamed";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const title = titleFromSegment((await params).slug);
  return { title: title ? `Editing ${title.title}` : "Edit" };
}

export default async function EditPage({ params, searchParams }: Props) {
  const title = titleFromSegment((await params).slug);
  if (!title) notFound();
  if (!title.canonical) permanentRedirect(pagePath(title.slug, "/edit"));
  const query = await searchParams;
  await followRename(getDb(), title.slug, "/edit", query);
  // A file page is made by uploading its file (POST /api/files or the editor's upload), not from a template.
  const asked = asPageKind(query.kind);
  const kind = asked && creatableKinds.includes(asked) ? asked : "concept";
  const actor = await currentActor();
  const session = await openEditSession(getDb(), actor, title.slug, kind);
  const isNew = session.base === null;
  const carryId = parseId(query.carry) ?? undefined;
  const baseNumber = session.base ? await revisionNumber(getDb(), session.base.pageId, session.base.id) : 0;
  const carry = carryId !== undefined && session.allowed && !isNew ? await carryDraft(getDb(), session.slug, carryId).catch(() => null) : null;

  if (!session.allowed) {
    return (
      <div className="edit-page">
        <h1>{isNew ? `Create ${session.title}` : `View source of ${session.title}`}</h1>
        <p role="alert" className="form-error">
          {session.reason}{" "}
          {actor === null ? <Link href={`/signin?callbackUrl=${encodeURIComponent(pagePath(session.slug, "/edit"))}`}>Sign in</Link> : null}
        </p>
        {!isNew ? <textarea className="source" readOnly value={session.source} rows={24} aria-label="Page source" /> : null}
      </div>
    );
  }
  return (
    <div className="edit-page">
      {isNew ? null : <PageTabs slug={session.slug} current="edit" />}
      <h1>{isNew ? `Creating ${session.title}` : `Editing ${session.title}`}</h1>
      {isNew ? (
        <p className="hint">
          Start as:{" "}
          {creatableKinds.map((k, i) => (
            <span key={k}>
              {i > 0 ? " · " : ""}
              <Link href={`${pagePath(session.slug, "/edit")}?kind=${k}`} aria-current={k === kind ? "true" : undefined}>
                {k}
              </Link>
            </span>
          ))}
        </p>
      ) : (
        <p className="hint">
          Editing revision {baseNumber} of this page. <Link href={pagePath(session.slug)}>Back to the page</Link>
        </p>
      )}
      {carry ? (
        <p className="form-ok" role="status">
          A quotation of the discussion post was added at the end of the page; move and trim it as needed, then save.
        </p>
      ) : null}
      <Editor
        // A new page's template changes with ?kind=: a fresh editor, not the old one's state. The key
        // must not change when the save's revalidation turns the new page into an existing one: a
        // remounted editor would forget the save's result and never go to the page.
        key={kind}
        slug={session.slug}
        title={session.title}
        initialSource={carry ? session.source.replace(/\n*$/, "\n") + carry.snippet : session.source}
        initialSummary={carry?.summary}
        carryPostId={carry?.postId}
        baseRevisionId={session.base?.id ?? null}
        isNew={isNew}
      />
    </div>
  );
}
