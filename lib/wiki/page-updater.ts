import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { editRequests, mediaBlobs, pageLinks, pages, revisions, users, watches, type Page, type Revision, type RevisionChange } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { assertNoLookalikeTitle } from "./lookalikes";
import { summariseChange } from "./diff-summary";
import { pageSearchIndex } from "./search-vector";
import { replacePageTags } from "./tag-counts";
import { threeWayMerge } from "./merge";
import { parseSource, searchableText, type ParsedSource } from "./source";
import { parseTitle, TitleError, type Title } from "./title";
import { notifyWatchers } from "./watchlist";
import { FILE_PREFIX } from "@/lib/wikitext/title";

export type SaveInput = {
  /** Title or slug of the page; a missing page is created. */
  title: string;
  content: string;
  authorId: string;
  summary?: string;
  minor?: boolean;
  /** The revision the editor started from; null when creating the page. */
  baseRevisionId: number | null;
  /** A retried submit with the same key returns the first result instead of saving twice. */
  idempotencyKey?: string;
  /** Recorded on the revision when it is more than a plain edit (revert, undo, carried post…). */
  change?: RevisionChange;
  /** Try a three-way merge when someone saved since the base (default true). */
  merge?: boolean;
  /** Only moderators may edit protected pages; the caller's policy check passes this in. */
  mayEditProtected?: boolean;
  /** When the revision was made, if not now: an import keeps the original history's times. */
  createdAt?: Date;
  /** Add the page to the author's watchlist (default true; an import's contributors watch nothing). */
  watch?: boolean;
  /** Store the one-line diff summary now (default true); an import leaves it to the feeds, which fill in a missing one. */
  summarise?: boolean;
  /** Runs inside the save's transaction before the revision is written (an upload stores its file's bytes). */
  beforeRevision?: (tx: Tx) => Promise<void>;
  /** Runs inside the save's transaction after the revision is written (e.g. mark a carried post). */
  onSaved?: (tx: Tx, revision: Revision) => Promise<void>;
};

export type SaveResult =
  | {
      status: "saved";
      page: Page;
      revision: Revision;
      created: boolean;
      merged: boolean;
      duplicate: boolean;
      /** Pages whose backlinks or red links changed. */
      linksChanged?: string[];
      /** Whether what the overview lists of this page (kind, dimension, both sides, tags) changed; unknown for a repeated submit. */
      listingChanged?: boolean;
    }
  | { status: "unchanged"; page: Page; revision: Revision };

const MAX_ATTEMPTS = 5;

/**
 * Save an edit as one new revision. Everything the edit touches is written in
 * one transaction: the revision (parent = the revision it was based on), the
 * page's latest-revision pointer (compare-and-set), links, tags, kind, search
 * index, the idempotency key and the author's watch. If someone saved since
 * the base, the three texts are merged: a clean merge is saved (and reported),
 * a conflict raises `conflict:revision` with both versions and the regions,
 * and nothing is saved. Never an overwrite.
 */
export async function savePage(db: Database, input: SaveInput): Promise<SaveResult> {
  const title = parseTitleOrThrow(input.title);
  // Saves of one page take turns in this process: each then merges with the one before it, so
  // concurrent clean edits all land and only true conflicts are refused. (Saves from other
  // processes still meet at the row lock below and go round again.)
  return oneAtATime(title.slug, () => savePageNow(db, input, title));
}

const TURNS_KEY = Symbol.for("propagate.page-save-turns");

/** Run `work` after every earlier call for the same key has settled (a per-key queue, shared by the process). */
async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const holder = globalThis as { [TURNS_KEY]?: Map<string, Promise<unknown>> };
  const turns = (holder[TURNS_KEY] ??= new Map());
  const before = turns.get(key) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  turns.set(key, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(key) === settled) turns.delete(key);
  }
}

