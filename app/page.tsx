import Link from "next/link";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { listDifferences } from "@/lib/wiki/page-store";
import { DifferenceMatrix, matrixParams } from "./_components/difference-matrix";

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const { sort, tag, page } = matrixParams(await searchParams);
  const rows = await listDifferences(getDb(), { tag, sort, page });
  return (
    <>
      <div className="intro">
        <h1>Propagate</h1>
        <p className="lede">
          A community wiki comparing <Link href="/wiki/Traditional_knowledge_management">traditional knowledge management</Link> with{" "}
          <Link href="/wiki/Social_learning">social learning</Link>: one page per difference, each open to edit and discuss.
        </p>
      </div>
      <DifferenceMatrix page={rows} basePath="/" tag={tag} sort={sort} />
    </>
  );
}
