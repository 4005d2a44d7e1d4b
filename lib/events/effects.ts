import "server-only";
import type { Database } from "@/lib/db/client";
import { purgeFeeds } from "@/lib/feeds/feed-cache";
import { wakeMailLoop } from "@/lib/mail/mail-loop";
import { purgeEverything, purgeLinkersOf, purgeMedia, purgePages, purgePagesEditedBy, purgePagesOfPosts } from "@/lib/http/purge";
import { forgetBlob } from "@/lib/media/media-cache";
import { pagePath } from "@/lib/wikitext/title";
import { FILE_PREFIX } from "@/lib/wikitext/title";
import type { DomainEvent } from "./events";

/**
 * The one map from domain events to their effects on caches. Commands emit;
 * nothing else purges. Purges never fail the write that caused them (it has
 * committed): lib/http/purge.ts empties this server's cache instead.
 */
export async function publish(db: Database, events: readonly DomainEvent[]): Promise<void> {
  // The mail loop sends after commit; it never fails the write (lib/mail/delivery.ts).
  // Saves and posts may have made notifications to mail.
  if (events.some((e) => e.type === "mail.queued" || e.type === "page.saved" || e.type === "talk.posted")) wakeMailLoop();
  // Feeds list edits, page actions and talk posts with names and titles: this server's copies go (others expire in a minute).
  if (events.some(changesFeeds)) purgeFeeds();
  if (events.some(purgesEverything)) {
    await purgeEverything(db);
    return;
  }
  const slugs = new Set<string>();
  let overview = false;
  const postIds: number[] = [];
  for (const event of events) {
    switch (event.type) {
      case "page.saved":
        // This page, pages whose backlinks (or red links) changed, and the overview only when
        // what it lists of the page changed (a new page, its kind, dimension, sides or tags); unknown counts as changed.
        slugs.add(event.slug);
        for (const slug of event.linksChanged) slugs.add(slug);
        if (event.created || event.listingChanged !== false) overview = true;
        // A new page turns red links blue; a file page's new revision (upload, revert, hidden) changes the pages that show the file.
        if (event.created || event.slug.startsWith(FILE_PREFIX)) await purgeLinkersOf(db, event.slug);
        break;
      case "file.visibility-changed":
        // This server's copies of the bytes first (so no miss of the front refills from them), then the
        // fronts' copies (IPC here, NOTIFY elsewhere), and the file page and the pages that show the file.
        forgetBlob(event.sha256);
        await purgeMedia(db, event.sha256);
        slugs.add(event.slug);
        await purgeLinkersOf(db, event.slug);
        break;
      case "page.protected":
      case "page.rated":
      case "talk.thread-changed":
        // A page's protection, rating box or discussion counts show on its cached view.
        slugs.add(event.slug);
        break;
      case "talk.posted":
        // A post held for moderation changes nothing a reader sees: purging for it would let
        // anyone empty the cache of any page at will (and send its readers to the application).
        if (!event.held) slugs.add(event.slug);
        break;
      case "talk.posts-changed":
        postIds.push(...event.postIds);
        break;
      case "user.renamed":
        // Names appear in the contributors, histories and diffs of the pages the user edited.
        await purgePagesEditedBy(db, event.userId);
        break;
      case "page.watched":
      case "talk.followed":
      case "talk.mention-moderated":
      case "mail.queued":
      case "user.changed":
      case "user.blocked":
      case "page.deleted":
      case "page.restored":
      case "page.renamed":
      case "wiki.imported":
        break;
    }
  }
  if (slugs.size > 0) await purgePages(db, slugs, { overview });
  if (postIds.length > 0) await purgePagesOfPosts(db, postIds);
}

function changesFeeds(event: DomainEvent): boolean {
  switch (event.type) {
    case "talk.posted":
      return !event.held;
    case "page.watched":
    case "page.rated":
    case "file.visibility-changed":
    case "talk.followed":
    case "talk.mention-moderated":
    case "mail.queued":
    case "user.changed":
      return false;
    default:
      return true;
  }
}

function purgesEverything(event: DomainEvent): boolean {
  return (
    event.type === "page.deleted" ||
    event.type === "page.restored" ||
    event.type === "page.renamed" ||
    event.type === "wiki.imported" ||
    // A block hides every post of the user, on any page; lifting it brings their threads' passage marks back.
    event.type === "user.blocked"
  );
}

/**
 * The app paths whose server-rendered data an event changes, for Next.js's
 * revalidation after a server action (the router then shows fresh data).
 */
export function pathsFor(event: DomainEvent): string[] {
  switch (event.type) {
    case "page.saved":
    case "page.protected":
    case "page.deleted":
    case "page.restored":
    case "page.rated":
    case "page.watched":
    case "file.visibility-changed":
      return [pagePath(event.slug), pagePath(event.slug, "/history")];
    case "page.renamed":
      return [pagePath(event.from), pagePath(event.to)];
    case "talk.posted":
    case "talk.thread-changed":
    case "talk.followed":
      return [pagePath(event.slug, "/talk")];
    case "talk.posts-changed":
    case "talk.mention-moderated":
      return ["/moderation"];
    case "user.blocked":
      return ["/moderation", "/admin/users"];
    case "user.renamed":
    case "user.changed":
      return ["/profile", "/admin/users"];
    case "wiki.imported":
      return ["/"];
    case "mail.queued":
      return [];
  }
}
