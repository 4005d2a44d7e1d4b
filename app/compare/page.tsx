import type { Metadata } from "next";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { listDifferences } from "@/lib/wiki/page-store";
import { DifferenceMatrix, matrixParams } from "../_components/difference-matrix";

export const metadata: Metadata = { title: "Compare" };

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const { sort, tag, page } = matrixParams(await searchParams);
  const rows = await listDifferences(getDb(), { tag, sort, page });
  return (
    <>
      <h1>Traditional knowledge management and social learning compared</h1>
      <DifferenceMatrix page={rows} basePath="/compare" tag={tag} sort={sort} />
    </>
  );
}
