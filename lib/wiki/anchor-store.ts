import "server-only";
import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Database } from "@/lib/db/client";
import { revisions, talkAnchorResolutions, talkAnchors, talkPosts, talkThreads, users, type resolutionStatuses, type Revision } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { firstPostVisible } from "@/lib/talk/thread-visibility";
import { locateQuote, quoteAt, type AnchorStatus, type Quote, type Resolution } from "./anchor";
import { carryInWorker } from "./anchor-jobs";
import type { PageFields } from "./front-matter";
import { getRenderedRevision } from "./parser-cache";
import { renderedText } from "./rendered-text";
import { RENDERER_VERSION } from "@/lib/mdx/version";

/** A W3C Web Annotation target on a revision's rendered text. */
export type AnchorTarget = {
  selector: [{ type: "TextQuoteSelector"; exact: string; prefix: string; suffix: string }, { type: "TextPositionSelector"; start: number; end: number }];
  revisionId: number;
};

/** A thread's passage on the page's current revision, the same for every reader (it is shown on shared, cached pages). */
export type ResolvedAnchor = {
  threadId: number;
  threadTitle: string;
  anchorStatus: AnchorStatus;
  /** Where the passage is now; for an orphaned one, where it was when the thread began. */
  target: AnchorTarget;
  /** The quote the thread began on, whatever became of it. */
  quote: string;
  confidence: number;
  /** An orphaned passage: the revision that removed it. */
  lostAtRevisionId: number | null;
  /** Orphaned because the bounded search gave up on this revision (the text too repetitive to tell where it is), not because it is gone. */
  unplaced: boolean;
};

/** The most passages a page shows (the oldest threads first); more would be a page of highlights. */
export const MAX_ANCHORS_PER_PAGE = 500;
/**
 * The most of them one author's threads take (a guest's are counted by their
 * network): someone who opens many threads about passages cannot decide which
 * of everyone else's lose their marks.
 */
export const MAX_ANCHORS_PER_AUTHOR = 20;

/** A page's passages as its views show them, and how many more threads about passages are not marked (the caps). */
export type PageAnchors = { anchors: ResolvedAnchor[]; unmarked: number };

export function targetOf(text: string, revisionId: number, start: number, end: number): AnchorTarget {
  const quote = quoteAt(text, start, end);
  return {
    selector: [
      { type: "TextQuoteSelector", ...quote },
      { type: "TextPositionSelector", start, end },
    ],
    revisionId,
  };
}

/**
 * Rendered texts of recent revisions (they never change for a renderer version):
 * the text a view after an edit resolved passages on is the base the next
 * edit's view compares with, so it is neither read nor parsed again. Keyed by
 * the revision's sha256 (its whole source), so ids reused by another database
 * cannot hit a stale entry.
 */
const texts = new LRUCache<string, string>({ maxSize: 16_000_000, sizeCalculation: (text) => Math.max(1, text.length) });
const textKey = (sha256: string) => `${sha256}:${RENDERER_VERSION}`;

export type TextSource = Pick<Revision, "id" | "content" | "fields" | "sha256">;

/** A revision's rendered text (lib/wiki/rendered-text.ts), or null when it cannot be rendered. */
export async function revisionText(db: Database, revision: TextSource, options: { old?: boolean } = {}): Promise<string | null> {
  const known = texts.get(textKey(revision.sha256));
  if (known !== undefined) return known;
  const rendered = await getRenderedRevision(db, revision, options);
  if (!rendered.ok) return null;
  return textOf(revision, rendered.html);
}

/** The rendered text of a revision from its fields and rendered body, kept for later comparisons. */
export function textOf(revision: Pick<Revision, "fields" | "sha256">, html: string): string {
  const key = textKey(revision.sha256);
  const known = texts.get(key);
  if (known !== undefined) return known;
  const fields = revision.fields as PageFields;
  const text = fields.kind === "difference" ? renderedText({ tkm: fields.tkm, sl: fields.sl, html }) : renderedText({ html });
  texts.set(key, text);
  return text;
}

const textColumns = { id: revisions.id, content: revisions.content, fields: revisions.fields, sha256: revisions.sha256 };

export type AnchorInput = { exact: string; prefix: string; suffix: string; start: number; end: number; revisionId: number };
export type NewAnchor = Omit<typeof talkAnchors.$inferInsert, "threadId">;

