import "server-only";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type postgres from "postgres";

/**
 * A backup is gzipped NDJSON: one header line, then per table a `{"table": name}`
 * line followed by its rows, one JSON object per line, in primary-key order. It is
 * read from one REPEATABLE READ READ ONLY transaction, so every table comes from the
 * same snapshot however many people write meanwhile; rows stream through a cursor,
 * so the wiki is never held in memory.
 */
export const BACKUP_FORMAT = "propagate-backup";
/** Bumped when a backup's layout changes; restore refuses a newer one. */
export const BACKUP_VERSION = 1;

export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** How many drizzle migrations the backed-up database had: the schema its rows fit. */
  migrations: number;
  createdAt: string;
  tables: string[];
};

/**
 * Tables left out, and why: each is rebuilt or refilled by the running wiki.
 * `rendered` is the parser cache (recomputed per revision on first view),
 * `talk_anchor_resolutions` where discussed passages are on later revisions (recomputed on view),
 * `rate_limits` and `sign_in_failures` are short-lived counters, `media_variants`
 * holds resized copies of pictures (made again on first request). Uploaded files'
 * bytes (`media_chunks`) are kept.
 */
export const SKIPPED_TABLES = new Set(["rendered", "talk_anchor_resolutions", "rate_limits", "sign_in_failures", "media_variants"]);

type ForeignKey = { table: string; column: string; references: string; nullable: boolean };

/** Tables of the public schema in an order that inserts parents first, and the nullable columns that must wait (cycles). */
export async function restoreOrder(sql: postgres.Sql | postgres.TransactionSql): Promise<{ tables: string[]; deferred: Map<string, string[]> }> {
  const tableRows = await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
  const keys = await sql<ForeignKey[]>`
    select c.conrelid::regclass::text as table, a.attname as column, c.confrelid::regclass::text as references, not a.attnotnull as nullable
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace`;
  const strip = (name: string) => name.replace(/^public\./, "").replace(/^"|"$/g, "");
  const pending = new Set(tableRows.map((t) => t.name).filter((t) => !SKIPPED_TABLES.has(t)));
  const edges = keys.map((k) => ({ ...k, table: strip(k.table), references: strip(k.references) })).filter((k) => k.table !== k.references);
  const ordered: string[] = [];
  const deferred = new Map<string, string[]>();
  while (pending.size > 0) {
    const ready = [...pending].filter((t) => edges.every((e) => e.table !== t || !pending.has(e.references) || deferred.get(t)?.includes(e.column)));
    if (ready.length > 0) {
      for (const t of ready.sort()) {
        ordered.push(t);
        pending.delete(t);
      }
      continue;
    }
    // A cycle (pages ⇄ revisions): the first table whose waiting references are all nullable goes first, those columns filled in afterwards.
    const breakable = [...pending].sort().find((t) => edges.filter((e) => e.table === t && pending.has(e.references)).every((e) => e.nullable));
    if (!breakable) throw new Error(`The tables ${[...pending].join(", ")} reference each other through required columns; they cannot be restored in any order.`);
    deferred.set(
      breakable,
      edges.filter((e) => e.table === breakable && pending.has(e.references)).map((e) => e.column),
    );
  }
  return { tables: ordered, deferred };
}

async function primaryKeyOrder(sql: postgres.TransactionSql, table: string): Promise<string> {
  const rows = await sql<{ column: string }[]>`
    select a.attname as column from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
    where i.indrelid = ${`public.${table}`}::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`;
  return rows.length > 0 ? rows.map((r) => `"${r.column}"`).join(", ") : "ctid";
}

/** Write one line, waiting when the stream asks to (a slow disk never makes the backup buffer the wiki). */
async function writeLine(out: Writable, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, "drain");
}

export type BackupProgress = (table: string, rows: number) => void;

/**
 * Write a backup of every table (but SKIPPED_TABLES) to `out` (not ended here).
 * Returns the header and the row count of each table.
 */
export async function writeBackup(sql: postgres.Sql, out: Writable, onProgress?: BackupProgress): Promise<{ header: BackupHeader; counts: Record<string, number> }> {
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    const { tables } = await restoreOrder(tx);
    const [migrations] = await tx<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, migrations: migrations?.n ?? 0, createdAt: new Date().toISOString(), tables };
    await writeLine(out, header);
    const counts: Record<string, number> = {};
    for (const table of tables) {
      await writeLine(out, { table });
      const order = await primaryKeyOrder(tx, table);
      let n = 0;
      const cursor = tx.unsafe<{ row: Record<string, unknown> }[]>(`select row_to_json(t) as row from "${table}" t order by ${order}`).cursor(500);
      for await (const rows of cursor) {
        for (const { row } of rows) await writeLine(out, row);
        n += rows.length;
        onProgress?.(table, n);
      }
      counts[table] = n;
    }
    return { header, counts };
  }) as Promise<{ header: BackupHeader; counts: Record<string, number> }>;
}