async function savePageNow(db: Database, input: SaveInput, title: Title): Promise<SaveResult> {
  const submitted = submissionHash(title, input);
  if (input.idempotencyKey) {
    const previous = await findIdempotent(db, input.idempotencyKey, input.authorId, submitted);
    if (previous) return previous;
  }
  const source = await validate(input.content, title);
  const summary = (input.summary ?? "").trim().slice(0, 500);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [current] = await db.select().from(pages).where(eq(pages.slug, title.slug));
    if (current?.deletedAt) throw new AppError("forbidden:page", "This page was deleted; a moderator can restore it.");
    if (current?.redirectToPageId) throw new AppError("conflict:revision", "This page was renamed; edit it under its new title.");
    if (current?.protection === "moderators" && !input.mayEditProtected) {
      throw new AppError("forbidden:page", "This page is protected: only moderators may edit it.");
    }
    let text = input.content;
    let parsed = source;
    let parentId = input.baseRevisionId;
    let change = input.change;
    let merged = false;
    const latest = current?.latestRevisionId ?? null;
    if (current && latest !== input.baseRevisionId) {
      if (input.baseRevisionId === null) {
        throw new AppError("conflict:revision", "A page with this title was created while you were writing; nothing was saved.", { latestRevisionId: latest });
      }
      const [base, theirs] = await Promise.all([loadRevision(db, current.id, input.baseRevisionId), loadRevision(db, current.id, latest!)]);
      if (input.merge === false) throw conflict(theirs, "Someone else saved this page after you started editing.");
      const result = threeWayMerge(base.content, theirs.content, input.content);
      if (!result.clean) {
        throw conflict(theirs, "Someone else changed the same part of this page after you started editing; nothing was saved.", {
          conflicts: result.conflicts,
          marked: result.marked,
          mine: input.content,
        });
      }
      text = result.text;
      parsed = await validate(text, title);
      parentId = theirs.id;
      change ??= { type: "merge", mergedWithRevisionId: theirs.id };
      merged = true;
    }
    const diffSummary = input.summarise === false ? null : await summarise(db, current?.id, parentId, text, parsed.length);
    let touched: string[] = [];
    let listingChanged = true;
    try {
      const outcome = await db.transaction(async (tx) => {
        if (input.idempotencyKey) {
          // A concurrent submit with the same key may have landed since the first check.
          const [done] = await tx.select({ key: editRequests.key }).from(editRequests).where(eq(editRequests.key, input.idempotencyKey));
          if (done) return "duplicate" as const;
        }
        let [page] = await tx.select().from(pages).where(eq(pages.slug, title.slug)).for("update");
        let created = false;
        if (!page) {
          if (parentId !== null) return "retry" as const;
          const skeleton = await assertNoLookalikeTitle(tx, title);
          [page] = await tx
            .insert(pages)
            .values({ slug: title.slug, title: title.title, kind: parsed.fields.kind, titleSkeleton: skeleton, ...(input.createdAt ? { createdAt: input.createdAt } : {}) })
            .returning();
          created = true;
        }
        if (!page) throw new Error("page insert returned nothing");
        // The checks above ran before the lock: a delete, rename or protection may have landed since.
        if (page.deletedAt) throw new AppError("forbidden:page", "This page was deleted; a moderator can restore it.");
        if (page.redirectToPageId) throw new AppError("conflict:revision", "This page was renamed; edit it under its new title.");
        if (page.protection === "moderators" && !input.mayEditProtected) throw new AppError("forbidden:page", "This page is protected: only moderators may edit it.");
        if (page.latestRevisionId !== parentId) return "retry" as const;
        await input.beforeRevision?.(tx);
        await assertBlobExists(tx, parsed.fields);
        if (page.latestRevisionId !== null) {
          const [latestRow] = await tx.select().from(revisions).where(eq(revisions.id, page.latestRevisionId));
          if (latestRow && latestRow.sha256 === parsed.sha256) return { status: "unchanged" as const, page, revision: latestRow };
          listingChanged = !latestRow || listedFields(latestRow.fields) !== listedFields(parsed.fields);
        }
        const [revision] = await tx
          .insert(revisions)
          .values({
            pageId: page.id,
            parentId,
            authorId: input.authorId,
            title: title.title,
            summary,
            isMinor: input.minor ?? false,
            content: text,
            fields: parsed.fields,
            sha256: parsed.sha256,
            length: parsed.length,
            change: change ?? null,
            diffSummary,
            createdAt: input.createdAt,
          })
          .returning();
        if (!revision) throw new Error("revision insert returned nothing");
        const { updated, linksChanged } = await movePointer(tx, page, revision, parsed, parentId);
        touched = linksChanged;
        if (input.idempotencyKey) await tx.insert(editRequests).values({ key: input.idempotencyKey, userId: input.authorId, revisionId: revision.id, contentHash: submitted });
        if (input.watch !== false) await watchAsAuthor(tx, input.authorId, page.id);
        // An imported revision (original times, no watches) is history, not news: it notifies nobody.
        if (input.watch !== false) await notifyWatchers(tx, revision);
        await input.onSaved?.(tx, revision);
        return { status: "saved" as const, page: updated, revision, created, merged, duplicate: false };
      });
      if (outcome === "duplicate") {
        const previous = await findIdempotent(db, input.idempotencyKey!, input.authorId, submitted);
        if (previous) return previous;
        continue;
      }
      if (outcome === "retry") continue;
      return outcome.status === "saved" ? { ...outcome, linksChanged: touched, listingChanged: outcome.created || listingChanged } : outcome;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.idempotencyKey) {
        const previous = await findIdempotent(db, input.idempotencyKey, input.authorId, submitted);
        if (previous) return previous;
      }
      // Another save won the race for this parent: go round again and merge with it.
    }
  }
  throw new AppError("conflict:revision", "This page is being edited by many people at once; please try again.");
}