/**
 * The revision a reader's selection names, when it is this page's (one indexed
 * query: the cheap half of checking a new thread's passage, done before its
 * rate limit is consumed; the render and the search come after it).
 */
export async function anchorRevision(db: Database, pageId: number, input: AnchorInput): Promise<TextSource> {
  const [revision] = await db
    .select(textColumns)
    .from(revisions)
    .where(and(eq(revisions.id, input.revisionId), eq(revisions.pageId, pageId)));
  if (!revision) throw new AppError("invalid:input", "That revision is not one of this page's.", { field: "target" });
  return revision;
}

/**
 * Check a reader's selection against the revision it was made on (from
 * anchorRevision): the quoted words are on it, at the position sent or where
 * the quote's context puts them (a linear search for the exact words, on the
 * revision's text: its render is the parser cache's, made once per revision in
 * the reads lane within its deadline). The stored context is the page's own.
 */
export async function prepareAnchor(db: Database, revision: TextSource, input: AnchorInput): Promise<NewAnchor> {
  let text = texts.get(textKey(revision.sha256)) ?? null;
  if (text === null) {
    const rendered = await getRenderedRevision(db, revision, { old: true });
    // The reads lane is full just now: say so (503), rather than that the words are not there.
    if (!rendered.ok && rendered.transient) throw new AppError("unavailable", "The wiki is busy; try again in a moment.", { retryAfterSeconds: 5 });
    text = rendered.ok ? textOf(revision, rendered.html) : null;
  }
  const found = text === null ? null : locateQuote(text, { exact: input.exact, prefix: input.prefix, suffix: input.suffix }, input.start);
  if (text === null || !found) throw new AppError("invalid:input", "The quoted passage is not on that revision of the page.", { field: "target" });
  const quote = quoteAt(text, found.start, found.end);
  return { revisionId: revision.id, ...quote, start: found.start, end: found.end };
}

type Base = { threadId: number; revisionId: number; resolution: Resolution; lostAtRevisionId: number | null };

/** Carryings under way in this process, by revision and threads: a view that misses the same passages waits for the one running. */
const carrying = new Map<string, Promise<Map<number, Base> | null>>();

const ORPHANED: Resolution = { status: "orphaned", confidence: 0 };

/** Orphaned because the passage is gone, not because the search gave up. */
const isGone = (resolution: Resolution) => resolution.status === "orphaned" && !resolution.unplaced;

/**
 * Where each thread's passage is on the page's current revision, for the
 * threads everyone may see. Resolutions are kept per (thread, revision): a
 * view after an edit carries each passage from its last known revision once
 * (the texts compared once per such revision, whatever the number of
 * threads), and every later view reads them back in one query.
 *
 * Which threads count, fairly: only those whose first post everyone sees
 * (held, hidden and spam ones never), none by a blocked author, at most
 * MAX_ANCHORS_PER_AUTHOR per author, then the oldest MAX_ANCHORS_PER_PAGE.
 * `unmarked`: the threads about passages that would count but for the caps.
 *
 * `current`: the latest revision and its rendered text (computed only when some
 * passage was not resolved on it yet).
 */
export async function resolvePageAnchors(db: Database, pageId: number, current: { id: number; text: () => Promise<string | null> }): Promise<PageAnchors> {
  const eligible = eligibleAnchors(db, pageId, lte(talkAnchors.revisionId, current.id));
  const rows = await db
    .select({ anchor: talkAnchors, threadTitle: talkThreads.title, resolution: talkAnchorResolutions, eligible: eligible.count })
    .from(eligible)
    .innerJoin(talkAnchors, eq(talkAnchors.threadId, eligible.threadId))
    .innerJoin(talkThreads, eq(talkThreads.id, eligible.threadId))
    .leftJoin(talkAnchorResolutions, and(eq(talkAnchorResolutions.threadId, eligible.threadId), eq(talkAnchorResolutions.revisionId, current.id)))
    .where(lte(eligible.authorRank, MAX_ANCHORS_PER_AUTHOR))
    .orderBy(asc(eligible.threadId))
    .limit(MAX_ANCHORS_PER_PAGE);
  const unmarked = rows.length === 0 ? 0 : Number(rows[0]!.eligible) - rows.length;
  return { anchors: await resolveRows(db, pageId, current, rows), unmarked };
}

/**
 * The threads about passages of a page that count (see resolvePageAnchors),
 * with `authorRank` (their place among their author's) and `count` (how many count
 * before the caps): a subquery, `revision` saying which revisions' threads.
 */
