import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/policy";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { publish } from "@/lib/events/effects";
import type { DomainEvent } from "@/lib/events/events";

/**
 * What a command knows about the request that runs it, and nothing else: the
 * database, who is asking, and the request facts a rule needs. Transports
 * (server actions, API routes, the admin CLI) build it; commands never read
 * headers or cookies themselves.
 */
export type CommandContext = {
  db: Database;
  actor: Actor;
  /** The client's address, for rate limits ("cli" for the operator). */
  ip: string;
  /** Which transport runs the command: guests' API posts, for example, always wait for a moderator. */
  via: "form" | "api" | "cli";
  /** The wiki's own origin (https://host), for links a command writes or checks. */
  siteOrigin: string;
  /** A guest's browser token, when the transport has one (talk posts). */
  guestToken?: string;
  /** The clock for expiries a command writes or checks (mailed tokens); tests inject one. */
  now?: () => Date;
  /** Where a long command (an export, an import) reports how far it is: the CLI prints it, a job row stores it. */
  progress?: (done: number, total: number | null) => void;
};

/** The command's idea of now: the injected clock, or the system's. */
export function nowOf(ctx: CommandContext): Date {
  return ctx.now?.() ?? new Date();
}

/** A command's events, emitted after its transaction committed; the transport reads them to revalidate. */
export type Emitter = (...events: DomainEvent[]) => void;

export type CommandSpec<S extends z.ZodType, R> = {
  /** kebab-case, as in the file name: "save-page". */
  name: string;
  /** The one input schema every transport's input is parsed with. */
  input: S;
  /** Loads its subject, asks `can()`, writes in one transaction, emits after commit. */
  run: (ctx: CommandContext, input: z.output<S>, emit: Emitter) => Promise<R>;
};

export type CommandOutcome<R> = { result: R; events: DomainEvent[] };

export type Command<S extends z.ZodType, R> = CommandSpec<S, R> & {
  /**
   * Parse `raw` with the command's schema (a 400 naming the field when it does
   * not fit), run it, then apply the effects of the events it emitted (purges).
   */
  execute: (ctx: CommandContext, raw: unknown) => Promise<CommandOutcome<R>>;
};

/** The first schema issue as a sentence that names the field (lib/text.ts's own messages already do). */
function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return "The input is not valid.";
  const field = issue.path.map(String).join(".");
  return field && issue.code !== "custom" ? `${field}: ${issue.message}` : issue.message;
}

/** Declare a command: one use case, one schema, one function. */
export function defineCommand<S extends z.ZodType, R>(spec: CommandSpec<S, R>): Command<S, R> {
  return {
    ...spec,
    async execute(ctx, raw) {
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError("invalid:input", describeIssue(parsed.error.issues), { field: issue?.path.map(String).join(".") || undefined });
      }
      const events: DomainEvent[] = [];
      try {
        const result = await spec.run(ctx, parsed.data, (...emitted) => events.push(...emitted));
        return { result, events };
      } finally {
        // Effects of what did commit, even when a later step failed.
        if (events.length > 0) await publish(ctx.db, events);
      }
    },
  };
}
