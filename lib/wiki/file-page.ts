import { stringify } from "yaml";
import type { MediaCategory } from "@/lib/media/file-types";
import type { Title } from "@/lib/wikitext/title";
import { joinFrontMatter, setField } from "./front-matter";

/** What a file page says it is when its uploader wrote no description. */
const categoryNoun: Record<MediaCategory, string> = {
  image: "A picture",
  audio: "An audio recording",
  video: "A video",
  document: "A PDF document",
  captions: "WebVTT captions",
};

export type FileFacts = { sha256: string; category: MediaCategory; description?: string; licence?: string; source?: string };

/** The source of a new file page: front matter pointing at the blob, the description as its body. */
export function newFilePageSource(title: Title, facts: FileFacts): string {
  const description = facts.description?.trim() ?? "";
  const firstLine = description.split("\n", 1)[0]!.replace(/[#*_`[\]<>{}]/g, "").trim().slice(0, 500);
  const yaml = stringify(
    {
      title: title.title,
      kind: "file",
      summary: firstLine || `${categoryNoun[facts.category]} uploaded to the wiki.`,
      file: facts.sha256,
      licence: facts.licence || "Not stated",
      source: facts.source || "Not stated",
      tags: [],
      sources: [],
    },
    { lineWidth: 0 },
  );
  return joinFrontMatter(yaml, description ? `\n${description}\n` : "");
}

/** A file page's source after a new upload: the same description and fields, the new blob (and licence or source, when given). */
export function reuploadedSource(previous: string, facts: FileFacts): string {
  let source = setField(previous, "file", facts.sha256);
  if (facts.licence) source = setField(source, "licence", facts.licence);
  if (facts.source) source = setField(source, "source", facts.source);
  return source;
}