function eligibleAnchors(db: Database, pageId: number, revision: SQL | undefined) {
  // A member by their id; a guest by the network of their thread's first post.
  const author = sql`coalesce('u' || ${talkThreads.createdBy}::text, 'g' || (select first_post.ip_hash from ${talkPosts} first_post where first_post.thread_id = ${talkThreads.id} order by first_post.id limit 1))`;
  return db
    .select({
      threadId: talkAnchors.threadId,
      authorRank: sql<number>`row_number() over (partition by ${author} order by ${talkAnchors.threadId})`.as("author_rank"),
      count: sql<string>`count(*) over ()`.as("eligible_count"),
    })
    .from(talkAnchors)
    .innerJoin(talkThreads, eq(talkThreads.id, talkAnchors.threadId))
    .leftJoin(users, eq(users.id, talkThreads.createdBy))
    .where(and(eq(talkThreads.pageId, pageId), revision, firstPostVisible(talkThreads.id), isNull(users.blockedAt)))
    .as("eligible");
}

/**
 * The passages shown on an old revision of a page (`?rev=`): those of the
 * threads started on that very revision, exactly where they were chosen
 * (nothing is carried or searched: one query). Every other passage is shown
 * where it is now, on the current version; the old revision's view says so.
 * The same caps as on the current version.
 */
export async function anchorsStartedOn(db: Database, pageId: number, revisionId: number): Promise<PageAnchors> {
  const eligible = eligibleAnchors(db, pageId, eq(talkAnchors.revisionId, revisionId));
  const rows = await db
    .select({ anchor: talkAnchors, threadTitle: talkThreads.title, eligible: eligible.count })
    .from(eligible)
    .innerJoin(talkAnchors, eq(talkAnchors.threadId, eligible.threadId))
    .innerJoin(talkThreads, eq(talkThreads.id, eligible.threadId))
    .where(lte(eligible.authorRank, MAX_ANCHORS_PER_AUTHOR))
    .orderBy(asc(eligible.threadId))
    .limit(MAX_ANCHORS_PER_PAGE);
  const anchors = rows.map(
    ({ anchor, threadTitle }): ResolvedAnchor => ({
      threadId: anchor.threadId,
      threadTitle,
      anchorStatus: "anchored",
      target: targetOfAnchor(anchor),
      quote: anchor.exact,
      confidence: 1,
      lostAtRevisionId: null,
      unplaced: false,
    }),
  );
  return { anchors, unmarked: rows.length === 0 ? 0 : Number(rows[0]!.eligible) - rows.length };
}

/**
 * The quotes of these threads' passages (those about one), for threads a page
 * does not mark: held ones shown to their authors and moderators, and those past
 * the caps. One query; `threadIds` is a listing's page of threads.
 */
export async function quotesOf(db: Database, threadIds: number[]): Promise<Map<number, string>> {
  if (threadIds.length === 0) return new Map();
  const rows = await db.select({ threadId: talkAnchors.threadId, exact: talkAnchors.exact }).from(talkAnchors).where(inArray(talkAnchors.threadId, threadIds));
  return new Map(rows.map((r) => [r.threadId, r.exact]));
}

/** A thread's passage where it was chosen, as its W3C target. */
function targetOfAnchor(anchor: typeof talkAnchors.$inferSelect): AnchorTarget {
  return {
    selector: [
      { type: "TextQuoteSelector", exact: anchor.exact, prefix: anchor.prefix, suffix: anchor.suffix },
      { type: "TextPositionSelector", start: anchor.start, end: anchor.end },
    ],
    revisionId: anchor.revisionId,
  };
}

type AnchorRow = { anchor: typeof talkAnchors.$inferSelect; threadTitle: string; resolution: typeof talkAnchorResolutions.$inferSelect | null };

