import type { TestProject } from "vitest/node";
import { buildRenderWorker } from "../../scripts/build-worker";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseMode: "server" | "embedded";
  }
}

/**
 * One database per test run: a fresh database on DATABASE_URL's server
 * (dropped afterwards), or an in-memory embedded PGlite when it is unset.
 */
export default async function setup(project: TestProject) {
  await buildRenderWorker();
  const database = await createTestDatabase("propagate_test");
  project.provide("databaseUrl", database.url);
  project.provide("databaseMode", database.mode);
  return async () => {
    await database.drop();
  };
}
