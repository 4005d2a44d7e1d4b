import type { PostResult } from "@/lib/commands/talk/post-fields";

/** A talk post as the JSON API shows it after posting. */
export function postJson(result: PostResult) {
  return { id: result.postId, parentId: result.parentId, html: result.html };
}
