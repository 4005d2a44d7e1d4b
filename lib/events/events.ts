/**
 * What happened, as commands report it after their transaction committed.
 * Effects (page-cache purges, Next.js revalidation; later notifications and
 * mail) follow from these in one place each: lib/events/effects.ts.
 */
export type DomainEvent =
  /**
   * A revision was saved. `linksChanged`: pages whose backlinks or red links
   * changed with it. `listingChanged`: whether what the overview lists of the
   * page (kind, dimension, both sides, tags) changed; absent means unknown.
   */
  | { type: "page.saved"; slug: string; created: boolean; linksChanged: string[]; listingChanged?: boolean }
  | { type: "page.protected"; slug: string }
  /** Deleting, restoring and renaming change links (red, blue, redirects) anywhere. */
  | { type: "page.deleted"; slug: string }
  | { type: "page.restored"; slug: string }
  | { type: "page.renamed"; from: string; to: string }
  | { type: "page.rated"; slug: string }
  | { type: "page.watched"; slug: string }
  /** A moderator hid a file revision's bytes, or showed them again: every copy of them in any cache goes. */
  | { type: "file.visibility-changed"; slug: string; sha256: string; hidden: boolean }
  /** A thread was started or a post written (visible or held). */
  | { type: "talk.posted"; slug: string; threadId: number; postId: number; held: boolean }
  /** Posts' visibility changed (an edit held for review, moderation). */
  | { type: "talk.posts-changed"; postIds: number[] }
  | { type: "talk.thread-changed"; slug: string; threadId: number }
  | { type: "talk.followed"; slug: string }
  | { type: "talk.mention-moderated"; mentionId: number }
  /** A blocked spammer's posts were all hidden. */
  | { type: "user.blocked"; userId: string; blocked: boolean }
  | { type: "user.renamed"; userId: string }
  | { type: "user.changed"; userId: string }
  /** Mail was put in the outbox (lib/mail/outbox.ts): this server's mail loop looks at once. */
  | { type: "mail.queued" }
  /** Content was imported in bulk (npm run seed). */
  | { type: "wiki.imported" };

export type DomainEventType = DomainEvent["type"];
