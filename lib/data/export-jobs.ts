import "server-only";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { authorize, type Actor } from "@/lib/auth/policy";
import { rawSql, type Database } from "@/lib/db/client";
import { dataJobs, type DataJob } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { writeGitExport } from "./git-export";
import { writeMediawikiExport } from "./mediawiki-export";

/** A running job not heard from for this long died with its process. */
const STALE_MS = 2 * 60_000;
/** Progress is written at most this often. */
const PROGRESS_MS = 1000;
const LISTED = 20;

export type ExportJobView = Pick<DataJob, "id" | "format" | "status" | "done" | "total" | "bytes" | "error" | "createdAt" | "finishedAt">;

/** Where finished exports wait to be downloaded: the data directory's exports/. */
export function exportsDir(): string {
  return path.resolve(env().PROPAGATE_DATA_DIR, "exports");
}

function view(job: DataJob): ExportJobView {
  return { id: job.id, format: job.format, status: job.status, done: job.done, total: job.total, bytes: job.bytes, error: job.error, createdAt: job.createdAt, finishedAt: job.finishedAt };
}

/** Mark jobs whose process ended without finishing them as failed. */
async function failStale(db: Database): Promise<void> {
  await db
    .update(dataJobs)
    .set({ status: "failed", error: "The server stopped while this export ran.", finishedAt: sql`now()` })
    .where(and(eq(dataJobs.status, "running"), lt(dataJobs.updatedAt, new Date(Date.now() - STALE_MS))));
}

/** The latest export jobs, newest first (administrators only). */
export async function listExportJobs(db: Database, actor: Actor): Promise<ExportJobView[]> {
  authorize(actor, "administer");
  await failStale(db);
  return (await db.select().from(dataJobs).orderBy(desc(dataJobs.id)).limit(LISTED)).map(view);
}

/** One export job and, when it is done, the path of its file (administrators only). */
export async function exportJobFile(db: Database, actor: Actor, id: number): Promise<{ job: ExportJobView; file: string | null }> {
  authorize(actor, "administer");
  const [job] = await db.select().from(dataJobs).where(eq(dataJobs.id, id));
  if (!job) throw new AppError("not_found:job", `There is no export ${id}.`);
  return { job: view(job), file: job.status === "done" && job.file && isExportFile(job.file) ? job.file : null };
}

/**
 * Whether a job's file is one this wiki wrote: a file directly in exportsDir().
 * The path is a row, and rows come back from backups (another server's data
 * directory, or a file edited to name /etc/shadow): the download serves only
 * what an export wrote here.
 */
function isExportFile(file: string): boolean {
  const resolved = path.resolve(file);
  return path.dirname(resolved) === exportsDir() && /^propagate-\d+\.(?:xml|bundle)$/.test(path.basename(resolved));
}

/**
 * Create an export job; one runs at a time (an export reads the whole wiki: two
 * at once would only halve each other's speed). The caller starts it.
 */
export async function createExportJob(db: Database, format: "mediawiki" | "git", requestedBy: string | null): Promise<DataJob> {
  await failStale(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('propagate.data_jobs'))`);
    const [running] = await tx.select({ id: dataJobs.id }).from(dataJobs).where(eq(dataJobs.status, "running")).limit(1);
    if (running) throw new AppError("conflict:data", `Export ${running.id} is still running; wait for it to finish.`);
    const [job] = await tx.insert(dataJobs).values({ kind: "export", format, requestedBy }).returning();
    return job!;
  });
}

async function gitBundle(repo: string, file: string): Promise<void> {
  const child = spawn("git", ["bundle", "create", "--quiet", file, "--all"], { cwd: repo, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`git bundle failed: ${stderr.trim()}`);
}

/**
 * Run an export job to its end, writing its progress (at most once a second)
 * and then its file: the XML, or the git repository as a bundle (`git clone
 * FILE`). The work streams in small batches, each an await on the database or
 * the disk, so the server's event loop is never held for long.
 */
export async function runExportJob(db: Database, job: DataJob, siteOrigin: string): Promise<void> {
  let last = 0;
  const progress = (done: number, total: number) => {
    const now = Date.now();
    if (now - last < PROGRESS_MS) return;
    last = now;
    void db
      .update(dataJobs)
      .set({ done, total, updatedAt: sql`now()` })
      .where(eq(dataJobs.id, job.id))
      .catch(() => undefined);
  };
  const dir = exportsDir();
  try {
    await mkdir(dir, { recursive: true });
    let file: string;
    let done: number;
    if (job.format === "git") {
      const work = await mkdtemp(path.join(dir, `export-${job.id}-`));
      try {
        const outcome = await writeGitExport(rawSql(db), work, (p) => progress(p.revisions, p.totalRevisions));
        file = path.join(dir, `propagate-${job.id}.bundle`);
        if (outcome.revisions === 0) throw new AppError("conflict:data", "The wiki has no revisions to export.");
        await gitBundle(work, file);
        done = outcome.revisions;
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    } else {
      file = path.join(dir, `propagate-${job.id}.xml`);
      const out = createWriteStream(file);
      const outcome = await writeMediawikiExport(rawSql(db), out, { siteName: "Propagate", base: `${siteOrigin}/`, onProgress: (p) => progress(p.pages, p.totalPages) });
      out.end();
      await finished(out);
      done = outcome.pages;
    }
    const { size } = await stat(file);
    await db.update(dataJobs).set({ status: "done", done, total: done, file, bytes: size, updatedAt: sql`now()`, finishedAt: sql`now()` }).where(eq(dataJobs.id, job.id));
  } catch (error) {
    console.error(`Export ${job.id} failed:`, error);
    const message = error instanceof AppError ? error.message : "The export failed; the server's log says why.";
    await db
      .update(dataJobs)
      .set({ status: "failed", error: message, updatedAt: sql`now()`, finishedAt: sql`now()` })
      .where(eq(dataJobs.id, job.id))
      .catch(() => undefined);
  }
}
