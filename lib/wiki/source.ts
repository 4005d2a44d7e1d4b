import "server-only";
import { createHash } from "node:crypto";
import type { ContentIssue } from "@/lib/errors";
import { validateInWorker } from "@/lib/workers/mdx-jobs";
import { parseFrontMatter, type PageFields } from "./front-matter";

export type ParsedSource = {
  fields: PageFields;
  body: string;
  links: string[];
  sha256: string;
  length: number;
};

/**
 * Everything a save needs from a page's source: validated front matter, the
 * allowlisted body, outgoing links, hash and size. Issues carry file lines.
 */
export async function parseSource(content: string): Promise<{ ok: true; value: ParsedSource } | { ok: false; issues: ContentIssue[] }> {
  const front = parseFrontMatter(content);
  if (!front.ok) return { ok: false, issues: front.issues };
  const { body, bodyLineOffset } = front.split;
  const checked = await validateInWorker(body, bodyLineOffset);
  if (!checked.ok) return { ok: false, issues: [{ line: 1, column: 1, rule: "check-failed", message: checked.message }] };
  if (checked.issues.length > 0) return { ok: false, issues: checked.issues };
  return {
    ok: true,
    value: {
      fields: front.fields,
      body,
      links: checked.links,
      sha256: createHash("sha256").update(content).digest("hex"),
      length: Buffer.byteLength(content, "utf8"),
    },
  };
}

/** Plain words of a body for the search index: markup and component tags dropped. */
export function searchableText(body: string): string {
  return body
    .replace(/<\/?[A-Z][^>]*>/g, " ")
    .replace(/\[\[([^\]|]+)\|([^\]]+)\]\]/g, "$1 $2")
    .replace(/\[\[([^\]]+)\]\]/g, "$1")
    .replace(/[#>*_`~[\]()|-]+/g, " ");
}