/** The rows' passages on the current revision: stored, or carried now (and stored). */
async function resolveRows(db: Database, pageId: number, current: { id: number; text: () => Promise<string | null> }, rows: AnchorRow[]): Promise<ResolvedAnchor[]> {
  if (rows.length === 0) return [];
  const missing = rows.filter((r) => r.resolution === null);
  let computed = new Map<number, Base>();
  if (missing.length > 0) {
    // Concurrent first views after an edit share one carrying (one set of worker jobs), not one each.
    const key = `${current.id}:${missing.map((r) => r.anchor.threadId).join(",")}`;
    let pending = carrying.get(key);
    if (!pending) {
      pending = (async () => {
        const currentText = await current.text();
        if (currentText === null) return null;
        const bases = new Map<number, Base>();
        for (const base of await latestResolutions(db, missing.map((r) => r.anchor), current.id)) bases.set(base.threadId, base);
        await carryForward(db, pageId, missing, bases, current.id, currentText);
        return bases;
      })().finally(() => carrying.delete(key));
      carrying.set(key, pending);
    }
    const carried = await pending;
    if (carried === null) return [];
    computed = carried;
  }
  // A passage the worker could not carry just now (a full pool) is left out of this view.
  return rows.flatMap(({ anchor, threadTitle, resolution: stored }) => {
    const fresh = computed.get(anchor.threadId);
    const now = stored
      ? { status: stored.status, start: stored.start, end: stored.end, confidence: stored.confidence, lostAt: stored.lostAtRevisionId }
      : fresh
        ? { ...positionOf(fresh.resolution), status: storedStatus(fresh.resolution), confidence: fresh.resolution.confidence, lostAt: fresh.lostAtRevisionId }
        : null;
    if (!now) return [];
    const placed = (now.status === "anchored" || now.status === "fuzzy") && now.start !== null && now.end !== null;
    const target: AnchorTarget = placed
      ? {
          // Stored resolutions keep positions only; withQuotes() fills the quote from the current text when it is wanted.
          selector: [
            { type: "TextQuoteSelector", exact: "", prefix: "", suffix: "" },
            { type: "TextPositionSelector", start: now.start!, end: now.end! },
          ],
          revisionId: current.id,
        }
      : targetOfAnchor(anchor);
    return [
      {
        threadId: anchor.threadId,
        threadTitle,
        anchorStatus: placed ? (now.status as "anchored" | "fuzzy") : "orphaned",
        target,
        quote: anchor.exact,
        confidence: now.confidence,
        lostAtRevisionId: now.lostAt,
        unplaced: now.status === "unplaced",
      },
    ];
  });
}

/** How a resolution is stored: its status, or `unplaced` when the search gave up. */
function storedStatus(resolution: Resolution): (typeof resolutionStatuses)[number] {
  return resolution.status === "orphaned" && resolution.unplaced ? "unplaced" : resolution.status;
}

function positionOf(resolution: Resolution): { start: number | null; end: number | null } {
  return resolution.status === "orphaned" ? { start: null, end: null } : { start: resolution.start, end: resolution.end };
}

/** Fill the current quote of resolved targets from the current text (stored resolutions keep only positions). */
export function withQuotes(anchors: ResolvedAnchor[], text: string): ResolvedAnchor[] {
  return anchors.map((a) => {
    if (a.anchorStatus === "orphaned" || a.target.selector[0].exact !== "") return a;
    const { start, end } = a.target.selector[1];
    return { ...a, target: targetOf(text, a.target.revisionId, start, end) };
  });
}

/** Each thread's last resolution before `beforeRevision`, or its origin when it has none. */
async function latestResolutions(db: Database, anchors: (typeof talkAnchors.$inferSelect)[], beforeRevision: number): Promise<Base[]> {
  const known = await db
    .selectDistinctOn([talkAnchorResolutions.threadId])
    .from(talkAnchorResolutions)
    .where(and(inArray(talkAnchorResolutions.threadId, anchors.map((a) => a.threadId)), lt(talkAnchorResolutions.revisionId, beforeRevision)))
    .orderBy(talkAnchorResolutions.threadId, desc(talkAnchorResolutions.revisionId));
  const byThread = new Map(known.map((k) => [k.threadId, k]));
  return anchors.map((anchor) => {
    const k = byThread.get(anchor.threadId);
    // Unplaced (a search that gave up) says nothing of where it is: carried again from where the thread began.
    if (!k || k.revisionId < anchor.revisionId || k.status === "unplaced") {
      return { threadId: anchor.threadId, revisionId: anchor.revisionId, resolution: { status: "anchored", start: anchor.start, end: anchor.end, confidence: 1 }, lostAtRevisionId: null };
    }
    const resolution: Resolution =
      k.status === "orphaned" || k.start === null || k.end === null ? { status: "orphaned", confidence: 0 } : { status: k.status, start: k.start, end: k.end, confidence: k.confidence };
    return { threadId: anchor.threadId, revisionId: k.revisionId, resolution, lostAtRevisionId: k.lostAtRevisionId };
  });
}

