import Link from "next/link";
import { getDb } from "@/lib/db";
import { formatDuration, isoDuration, mediaPath } from "@/lib/media/file-types";
import { getFileInfo } from "@/lib/wiki/file-info";
import { pagePath } from "@/lib/wiki/title";

type Props = { pageId: number; slug: string; title: string; sha256: string; licence: string; source: string; backlinks: { slug: string; title: string }[] };

const sizeOf = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} bytes`);
const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

/**
 * A file page's file: a preview, its facts (type, size, dimensions or
 * duration, who uploaded it, licence, source), its file history with links to revert, and
 * the pages that use it. Shared by every reader (no session read): the page
 * cache may keep it.
 */
export async function FileDetails({ pageId, slug, title, sha256, licence, source, backlinks }: Props) {
  const { blob, uploader, uploads } = await getFileInfo(getDb(), pageId, sha256);
  const path = mediaPath(sha256, title);
  const hidden = !blob || blob.hiddenAt !== null;
  return (
    <section className="file-details" aria-labelledby="file-heading">
      <h2 id="file-heading" className="visually-hidden">
        File
      </h2>
      <div className="file-preview">
        {hidden ? (
          <p role="note">This file was hidden by a moderator.</p>
        ) : blob.mime.startsWith("image/") ? (
          // eslint-disable-next-line @next/next/no-img-element -- the stored file itself, at its own size
          <img src={path} alt={`The file ${title}`} width={blob.width ?? undefined} height={blob.height ?? undefined} decoding="async" />
        ) : blob.mime.startsWith("audio/") ? (
          <audio src={path} controls preload="none" />
        ) : blob.mime.startsWith("video/") ? (
          <video src={path} controls preload="metadata" width={blob.width ?? undefined} height={blob.height ?? undefined} />
        ) : null}
        {hidden ? null : (
          <p>
            <a href={path}>{blob.mime === "application/pdf" ? "Download the file" : "Open the file"}</a>
          </p>
        )}
      </div>
      <dl className="file-facts">
        {blob ? (
          <>
            <dt>Type</dt>
            <dd>{blob.mime}</dd>
            <dt>Size</dt>
            <dd>{sizeOf(blob.size)}</dd>
            {blob.width && blob.height ? (
              <>
                <dt>Dimensions</dt>
                <dd>{`${blob.width} × ${blob.height} pixels`}</dd>
              </>
            ) : null}
            {blob.durationSeconds ? (
              <>
                <dt>Duration</dt>
                <dd>
                  <time dateTime={isoDuration(blob.durationSeconds)}>{formatDuration(blob.durationSeconds)}</time>
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        <dt>Uploaded by</dt>
        <dd>{uploader ? <Link href={`/users/${encodeURIComponent(uploader)}`}>{uploader}</Link> : "Unknown"}</dd>
        <dt>Licence</dt>
        <dd>{licence}</dd>
        <dt>Source</dt>
        <dd>{source}</dd>
      </dl>
      <h2 id="file-history-heading">File history</h2>
      {uploads.length > 0 ? (
        <table aria-labelledby="file-history-heading">
          <thead>
            <tr>
              <th scope="col">Uploaded</th>
              <th scope="col">By</th>
              <th scope="col">File</th>
              <th scope="col">Revision</th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((u) => (
              <tr key={u.revisionId}>
                <td>{when(u.createdAt)}</td>
                <td>{u.uploader}</td>
                <td>
                  {u.hidden ? (
                    "Hidden by a moderator"
                  ) : (
                    <a href={mediaPath(u.sha256, title)}>{`${u.mime}, ${sizeOf(u.size)}${u.width && u.height ? `, ${u.width} × ${u.height}` : ""}`}</a>
                  )}
                  {u.sha256 === sha256 ? " (shown)" : ""}
                </td>
                <td>
                  <Link href={`${pagePath(slug)}?rev=${u.revisionId}`}>View</Link> ·{" "}
                  <Link href={`${pagePath(slug, "/history")}`}>Revert from history</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No uploads are recorded for this page.</p>
      )}
      <h2 id="file-usage-heading">Pages that use this file</h2>
      {backlinks.length > 0 ? (
        <ul aria-labelledby="file-usage-heading">
          {backlinks.map((b) => (
            <li key={b.slug}>
              <Link href={pagePath(b.slug)}>{b.title}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>No page uses this file yet.</p>
      )}
    </section>
  );
}