function parseTitleOrThrow(raw: string): Title {
  try {
    return parseTitle(raw);
  } catch (error) {
    if (error instanceof TitleError) throw new AppError("invalid:title", error.message);
    throw error;
  }
}

async function validate(content: string, title: Title): Promise<ParsedSource> {
  const parsed = await parseSource(content);
  if (!parsed.ok) throw new AppError("invalid:content", "The page source has errors; nothing was saved.", { issues: parsed.issues });
  let declared: Title;
  try {
    declared = parseTitle(parsed.value.fields.title);
  } catch (error) {
    if (!(error instanceof TitleError)) throw error;
    throw new AppError("invalid:content", "The title in the front matter is not a valid title.", {
      issues: [{ line: 2, column: 1, rule: "front-matter-title", message: `Front matter title: ${error.message}` }],
    });
  }
  if (declared.slug !== title.slug) {
    throw new AppError("invalid:content", "The title in the front matter must match the page title.", {
      issues: [{ line: 2, column: 1, rule: "front-matter-title", message: `Front matter title "${parsed.value.fields.title}" does not match the page "${title.title}".` }],
    });
  }
  const isFileTitle = title.title.startsWith(FILE_PREFIX);
  if (isFileTitle !== (parsed.value.fields.kind === "file")) {
    throw new AppError("invalid:content", isFileTitle ? "A File: page must be of kind file; upload the file to create it." : "Only a File: page can be of kind file.", {
      issues: [{ line: 3, column: 1, rule: "front-matter-field", message: isFileTitle ? 'A File: page has "kind: file".' : `Kind "file" is for pages named File:… (made by uploading a file).` }],
    });
  }
  return parsed.value;
}

/** A file page's revision must point at bytes the wiki holds (an upload's, or an earlier revision's). */
async function assertBlobExists(tx: Tx, fields: ParsedSource["fields"]): Promise<void> {
  if (fields.kind !== "file") return;
  const [blob] = await tx.select({ sha256: mediaBlobs.sha256 }).from(mediaBlobs).where(eq(mediaBlobs.sha256, fields.file));
  if (!blob) {
    throw new AppError("invalid:content", "The file field names no uploaded file; upload the file instead.", {
      issues: [{ line: 3, column: 1, rule: "front-matter-field", message: 'Front matter field "file": no uploaded file has this SHA-256.' }],
    });
  }
}

async function loadRevision(db: Database, pageId: number, id: number): Promise<Revision> {
  const [row] = await db.select().from(revisions).where(and(eq(revisions.id, id), eq(revisions.pageId, pageId)));
  if (!row) throw new AppError("not_found:revision", `Revision ${id} is not a revision of this page.`);
  return row;
}

function conflict(theirs: Revision, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError("conflict:revision", message, { latestRevisionId: theirs.id, theirs: theirs.content, ...extra });
}

