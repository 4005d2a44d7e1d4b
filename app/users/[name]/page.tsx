import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { connection } from "next/server";
import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getUserByName, listContributions } from "@/lib/users/contributions";
import { pagePath } from "@/lib/wiki/title";
import { parseId } from "@/lib/ids";
import { decodeSegment, hasControl } from "@/lib/text";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const decode = (raw: string) => decodeSegment(raw) ?? raw;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Contributions of ${decode((await params).name)}` };
}

export default async function UserContributions({ params, searchParams }: Props) {
  await connection();
  const name = decode((await params).name);
  const beforeRaw = (await searchParams).before;
  const before = parseId(beforeRaw) ?? undefined;
  // Names never contain control characters (and PostgreSQL refuses NUL in text): such an address names nobody.
  if (hasControl(name) || name.length > 200) notFound();
  const db = getDb();
  const user = await getUserByName(db, name);
  if (!user) {
    // /users/Ada_Newcomer, as wiki addresses spell spaces: the member named "Ada Newcomer", at their own address.
    const spaced = name.includes("_") ? await getUserByName(db, name.replace(/_/g, " ")) : null;
    // The page of older contributions keeps its place (?before=) on the way.
    if (spaced) permanentRedirect(`/users/${encodeURIComponent(spaced.name)}${before !== undefined ? `?before=${before}` : ""}`);
    notFound();
  }
  // Edits of deleted pages are shown to those who may read deleted pages (moderators) only.
  const includeDeleted = can(await currentActor(), "read", { page: { protection: "none", deleted: true } });
  const rows = await listContributions(db, user.id, { before, limit: 50, includeDeleted });
  const last = rows.at(-1);
  return (
    <>
      <h1>Contributions of {user.name}</h1>
      {rows.length === 0 ? <p>No edits yet.</p> : null}
      <ol className="contributions">
        {rows.map((r) => (
          <li key={r.revisionId}>
            <time dateTime={r.createdAt.toISOString()}>{r.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time>{" "}
            <Link href={`${pagePath(r.slug)}?rev=${r.revisionId}`}>{r.title}</Link>
            {r.isMinor ? <abbr title="minor edit"> m</abbr> : null} ({r.length} bytes){r.summary ? <> — <em>{r.summary}</em></> : null}
          </li>
        ))}
      </ol>
      {rows.length === 50 && last ? <Link href={`/users/${encodeURIComponent(user.name)}?before=${last.revisionId}`}>Older contributions</Link> : null}
    </>
  );
}