/**
 * Carry each missing passage from its base revision to the current one, one
 * text comparison per base revision, and store the results. A passage that
 * became orphaned is traced to the revision that removed it by bisecting the
 * revisions in between (a few renders at most).
 */
async function carryForward(
  db: Database,
  pageId: number,
  missing: { anchor: typeof talkAnchors.$inferSelect }[],
  bases: Map<number, Base>,
  currentId: number,
  currentText: string,
) {
  const fetched = new Map<number, string | null>([[currentId, currentText]]);
  const textAt = async (revisionId: number) => {
    if (!fetched.has(revisionId)) {
      const [revision] = await db.select(textColumns).from(revisions).where(eq(revisions.id, revisionId));
      fetched.set(revisionId, revision ? await revisionText(db, revision, { old: true }) : null);
    }
    return fetched.get(revisionId) ?? null;
  };
  // One worker job per base revision: its text and the current one compared once for all its passages.
  const groups = new Map<number, (typeof talkAnchors.$inferSelect)[]>();
  for (const { anchor } of missing) {
    const baseRevision = bases.get(anchor.threadId)!.revisionId;
    groups.set(baseRevision, [...(groups.get(baseRevision) ?? []), anchor]);
  }
  const quoteOf = (anchor: typeof talkAnchors.$inferSelect): Quote => ({ exact: anchor.exact, prefix: anchor.prefix, suffix: anchor.suffix });
  const rows: (typeof talkAnchorResolutions.$inferInsert)[] = [];
  for (const [baseRevision, anchors] of groups) {
    const before = await textAt(baseRevision);
    // A base revision that cannot be rendered any more: its passages can only be looked for by their quotes.
    const items = anchors.map((anchor) => ({ quote: quoteOf(anchor), from: before === null ? ORPHANED : bases.get(anchor.threadId)!.resolution }));
    const resolutions = await carryInWorker(before ?? "", currentText, items);
    if (!resolutions) {
      for (const anchor of anchors) bases.delete(anchor.threadId);
      continue;
    }
    // Passages this comparison orphaned: traced to the edits that removed them, all of them in one bisection.
    const lost = before === null ? [] : anchors.filter((anchor, i) => isGone(resolutions[i]!) && bases.get(anchor.threadId)!.resolution.status !== "orphaned");
    const removedAt =
      lost.length === 0 ? new Map<number, number>() : await revisionsThatRemoved(db, pageId, baseRevision, lost.map((anchor) => ({ threadId: anchor.threadId, quote: quoteOf(anchor), from: bases.get(anchor.threadId)!.resolution })), before!, currentId, textAt);
    for (const [i, anchor] of anchors.entries()) {
      const base = bases.get(anchor.threadId)!;
      const resolution = resolutions[i]!;
      const lostAt = isGone(resolution) ? (removedAt.get(anchor.threadId) ?? base.lostAtRevisionId) : null;
      bases.set(anchor.threadId, { ...base, resolution, lostAtRevisionId: lostAt });
      rows.push({
        threadId: anchor.threadId,
        revisionId: currentId,
        status: storedStatus(resolution),
        start: resolution.status === "orphaned" ? null : resolution.start,
        end: resolution.status === "orphaned" ? null : resolution.end,
        confidence: resolution.confidence,
        lostAtRevisionId: lostAt,
      });
    }
  }
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.insert(talkAnchorResolutions).values(rows).onConflictDoNothing();
    // Only a passage's latest resolution is ever read again (an orphan's carries the revision that removed it): the table
    // holds about one row per thread, not one per thread and revision.
    await tx.delete(talkAnchorResolutions).where(
      and(
        inArray(
          talkAnchorResolutions.threadId,
          rows.map((r) => r.threadId),
        ),
        lt(talkAnchorResolutions.revisionId, currentId),
      ),
    );
  });
}

/** The most revisions one view renders and compares to trace the passages one edit orphaned (a bisection of 4096 revisions is 12). */
export const MAX_REMOVAL_PROBES = 16;

/**
 * For each passage gone between `baseRevision` and the current one, the first
 * revision in between on which it is gone (bisecting: edits rarely bring a
 * passage back). The passages share their probes: each revision probed is
 * rendered once and compared with the base once for all of them, and at most
 * MAX_REMOVAL_PROBES revisions are probed, however many passages an edit
 * orphaned; a passage still not pinned down then gets the earliest revision
 * known to lack it.
 */
