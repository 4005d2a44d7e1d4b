import "server-only";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type postgres from "postgres";
import type { Database } from "@/lib/db/client";
import { appliedMigrations, knownMigrations, migrateUpTo, runMigrations } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { BACKUP_FORMAT, BACKUP_VERSION, restoreOrder, type BackupHeader } from "./backup";

/** A row the database refuses (a damaged or edited backup: a wrong type, a missing key, a broken reference): SQLSTATE classes 22, 23 and 42. */
function refusedRow(error: unknown): string | null {
  const e = error as { code?: unknown; message?: unknown };
  return typeof e?.code === "string" && /^(22|23|42)/.test(e.code) && typeof e.message === "string" ? e.message : null;
}

/** Rows sent to the database at once: at most this many, or this many bytes of JSON (a revision can be 1 MB). */
const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;

export type RestoreOutcome = { header: BackupHeader; counts: Record<string, number>; migrations: number };

/** Refuse what this code cannot restore, with what to do instead. */
export function checkHeader(value: unknown, known: number): BackupHeader {
  const header = value as Partial<BackupHeader> | null;
  if (!header || typeof header !== "object" || header.format !== BACKUP_FORMAT || typeof header.version !== "number") {
    throw new AppError("invalid:input", "This file is not a Propagate backup (its first line is not a backup header).");
  }
  if (header.version > BACKUP_VERSION) {
    throw new AppError(
      "invalid:input",
      `This backup is in format version ${header.version}, made by a newer Propagate; this one reads versions up to ${BACKUP_VERSION}. Upgrade Propagate, then restore.`,
    );
  }
  if (!Array.isArray(header.tables) || !header.tables.every((t) => typeof t === "string") || typeof header.migrations !== "number" || !Number.isInteger(header.migrations) || header.migrations < 0) {
    throw new AppError("invalid:input", "This backup's header is damaged (its migrations or tables are not what a backup writes); nothing was restored.");
  }
  if (header.migrations > known) {
    throw new AppError(
      "invalid:input",
      `This backup's database schema has ${String(header.migrations)} migrations; this Propagate knows ${known}. Upgrade Propagate, then restore.`,
    );
  }
  return header as BackupHeader;
}

async function assertEmpty(sql: postgres.TransactionSql, tables: string[]): Promise<void> {
  for (const table of tables) {
    const [row] = await sql.unsafe<{ any: boolean }[]>(`select exists (select 1 from "${table}") as any`);
    if (row?.any) throw new AppError("conflict:data", `The database is not empty (table ${table} has rows); restore only into an empty database.`);
  }
}

/**
 * Restore a backup (the NDJSON lines of `input`, already decompressed) into an
 * empty database, in one transaction: a failed restore leaves nothing behind.
 * The schema is brought to the backup's migration level first and to the
 * current one after, so a backup of an older Propagate restores too.
 */
export async function restoreBackup(conn: { db: Database; sql: postgres.Sql }, input: Readable): Promise<RestoreOutcome> {
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new AppError("invalid:input", "The backup is empty.");
  let parsedHeader: unknown;
  try {
    parsedHeader = JSON.parse(first.value);
  } catch {
    throw new AppError("invalid:input", "This file is not a Propagate backup (its first line is not JSON).");
  }
  const header = checkHeader(parsedHeader, await knownMigrations());
  if ((await appliedMigrations(conn.db)) > header.migrations) {
    // Tables exist already at a later schema: only an empty database at most at the backup's level is accepted.
    const [any] = await conn.sql<{ n: number }[]>`select count(*)::int as n from pages`;
    if ((any?.n ?? 0) > 0) throw new AppError("conflict:data", "The database is not empty; restore only into an empty database.");
    throw new AppError("conflict:data", "The database already has a newer schema than the backup; restore into a new, empty database.");
  }
  await migrateUpTo(conn.db, header.migrations);

  const counts: Record<string, number> = {};
  await conn.sql.begin(async (tx) => {
    const { tables, deferred } = await restoreOrder(tx);
    await assertEmpty(tx, tables);
    const unknown = header.tables.filter((t) => !tables.includes(t));
    if (unknown.length > 0) throw new AppError("invalid:input", `The backup has tables this schema lacks: ${unknown.join(", ")}.`);
    const later: { table: string; rows: Record<string, unknown>[] }[] = [];
    let table: string | undefined;
    let batch: Record<string, unknown>[] = [];
    let bytes = 0;
    let lineNumber = 1;
    const flush = async () => {
      if (!table || batch.length === 0) return;
      const waits = deferred.get(table);
      if (waits) {
        later.push({ table, rows: batch.map((row) => Object.fromEntries([["id", row.id], ...waits.map((c) => [c, row[c]])])) });
        batch = batch.map((row) => ({ ...row, ...Object.fromEntries(waits.map((c) => [c, null])) }));
      }
      try {
        await tx.unsafe(`insert into "${table}" overriding system value select * from json_populate_recordset(null::"${table}", $1::json)`, [JSON.stringify(batch)]);
      } catch (error) {
        const refused = refusedRow(error);
        if (refused) throw new AppError("invalid:input", `The backup's rows of table ${table} (before line ${lineNumber + 1}) do not fit the schema: ${refused}. The file is damaged or was edited; nothing was restored.`);
        throw error;
      }
      counts[table] = (counts[table] ?? 0) + batch.length;
      batch = [];
      bytes = 0;
    };
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      lineNumber++;
      if (next.value === "") continue;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(next.value) as Record<string, unknown>;
      } catch {
        throw new AppError("invalid:input", `Line ${lineNumber} of the backup is not JSON: the file is damaged; nothing was restored.`);
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new AppError("invalid:input", `Line ${lineNumber} of the backup is not a row: the file is damaged; nothing was restored.`);
      }
      if (Object.keys(value).length === 1 && typeof value.table === "string" && header.tables.includes(value.table) && value.table !== table) {
        await flush();
        table = value.table;
        counts[table] = 0;
        continue;
      }
      if (!table) throw new AppError("invalid:input", "The backup has rows before any table line.");
      batch.push(value);
      bytes += next.value.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
    }
    await flush();
    for (const { table: t, rows } of later) {
      const columns = Object.keys(rows[0] ?? {}).filter((c) => c !== "id");
      if (columns.length === 0) continue;
      const set = columns.map((c) => `"${c}" = s."${c}"`).join(", ");
      await tx.unsafe(`update "${t}" d set ${set} from json_populate_recordset(null::"${t}", $1::json) s where d.id = s.id`, [JSON.stringify(rows)]);
    }
    // Identity columns continue after the restored rows.
    const identities = await tx<{ table: string; column: string }[]>`
      select table_name as table, column_name as column from information_schema.columns
      where table_schema = 'public' and is_identity = 'YES'`;
    for (const { table: t, column } of identities) {
      await tx.unsafe(`select setval(pg_get_serial_sequence('"${t}"', '${column}'), coalesce((select max("${column}") from "${t}"), 0) + 1, false)`);
    }
  });
  const migrations = await runMigrations({ db: conn.db });
  return { header, counts, migrations };
}
