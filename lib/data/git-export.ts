import "server-only";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readdir } from "node:fs/promises";
import type postgres from "postgres";
import { AppError } from "@/lib/errors";

const REVISION_BATCH = 50;

export type GitExportProgress = { revisions: number; totalRevisions: number };

type Row = { id: number; slug: string; created_at: string; author: string; summary: string; title: string; content: string };

/** A name git accepts in an ident line (no angle brackets, no line breaks). */
function identName(name: string): string {
  const clean = name.replace(/[<>\n\r]/g, "").trim();
  return clean || "Unknown";
}

/**
 * The file a page's source lives in: its slug (as in /wiki/SLUG) with .mdx, in a
 * folder named by the slug's first letter or digit (`A/Adoption.mdx`). A commit
 * rewrites the trees on its file's path, so one flat folder of 10,000 files made
 * every commit write a 10,000-entry tree (100,000 revisions took seven minutes);
 * a folder per initial keeps each tree to a few hundred entries.
 */
export function pageFile(slug: string): string {
  const name =
    slug
      .split("/")
      .filter((part) => part !== "" && part !== "." && part !== "..")
      .map(safePathPart)
      .join("/") || "_";
  const first = String.fromCodePoint(name.codePointAt(0)!);
  const folder = /^[\p{L}\p{N}]$/u.test(first) ? first.toUpperCase() : "_";
  return `${folder}/${name}.mdx`;
}

/**
 * A path part git checks out: git refuses ".git" anywhere in a path (and, to
 * protect NTFS, ".git " or "git~1", with trailing dots and spaces or a ":"),
 * so a page titled "Notes/.git/config" would stop the whole export at
 * checkout. Such a part, also after leading "~"s, gets one more "~" in front
 * (".git" is written "~.git", "~.git" "~~.git"), so no two pages share a file.
 */
function safePathPart(part: string): string {
  let tildes = 0;
  while (part[tildes] === "~") tildes++;
  return /^(?:\.git|git~1)[. ]*(?::|$)/i.test(part.slice(tildes)) ? `~${part}` : part;
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`git ${args[0]} failed: ${stderr.trim()}`);
}

/**
 * Write the wiki's history as a git repository in `dir` (new or empty): one
 * MDX file per page (see pageFile), one commit per revision in the order they were saved,
 * with the author's name, the revision's time and its summary as the message.
 * Commits stream into `git fast-import` batch by batch, so neither the wiki nor
 * the repository is ever held in memory. Author emails are left out (`<>`):
 * a public history must not publish people's addresses.
 */
export async function writeGitExport(sql: postgres.Sql, dir: string, onProgress?: (p: GitExportProgress) => void): Promise<GitExportProgress> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new AppError("invalid:input", `The directory ${dir} is not empty; export into a new or empty directory.`);
  await run("git", ["init", "--quiet", "--initial-branch=main", "."], dir);
  const [bounds] = await sql<{ max_rev: number; total: number }[]>`
    select coalesce(max(r.id), 0)::int as max_rev, count(*)::int as total
    from revisions r join pages p on p.id = r.page_id where p.deleted_at is null`;
  const maxRev = bounds?.max_rev ?? 0;
  const progress: GitExportProgress = { revisions: 0, totalRevisions: bounds?.total ?? 0 };
  const importer = spawn("git", ["fast-import", "--quiet", "--done"], { cwd: dir, stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  importer.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const closed = once(importer, "close") as Promise<[number | null]>;
  const write = async (chunk: string | Buffer) => {
    if (!importer.stdin.write(chunk)) await Promise.race([once(importer.stdin, "drain"), closed]);
  };
  try {
    let after = 0;
    for (;;) {
      const rows = await sql<Row[]>`
        select r.id, p.slug, floor(extract(epoch from r.created_at))::int8::text as created_at, u.name as author, r.summary, r.title, r.content
        from revisions r join pages p on p.id = r.page_id join users u on u.id = r.author_id
        where r.id > ${after} and r.id <= ${maxRev} and p.deleted_at is null
        order by r.id limit ${REVISION_BATCH}`;
      if (rows.length === 0) break;
      for (const r of rows) {
        after = r.id;
        const when = `${r.created_at} +0000`;
        const ident = `${identName(r.author)} <> ${when}`;
        const message = Buffer.from(`${r.summary.trim() || `Edit ${r.title}`}\n`, "utf8");
        const content = Buffer.from(r.content, "utf8");
        await write(`commit refs/heads/main\nauthor ${ident}\ncommitter ${ident}\ndata ${message.length}\n`);
        await write(message);
        await write(`M 100644 inline ${pageFile(r.slug)}\ndata ${content.length}\n`);
        await write(content);
        await write("\n");
        progress.revisions++;
      }
      onProgress?.({ ...progress });
    }
    await write("done\n");
    importer.stdin.end();
  } catch (error) {
    importer.kill();
    throw error;
  }
  const [code] = await closed;
  if (code !== 0) throw new Error(`git fast-import failed: ${stderr.trim()}`);
  if (progress.revisions > 0) await run("git", ["checkout", "--quiet", "--force", "main"], dir);
  return progress;
}