async function revisionsThatRemoved(
  db: Database,
  pageId: number,
  baseRevision: number,
  items: { threadId: number; quote: Quote; from: Resolution }[],
  baseText: string,
  currentId: number,
  textAt: (id: number) => Promise<string | null>,
): Promise<Map<number, number>> {
  const between = (
    await db
      .select({ id: revisions.id })
      .from(revisions)
      .where(and(eq(revisions.pageId, pageId), gt(revisions.id, baseRevision), lte(revisions.id, currentId)))
      .orderBy(asc(revisions.id))
      .limit(4096)
  ).map((r) => r.id);
  const probes = new Map<number, boolean[] | null>();
  /** Which passages are gone on between[index] (one job for all of them), or null past the budget. */
  const probe = async (index: number): Promise<boolean[] | null> => {
    if (!probes.has(index)) {
      if (probes.size >= MAX_REMOVAL_PROBES) return null;
      const text = await textAt(between[index]!);
      const carried = text === null ? null : await carryInWorker(baseText, text, items.map(({ quote, from }) => ({ quote, from })));
      probes.set(
        index,
        // A probe whose search gave up does not say the passage was gone there.
        items.map((_, i) => !carried || (carried[i] !== undefined && isGone(carried[i]))),
      );
    }
    return probes.get(index)!;
  };
  const removedAt = new Map<number, number>();
  for (const [i, item] of items.entries()) {
    let lo = 0;
    let hi = between.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const gone = await probe(mid);
      if (!gone) break;
      if (gone[i]) hi = mid;
      else lo = mid + 1;
    }
    removedAt.set(item.threadId, between[hi] ?? currentId);
  }
  return removedAt;
}

/** Threads whose passage an edit between two revisions of a page removed (for the diff view), from the resolutions known. */
export async function orphanedBetween(db: Database, pageId: number, fromRevision: number, toRevision: number): Promise<{ threadId: number; threadTitle: string; quote: string; lostAtRevisionId: number }[]> {
  const rows = await db
    .selectDistinctOn([talkAnchorResolutions.threadId], {
      threadId: talkAnchorResolutions.threadId,
      threadTitle: talkThreads.title,
      quote: talkAnchors.exact,
      lostAtRevisionId: talkAnchorResolutions.lostAtRevisionId,
    })
    .from(talkAnchorResolutions)
    .innerJoin(talkThreads, eq(talkThreads.id, talkAnchorResolutions.threadId))
    .innerJoin(talkAnchors, eq(talkAnchors.threadId, talkAnchorResolutions.threadId))
    .where(
      and(
        eq(talkThreads.pageId, pageId),
        gt(talkAnchorResolutions.lostAtRevisionId, fromRevision),
        lte(talkAnchorResolutions.lostAtRevisionId, toRevision),
        firstPostVisible(talkThreads.id),
        sql`${talkAnchorResolutions.status} = 'orphaned'`,
      ),
    )
    .orderBy(talkAnchorResolutions.threadId);
  return rows.map((r) => ({ ...r, lostAtRevisionId: r.lostAtRevisionId! }));
}

/** The passages of a page's discussions on its latest revision, each target with its current quote (for the JSON API). */
export async function currentPageAnchors(db: Database, page: { id: number; latestRevisionId: number | null }, options: { quotes?: boolean } = {}): Promise<ResolvedAnchor[]> {
  if (page.latestRevisionId === null) return [];
  const [revision] = await db.select(textColumns).from(revisions).where(eq(revisions.id, page.latestRevisionId));
  if (!revision) return [];
  let text: Promise<string | null> | undefined;
  const textOnce = () => (text ??= revisionText(db, revision));
  const { anchors } = await resolvePageAnchors(db, page.id, { id: revision.id, text: textOnce });
  if (anchors.length === 0 || options.quotes === false) return anchors;
  const current = await textOnce();
  return current === null ? anchors : withQuotes(anchors, current);
}

/**
 * Discussions whose passage an edit between `from` and `to` removed, for the
 * diff view. The passages are resolved on the latest revision first (stored,
 * so usually one query), which traces each orphan to its edit.
 */
export async function orphanedByEdits(db: Database, page: { id: number; latestRevisionId: number | null }, from: number, to: number) {
  const anchors = await currentPageAnchors(db, page, { quotes: false });
  if (!anchors.some((a) => a.anchorStatus === "orphaned")) return [];
  return orphanedBetween(db, page.id, from, to);
}
