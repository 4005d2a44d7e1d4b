import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listExportJobs, type ExportJobView } from "@/lib/data/export-jobs";
import { AppError } from "@/lib/errors";
import { ExportForm } from "./export-form";

export const metadata: Metadata = { title: "Data" };

function progressOf(job: ExportJobView): string {
  const unit = job.format === "git" ? "revisions" : "pages";
  if (job.status === "failed") return job.error ?? "Failed.";
  if (job.status === "done") return `${job.done.toLocaleString("en")} ${unit}${job.bytes !== null ? `, ${(job.bytes / 1024 / 1024).toFixed(1)} MB` : ""}`;
  return job.total ? `${job.done.toLocaleString("en")} of ${job.total.toLocaleString("en")} ${unit}` : "Starting…";
}

export default async function AdminDataPage() {
  const actor = await currentActor();
  if (!actor) redirect("/signin?callbackUrl=/admin/data");
  let jobs: ExportJobView[];
  try {
    jobs = await listExportJobs(getDb(), actor);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <>
        <h1>Data</h1>
        <p role="alert">Only administrators may export the wiki.</p>
      </>
    );
  }
  const running = jobs.some((j) => j.status === "running");
  return (
    <>
      {/* While an export runs the page reads itself again every few seconds, without script. */}
      {running ? <meta httpEquiv="refresh" content="3" /> : null}
      <h1>Data</h1>
      <p>
        Export every page with its full history, as MediaWiki XML (version 0.11, with talk pages) or as a git repository (one MDX file per page, one commit per
        revision; download the bundle and <code>git clone</code> it). Backups, restores and imports are run by the operator with <code>npm run admin</code>.
      </p>
      <ExportForm />
      <h2>Exports</h2>
      {jobs.length === 0 ? (
        <p>No exports yet.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Export</th>
              <th scope="col">Format</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Started</th>
              <th scope="col">File</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td>{job.id}</td>
                <td>{job.format === "git" ? "git" : "MediaWiki XML"}</td>
                <td>{job.status}</td>
                <td>
                  {job.status === "running" && job.total ? <progress value={job.done} max={job.total} aria-label={`Export ${job.id}`} /> : null} {progressOf(job)}
                </td>
                <td>
                  <time dateTime={job.createdAt.toISOString()}>{job.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                </td>
                <td>{job.status === "done" ? <a href={`/api/admin/exports/${job.id}/file`}>Download</a> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
