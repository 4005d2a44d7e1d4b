/**
 * The article body's way from the server component to the HTML without the
 * React Server Components payload: the page leaves the rendered HTML here
 * under a one-time key and passes only the key to <ArticleBody>, whose
 * server-side render (same process, same request, after the page) takes it.
 * Imports nothing, so the client component can import it too.
 *
 * The page leaves nothing for a client-side navigation (its payload has no
 * HTML). An entry nobody takes (a render that failed between the two) goes
 * after HANDOFF_TTL_MS, and the oldest go first when the held HTML passes
 * HANDOFF_MAX_CHARS; one that went too early costs only a fetch (the
 * component then reads its body from the revision's page).
 */
const HANDOFF_TTL_MS = 30_000;
const HANDOFF_MAX_CHARS = 16_000_000;

type Held = { html: string; at: number };
type Store = { held: Map<string, Held>; chars: number; next: number };

// On globalThis: Next.js bundles the server component and the client component's server render separately.
const STORE_KEY = Symbol.for("propagate.article-body-handoff");

function store(): Store {
  const registry = globalThis as { [STORE_KEY]?: Store };
  registry[STORE_KEY] ??= { held: new Map(), chars: 0, next: 0 };
  return registry[STORE_KEY];
}

function drop(s: Store, key: string): string | undefined {
  const entry = s.held.get(key);
  if (!entry) return undefined;
  s.held.delete(key);
  s.chars -= entry.html.length;
  return entry.html;
}

/** Leave `html` for this request's server render; the key to pass to <ArticleBody>. */
export function leaveArticleHtml(html: string, now = Date.now()): string {
  const s = store();
  for (const [key, entry] of s.held) {
    if (now - entry.at < HANDOFF_TTL_MS && s.chars + html.length <= HANDOFF_MAX_CHARS) break;
    drop(s, key);
  }
  const key = `${now.toString(36)}.${(s.next++).toString(36)}.${Math.random().toString(36).slice(2)}`;
  s.held.set(key, { html, at: now });
  s.chars += html.length;
  return key;
}

/** The HTML left under `key`, once (undefined if it was taken or has gone). */
export function takeArticleHtml(key: string): string | undefined {
  return drop(store(), key);
}
