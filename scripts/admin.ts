/**
 * `npm run admin -- <command> [options]`: maintenance for operators, against
 * the same database as the app: DATABASE_URL, or the embedded one in .data/,
 * reached through the running wiki when it runs (lib/db/embedded.ts), so
 * nothing needs the wiki stopped.
 */
import { parseArgs } from "node:util";
import type { Actor } from "@/lib/auth/policy";
import type { CommandContext } from "@/lib/commands/command";
import { connect } from "@/lib/db/client";
import { describeDatabaseError } from "@/lib/db/describe-error";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { roles, type Role } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getUserByEmail } from "@/lib/users/accounts";
import { createTokenCommand, revokeTokenCommand } from "@/lib/commands/users/api-tokens";
import { listAllApiTokens } from "@/lib/auth/tokens";
import { backfillSkeletons } from "@/lib/users/skeletons";
import { createUserCommand, setBlockedCommand, setRoleCommand } from "@/lib/commands/users/administer-users";
import { backupWikiCommand, restoreWikiCommand } from "@/lib/commands/data/backup-wiki";
import { exportWikiCommand } from "@/lib/commands/data/export-wiki";
import { importWikiCommand } from "@/lib/commands/data/import-wiki";
import type { ImportReport } from "@/lib/data/mediawiki-import";
import { closePool } from "@/lib/workers/pool";
import { buildRenderWorker } from "./build-worker";

/** The operator at the command line: an administrator who is no account of the wiki. */
const OPERATOR: NonNullable<Actor> = { id: "operator", name: "operator", role: "admin", blocked: false };

const usage = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --email E --name N --role R [--password P]   create an account (roles: ${roles.join(", ")})
  set-role    --email E --role R                           change a user's role
  block       --email E                                    block a user (their next request is refused)
  unblock     --email E                                    lift a block
  token       --email E --scope read|write [--name N] [--days D]
                                                           print a new API token for a user (expires after D days, default 90)
  tokens      --email E                                    list a user's API tokens (id, scope, expiry, last use, revoked)
  revoke-token --id N                                      revoke an API token by its id
  backfill-skeletons                                       store the look-alike skeletons of names and titles saved before they existed
  backup      --out FILE                                   write a backup of the whole wiki (one consistent snapshot, gzipped)
  restore     --in FILE                                    restore a backup into an empty database
  export      --format mediawiki|git --out PATH            export every page with its full history: MediaWiki XML 0.11 (a file)
                                                           or a git repository (a new or empty directory; one commit per revision)
  import      --format mediawiki --in FILE                 import a MediaWiki XML dump (0.10 or 0.11; .gz too) with full history;
                                                           prints a report of what was imported, skipped, failed or left unconverted
`;

const dataCommands = ["backup", "restore", "export", "import"];

class UsageError extends Error {}

function printImportReport(report: ImportReport): void {
  console.log(`MediaWiki export ${report.version}: ${report.imported.length} pages with ${report.revisions} revisions imported, ${report.talkPosts} talk posts, ${report.contributorsCreated} contributors recorded.`);
  for (const s of report.skipped) console.log(`skipped  ${s.title} — ${s.reason}`);
  for (const k of report.keptAsWikitext) console.log(`wikitext ${k.title}${k.revision ? ` (revision ${k.revision})` : ""} kept unconverted — ${k.reason}`);
  for (const u of report.unconverted) console.log(`fenced   ${u.construct}: ${u.count} times, on ${u.pages.join(", ")}${u.pages.length >= 10 ? "…" : ""}`);
  for (const f of report.failed) console.error(`failed   ${f.title} — ${f.error}`);
}

function required(values: Record<string, string | undefined>, ...names: string[]): void {
  const missing = names.filter((n) => !values[n]);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(", ")}.`);
}

