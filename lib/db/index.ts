import "server-only";

export { getDb, getSql, closeDb, type Database, type Tx } from "./client";
