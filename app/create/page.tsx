import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pagePath, parseTitle, TitleError } from "@/lib/wiki/title";
import { TitleCombobox } from "../_components/title-combobox";

export const metadata: Metadata = { title: "Create a page", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * "Create page" from the header: ask for a title (suggesting existing pages
 * as you type, so nobody starts a second page on the same subject), then
 * open the editor for a new one, or say where the existing one is.
 */
export default async function CreatePage({ searchParams }: Props) {
  await connection();
  const raw = (await searchParams).title;
  const typed = typeof raw === "string" ? raw.trim() : "";
  let problem: string | null = null;
  let existing: { slug: string; title: string } | null = null;
  if (typed !== "") {
    try {
      const title = parseTitle(typed.slice(0, 1000));
      const page = await getPageBySlug(getDb(), title.slug);
      if (!page) redirect(pagePath(title.slug, "/edit"));
      existing = { slug: page.slug, title: page.title };
    } catch (error) {
      if (!(error instanceof TitleError)) throw error;
      problem = error.message;
    }
  }
  return (
    <div className="create-form">
      <h1>Create a page</h1>
      <p>Give the new page a title; the editor opens next. Titles start with a capital letter, and spaces and underscores are the same.</p>
      <form action="/create" method="get" className="form">
        <label htmlFor="create-title">Title</label>
        <TitleCombobox id="create-title" name="title" label="Title" defaultValue={typed} required externalLabel />
        <button type="submit" className="primary">
          Open the editor
        </button>
      </form>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      {existing ? (
        <p className="form-ok" role="status">
          A page with this title exists: <Link href={pagePath(existing.slug)}>{existing.title}</Link> (
          <Link href={pagePath(existing.slug, "/edit")}>edit it</Link>).
        </p>
      ) : null}
    </div>
  );
}
