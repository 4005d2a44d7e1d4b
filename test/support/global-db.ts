import type { TestProject } from "vitest/node";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One database per test run: a fresh database on DATABASE_URL's server
 * (dropped afterwards), or an in-memory embedded PGlite when it is unset.
 */
export default async function setup(project: TestProject) {
  const database = await createTestDatabase("propagate_test");
  project.provide("databaseUrl", database.url);
  return async () => {
    await database.drop();
  };
}