function role(value: string | undefined): Role {
  if (!roles.includes(value as Role)) throw new UsageError(`--role must be one of ${roles.join(", ")}.`);
  return value as Role;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help") {
    console.log(usage);
    return command ? 0 : 2;
  }
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, password: { type: "string" }, scope: { type: "string" }, days: { type: "string" }, id: { type: "string" }, out: { type: "string" }, in: { type: "string" }, format: { type: "string" } },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const known = ["create-user", "set-role", "block", "unblock", "token", "tokens", "revoke-token", "backfill-skeletons", ...dataCommands];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}".`);
  if (command === "revoke-token") required(values, "id");
  else if (command === "backup") required(values, "out");
  else if (command === "restore") required(values, "in");
  else if (command === "export") required(values, "format", "out");
  else if (command === "import") required(values, "format", "in");
  else if (command !== "backfill-skeletons") required(values, "email");
  if (values.days !== undefined && !/^\d{1,3}$/.test(values.days)) throw new UsageError("--days must be a number of days from 1 to 365.");
  if (command === "create-user") required(values, "name", "role");
  if (command === "set-role") required(values, "role");
  if (command === "token" && values.scope !== "read" && values.scope !== "write") throw new UsageError("--scope must be read or write.");
  const wantedRole = command === "create-user" || command === "set-role" ? role(values.role) : undefined;

  const config = env();
  let embedded: (EmbeddedDatabase & { shared: boolean }) | undefined;
  try {
    const url = config.DATABASE_URL ?? (embedded = await openEmbeddedDatabase(config.PROPAGATE_DATA_DIR)).url;
    const connection = connect(url, 1);
    try {
      const db = connection.db;
      // The operator acts as an administrator, through the same commands as the site's forms.
      const ctx: CommandContext = { db, actor: OPERATOR, ip: "cli", via: "cli", siteOrigin: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` };
      // A restore brings an empty database to its backup's schema itself; everything else runs on the current one.
      if (command === "restore") {
        if (embedded?.shared) {
          throw new AppError("conflict:data", `Restore goes into an empty database, and ${config.PROPAGATE_DATA_DIR} holds the running wiki's: restore into a new data directory (PROPAGATE_DATA_DIR=…) and start the wiki on it.`);
        }
        const { result } = await restoreWikiCommand.execute(ctx, { in: values.in });
        const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
        console.log(`Restored ${rows} rows into ${Object.keys(result.counts).length} tables from a backup of ${result.header.createdAt} (format ${result.header.version}).`);
        return 0;
      }
      await runMigrations(connection);
      if (command === "backup") {
        const { result } = await backupWikiCommand.execute(ctx, { out: values.out });
        console.log(`Backed up ${result.counts.pages ?? 0} pages, ${result.counts.revisions ?? 0} revisions, ${result.counts.users ?? 0} users and ${result.counts.talk_posts ?? 0} talk posts to ${values.out}.`);
        return 0;
      }
      if (command === "import") {
        // Every imported revision is checked by the MDX validator, in the CPU worker.
        await buildRenderWorker();
        const progress = (done: number) => {
          if (done % 25 === 0) console.error(`… ${done} pages read`);
        };
        const { result } = await importWikiCommand.execute({ ...ctx, progress }, { format: values.format, in: values.in }).finally(closePool);
        printImportReport(result);
        return result.failed.length > 0 ? 1 : 0;
      }
      if (command === "export") {
        const { result } = await exportWikiCommand.execute(ctx, { format: values.format, out: values.out });
        console.log(`Exported ${result.pages !== undefined ? `${result.pages} pages, ` : ""}${result.revisions} revisions as ${result.format === "git" ? "a git repository" : "MediaWiki XML 0.11"} to ${values.out}.`);
        return 0;
      }
      if (command === "create-user") {
        const { result } = await createUserCommand.execute(ctx, { email: values.email, name: values.name, role: wantedRole, password: values.password });
        console.log(`Created ${result.name} <${result.email}> as ${result.role}${result.hasPassword ? "" : " (no password: sign in with OAuth or set one)"}.`);
        return 0;
      }
      if (command === "revoke-token") {
        const { result } = await revokeTokenCommand.execute(ctx, { id: values.id, anyUser: true });
        console.log(`Token ${result.revoked} is revoked.`);
        return 0;
      }
      if (command === "backfill-skeletons") {
        const { users: u, pages: p } = await backfillSkeletons(db);
        console.log(`Stored the skeletons of ${u} names and ${p} titles.`);
        return 0;
      }
      const user = await getUserByEmail(db, values.email!);
      if (!user) throw new AppError("not_found:user", `No user has the email ${values.email}.`);
      if (command === "set-role") {
        const { result } = await setRoleCommand.execute(ctx, { userId: user.id, role: wantedRole });
        console.log(`${result.name} is now ${result.role}.`);
      } else if (command === "block" || command === "unblock") {
        const { result } = await setBlockedCommand.execute(ctx, { userId: user.id, blocked: command === "block" });
        console.log(`${result.name} is ${result.blocked ? "blocked" : "unblocked"}.`);
      } else if (command === "tokens") {
        const tokens = await listAllApiTokens(db, user.id);
        if (tokens.length === 0) console.log(`${user.name} has no API tokens.`);
        for (const t of tokens) {
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.expiresAt.getTime() <= Date.now() ? `expired ${t.expiresAt.toISOString()}` : `expires ${t.expiresAt.toISOString()}`;
          console.log(`${t.id}\t${t.prefix}…\t${t.scope}\t${t.name}\t${state}\tlast used ${t.lastUsedAt?.toISOString() ?? "never"}`);
        }
      } else {
        const { result } = await createTokenCommand.execute(ctx, { userId: user.id, name: values.name ?? "command line", scope: values.scope, days: values.days });
        console.log(result.token);
      }
      return 0;
    } finally {
      await connection.sql.end({ timeout: 2 });
    }
  } finally {
    await embedded?.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${usage}`);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    console.error(`The admin command failed: ${describeDatabaseError(error, process.env.DATABASE_URL)}`);
    process.exitCode = 1;
  }
}