/** SHA-256 of everything a save submits: a key reused with anything else is a different edit. */
function submissionHash(title: Title, input: SaveInput): string {
  const submitted = [title.slug, input.content, (input.summary ?? "").trim().slice(0, 500), input.minor ?? false, input.baseRevisionId];
  return createHash("sha256").update(JSON.stringify(submitted)).digest("hex");
}

async function findIdempotent(db: Database, key: string, userId: string, submitted: string): Promise<SaveResult | null> {
  const [row] = await db
    .select({ revision: revisions, page: pages, userId: editRequests.userId, contentHash: editRequests.contentHash })
    .from(editRequests)
    .innerJoin(revisions, eq(revisions.id, editRequests.revisionId))
    .innerJoin(pages, eq(pages.id, revisions.pageId))
    .where(eq(editRequests.key, key));
  if (!row) return null;
  if (row.userId !== userId) throw new AppError("invalid:input", "This idempotency key was used by someone else.");
  // The same key with other content is another edit, not a retry: refuse it rather than answer with the old save and drop the new text.
  if (row.contentHash !== null && row.contentHash !== submitted) {
    throw new AppError("invalid:content", `The idempotency key "${key}" was already used for a different edit; nothing was saved. Send this edit with a new key.`, {
      idempotencyKey: key,
    });
  }
  return { status: "saved", page: row.page, revision: row.revision, created: false, merged: false, duplicate: true };
}

async function watchAsAuthor(tx: Tx, userId: string, pageId: number): Promise<void> {
  const [author] = await tx.select({ isSystem: users.isSystem }).from(users).where(eq(users.id, userId));
  if (!author || author.isSystem) return;
  await tx.insert(watches).values({ userId, pageId }).onConflictDoNothing();
}

/** Point the page at the new revision and rewrite its links and tags; returns the pages whose backlinks changed. */
async function movePointer(tx: Tx, page: Page, revision: Revision, source: ParsedSource, base: number | null): Promise<{ updated: Page; linksChanged: string[] }> {
  const f = source.fields;
  const search = pageSearchIndex(page.title, f, searchableText(source.body));
  const [updated] = await tx
    .update(pages)
    .set({
      latestRevisionId: revision.id,
      kind: f.kind,
      touchedAt: sql`now()`,
      dimension: f.kind === "difference" ? f.dimension : null,
      searchText: search.searchText,
      searchVector: search.searchVector,
    })
    .where(and(eq(pages.id, page.id), base === null ? isNull(pages.latestRevisionId) : eq(pages.latestRevisionId, base)))
    .returning();
  if (!updated) throw new AppError("conflict:revision", "Someone else saved this page after you started editing.");

  const before = await tx.delete(pageLinks).where(eq(pageLinks.fromPageId, page.id)).returning({ toSlug: pageLinks.toSlug });
  const links = source.links.filter((slug) => slug !== page.slug);
  if (links.length > 0) await tx.insert(pageLinks).values(links.map((toSlug) => ({ fromPageId: page.id, toSlug })));
  const old = new Set(before.map((l) => l.toSlug));
  const now = new Set(links);
  const linksChanged = [...[...now].filter((s) => !old.has(s)), ...[...old].filter((s) => !now.has(s))];
  await replacePageTags(tx, { id: page.id, title: updated.title, live: updated.deletedAt === null }, f.tags);
  return { updated, linksChanged };
}


/** What the overview shows of a page, as one comparable string: a change of any of it purges the overview. */
function listedFields(fields: Readonly<Record<string, unknown>>): string {
  const tags = Array.isArray(fields.tags) ? [...(fields.tags as unknown[])].map(String).sort() : [];
  return JSON.stringify([fields.kind, fields.title, fields.dimension, fields.tkm, fields.sl, tags]);
}

/** The stored summary of a new revision against its parent (empty text for a new page); see lib/wiki/diff-summary.ts. */
async function summarise(db: Database, pageId: number | undefined, parentId: number | null, text: string, length: number): Promise<string | null> {
  let parent = { content: "", length: 0 };
  if (parentId !== null && pageId !== undefined) {
    const [row] = await db.select({ content: revisions.content, length: revisions.length }).from(revisions).where(and(eq(revisions.id, parentId), eq(revisions.pageId, pageId)));
    if (!row) return null;
    parent = row;
  }
  return summariseChange(parent.content, text, length - parent.length);
}
