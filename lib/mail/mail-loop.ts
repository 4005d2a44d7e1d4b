import "server-only";
import type { Database } from "@/lib/db/client";
import { deliverDue } from "./delivery";
import { composeNotificationMails } from "./notification-mail";
import { mailOrigin } from "./outbox";
import type { MailTransport } from "./transport";

const WAKE_KEY = Symbol.for("propagate.mail.wake");
const holder = globalThis as unknown as Record<symbol, (() => void) | undefined>;

export type MailLoop = { stop(): void; tick(): Promise<void> };

/**
 * The application server's mail loop: every `intervalMs` (and at once when a
 * command in this process queued mail), turn due notifications into mails and
 * send what the outbox holds. Errors are logged; the loop goes on.
 */
export function startMailLoop(options: {
  db: Database;
  transport: MailTransport;
  /** Turn the outbox's requests (REQUEST_KINDS) into mails first: given by the caller, as the domains that know them sit above lib/mail. */
  prepare?: ((db: Database, now: Date) => Promise<unknown>)[];
  now?: () => Date;
  intervalMs?: number;
}): MailLoop {
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | null = null;
  let again = false;
  const round = async () => {
    do {
      again = false;
      try {
        for (const prepare of options.prepare ?? []) await prepare(options.db, now());
        await composeNotificationMails(options.db, now(), mailOrigin());
        await deliverDue(options.db, options.transport, now());
      } catch (error) {
        console.error("mail: a round of the mail loop failed", error);
      }
    } while (again);
  };
  const tick = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = round().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 5_000);
  timer.unref();
  holder[WAKE_KEY] = () => void tick();
  void tick();
  return {
    stop() {
      clearInterval(timer);
      holder[WAKE_KEY] = undefined;
      options.transport.close();
    },
    tick,
  };
}

/** Ask this process's mail loop (if it runs here) to look at the outbox now. */
export function wakeMailLoop(): void {
  holder[WAKE_KEY]?.();
}
