/**
 * The other half of lib/http/purge.ts: a server listens on the database for
 * purges announced by any process writing to it (other servers, `npm run
 * seed`) and applies them to its page cache. Framework-free: the HTTP server
 * (scripts/server.ts) runs it on a connection of its own.
 */
import type postgres from "postgres";
import { parsePurgeMessage, PURGE_CHANNEL, type PagePurger } from "./page-cache-key";

export async function listenForPurges(sql: postgres.Sql, cache: PagePurger): Promise<{ unlisten: () => Promise<void> }> {
  return sql.listen(
    PURGE_CHANNEL,
    (payload) => {
      const message = parsePurgeMessage(payload);
      if ("all" in message) cache.purgeAll();
      else cache.purgeTags(message.tags);
    },
    // Listening (again, after a lost connection): purges may have been missed meanwhile.
    () => cache.purgeAll(),
  );
}
