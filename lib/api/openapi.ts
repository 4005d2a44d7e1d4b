/** The JSON API described as OpenAPI 3.1, served at /api/openapi.json. */
export function openApiDocument(serverUrl: string) {
  const error = { $ref: "#/components/schemas/Error" };
  const slug = { name: "slug", in: "path", required: true, schema: { type: "string" }, description: "Page title with spaces as underscores" };
  const json = (schema: object, description: string) => ({ description, content: { "application/json": { schema } } });
  const id = (name: string, where: "path" | "query", required = where === "path") => ({ name, in: where, required, schema: { type: "integer", minimum: 1, maximum: 2147483647 } });
  const notModified = { description: "Not modified (the If-None-Match ETag is current)" };
  const errors = {
    "400": json(error, "Malformed request"),
    "401": json(error, "Sign in or send a bearer token"),
    "403": json(error, "Not allowed (role, protection, block, read-only token, cross-site request)"),
    "404": json(error, "No such page or revision"),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Propagate API",
      version: "1.0.0",
      description:
        "Read and edit Propagate, the wiki comparing traditional knowledge management with social learning. Authenticate with `Authorization: Bearer <token>` (tokens are created on the profile page or with `npm run admin -- token`). The same policies and validation apply as to the web forms. Errors are `{error: {code, message}}`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, {}],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", examples: ["not_found:page", "conflict:revision", "invalid:content"] },
                message: { type: "string" },
                issues: { type: "array", items: { $ref: "#/components/schemas/Issue" } },
              },
            },
          },
        },
        Issue: { type: "object", properties: { line: { type: "integer" }, column: { type: "integer" }, message: { type: "string" }, rule: { type: "string" } } },
        Revision: {
          type: "object",
          properties: {
            id: { type: "integer" },
            parentId: { type: ["integer", "null"] },
            createdAt: { type: "string", format: "date-time" },
            author: { type: ["string", "null"] },
            summary: { type: "string" },
            minor: { type: "boolean" },
            length: { type: "integer" },
            sha256: { type: "string" },
            change: { type: ["object", "null"] },
            fields: { type: "object", description: "Validated front matter: title, kind, summary, tags, sources; dimension, tkm, sl on difference pages" },
            content: { type: "string", description: "Full MDX source, front matter included" },
          },
        },
        Conflict: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: {
                code: { const: "conflict:revision" },
                message: { type: "string" },
                latestRevisionId: { type: "integer" },
                theirs: { type: "string" },
                mine: { type: "string" },
                marked: { type: "string", description: "Text with <<<<<<< ||||||| ======= >>>>>>> markers" },
                conflicts: { type: "array", items: { type: "object" } },
              },
            },
          },
        },
      },
    },
    paths: {
      "/api/pages": {
        get: {
          summary: "List pages by slug",
          parameters: [
            { name: "after", in: "query", schema: { type: "string" }, description: "Slug to continue after" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { "200": json({ type: "object", properties: { pages: { type: "array", items: { type: "object" } }, next: { type: ["string", "null"] } } }, "A page of pages"), "400": errors["400"] },
        },
      },
      "/api/pages/{slug}": {
        get: {
          summary: "A page and its latest revision",
          description: "Sends a strong ETag; If-None-Match with it answers 304.",
          parameters: [slug],
          responses: { "200": json({ type: "object" }, "The page"), "304": notModified, "400": errors["400"], "404": errors["404"] },
        },
      },
      "/api/pages/{slug}/revisions": {
        get: {
          summary: "History, newest first (keyset-paginated)",
          parameters: [slug, id("before", "query"), { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } }],
          responses: { "200": json({ type: "object" }, "Revisions without bodies, and the next page's URL"), "400": errors["400"], "404": errors["404"] },
        },
        post: {
          summary: "Save an edit",
          description: "Creates the page when baseRevisionId is null. A stale base is merged three-way when possible (201, merged: true) or refused with 409 and both versions. Identical text answers 200 status unchanged. A repeated idempotencyKey returns the first result.",
          parameters: [slug],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["content", "baseRevisionId"],
                  properties: {
                    content: { type: "string", maxLength: 300000 },
                    summary: { type: "string", maxLength: 500 },
                    minor: { type: "boolean" },
                    baseRevisionId: { type: ["integer", "null"] },
                    idempotencyKey: { type: "string", minLength: 8, maxLength: 100 },
                  },
                },
              },
            },
          },
          responses: {
            "201": json({ type: "object", properties: { status: { const: "saved" }, merged: { type: "boolean" }, revision: { $ref: "#/components/schemas/Revision" } } }, "Saved"),
            "200": json({ type: "object" }, "Unchanged, or a repeated idempotency key"),
            "409": json({ $ref: "#/components/schemas/Conflict" }, "Edit conflict; nothing saved"),
            "422": json(error, "Invalid MDX or front matter; issues name line and column"),
            ...errors,
          },
        },
      },
      "/api/pages/{slug}/revisions/{id}": {
        get: { summary: "One revision (immutable)", parameters: [slug, id("id", "path")], responses: { "200": json({ $ref: "#/components/schemas/Revision" }, "The revision"), "400": errors["400"], "404": errors["404"] } },
      },
      "/api/pages/{slug}/diff": {
        get: {
          summary: "Structured diff between two revisions, one page of hunks at a time",
          description:
            "Hunks (changes with 3 lines of context) come in pages of at most 300 rows, 60,000 characters and 3,000 highlighted segments; `links.next` names the next page. A row shows at most 2,000 characters per side (`cut`, `oldCut`, `newCut` count the characters left out), and a row with more than 200 highlighted segments per side has none (`oldParts`/`newParts` null). A `changed` row is one line, or a paragraph whose line breaks moved: `oldCount` lines from `oldLine` became `newCount` lines from `newLine` (texts joined with a newline); one with `whitespaceOnly` and nothing marked is a re-wrap (counted in `stats.rewrapped`). A moved row (`moveId`) names the other end of its move in `move` (line and page). `skippedBefore` on a hunk and `skippedAfter` count unchanged lines not shown. Computing a diff that is not cached is charged to the reader: characters diffed per minute, per IP address without an account, per account with one (higher); a diff with the revision's parent costs a quarter. Over budget: 429 with Retry-After.",
          parameters: [slug, id("from", "query", true), id("to", "query", true), { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 }, description: "Page of hunks (1-based)" }],
          responses: {
            "200": json(
              { type: "object", properties: { hunks: { type: "array" }, page: { type: "integer" }, pageCount: { type: "integer" }, hunkCount: { type: "integer" }, links: { type: "object", properties: { next: { type: ["string", "null"] }, previous: { type: ["string", "null"] } } }, stats: { type: "object" }, fields: { type: "array" }, coarse: {} } },
              "One page of the diff",
            ),
            "400": errors["400"],
            "404": errors["404"],
            "429": json(error, "Too many characters diffed in the last minute (Retry-After header)"),
          },
        },
      },
      "/api/pages/{slug}/talk": {
        get: {
          summary: "Discussion threads with their posts",
          description:
            "A thread about a passage also has `target` (where the passage is on the latest revision, as W3C Web Annotation selectors; an orphaned one keeps the target it began with), `anchorStatus` (`anchored`: the exact words; `fuzzy`: an approximate match, with `anchorConfidence`; `orphaned`: gone, with `orphanedAtRevisionId`, or not placed on the latest revision, with `anchorUnplaced: true`, when the bounded search gave up on text that repeats too much to tell where it is) and `quote` (the words it began on).",
          parameters: [slug],
          responses: { "200": json({ type: "object" }, "Threads"), "404": errors["404"] },
        },
        post: {
          summary: "Start a thread",
          description:
            "Members post as themselves; guests (when guest posting is on) give guestName and optionally guestUrl, and their posts always wait for a moderator (the API has no form checks). The same sanitising, spam checks and rate limits as the forms apply: the post is `visible` or `held` with reasons. A thread about a passage gives `target`: a TextQuoteSelector (exact, at most 2,000 characters; prefix and suffix) and optionally a TextPositionSelector (start, end) on the rendered text of `revisionId` (the TKM side, the SL side and the body's text, joined by two newlines); a quote not on that revision is refused (400).",
          parameters: [slug],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["title", "body"],
                  properties: {
                    title: { type: "string" },
                    body: { type: "string" },
                    guestName: { type: "string" },
                    guestUrl: { type: "string" },
                    target: {
                      type: "object",
                      required: ["selector", "revisionId"],
                      properties: {
                        revisionId: { type: "integer" },
                        selector: {
                          type: "array",
                          minItems: 1,
                          maxItems: 2,
                          items: {
                            oneOf: [
                              { type: "object", required: ["type", "exact"], properties: { type: { const: "TextQuoteSelector" }, exact: { type: "string" }, prefix: { type: "string" }, suffix: { type: "string" } } },
                              { type: "object", required: ["type", "start", "end"], properties: { type: { const: "TextPositionSelector" }, start: { type: "integer" }, end: { type: "integer" } } },
                            ],
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          responses: { "201": json({ type: "object", properties: { status: { enum: ["visible", "held"] }, reasons: { type: "array", items: { type: "string" } } } }, "Stored"), "429": json(error, "Posting too fast (Retry-After header)"), ...errors },
        },
      },
      "/api/pages/{slug}/talk/{thread}/posts": {
        post: {
          summary: "Reply to a thread, or to a post in it",
          parameters: [slug, id("thread", "path")],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["body"], properties: { body: { type: "string" }, parentPostId: { type: "integer" }, guestName: { type: "string" }, guestUrl: { type: "string" } } } } } },
          responses: { "201": json({ type: "object" }, "Stored (visible or held)"), "429": json(error, "Posting too fast (Retry-After header)"), ...errors },
        },
      },
      "/api/pages/{slug}/revert": {
        post: {
          summary: "Restore an old revision as a new revision",
          parameters: [slug],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["revisionId"], properties: { revisionId: { type: "integer", minimum: 1, maximum: 2147483647 }, summary: { type: "string" } } } } } },
          responses: {
            "201": json({ type: "object" }, "Reverted"),
            "409": json(error, "Already the current text (code unchanged:revision), or someone saved meanwhile (conflict:revision); nothing saved"),
            "422": json(error, "The old revision no longer passes the page checks"),
            ...errors,
          },
        },
      },
      "/api/titles": {
        get: {
          summary: "Page titles for the search box as you type: those starting with q, then (from three characters) those containing it; at most 8",
          parameters: [{ name: "q", in: "query", required: true, schema: { type: "string", maxLength: 255 } }],
          responses: {
            "200": json({ type: "object", properties: { titles: { type: "array", items: { type: "object", properties: { title: { type: "string" }, href: { type: "string" } } } } } }, "Matching titles and their addresses"),
            "400": errors["400"],
          },
        },
      },
      "/api/files": {
        post: {
          summary:
            "Upload a file as a revision of its page File:<name> (created by the first upload). The type comes from the bytes: JPEG, PNG, WebP, AVIF, GIF, MP3, M4A/AAC, Ogg/Opus, WAV, MP4, WebM, PDF or WebVTT; pictures are re-encoded without metadata. Served from the answer's url, immutably.",
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["file"],
                  properties: {
                    file: { type: "string", format: "binary" },
                    name: { type: "string", maxLength: 200, description: "The file's name with its ending (default: the part's file name)" },
                    summary: { type: "string", maxLength: 500 },
                    description: { type: "string", maxLength: 20000, description: "MDX for a new file page's body" },
                    licence: { type: "string", maxLength: 200 },
                    source: { type: "string", maxLength: 500 },
                  },
                },
              },
            },
          },
          responses: {
            "201": json({ type: "object", properties: { title: { type: "string" }, url: { type: "string" }, revision: { type: "integer" }, page: { type: "string" }, sha256: { type: "string" }, type: { type: "string" }, size: { type: "integer" } } }, "Uploaded: a new revision"),
            "200": json({ type: "object" }, "The same file and fields as the latest revision: nothing new saved"),
            "400": errors["400"],
            "401": errors["401"],
            "403": errors["403"],
            "413": json(error, "Too large: the body, the file for its kind, the picture's pixels, or the uploader's quota"),
            "415": json(error, "Not an accepted kind of file, a name that does not match the bytes, SVG, or markup/script inside"),
            "422": json(error, "A picture that cannot be decoded"),
            "429": json(error, "Too many uploads this hour"),
          },
        },
      },
      "/api/files/revisions/{id}/hide": {
        post: {
          summary: "Moderators: hide a file revision (its bytes are no longer served, under any name); the revision stays in the page's history",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1, maximum: 2147483647 } }],
          requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          responses: { "200": json({ type: "object" }, "Hidden"), "401": errors["401"], "403": errors["403"], "404": errors["404"] },
        },
      },
      "/api/files/revisions/{id}/show": {
        post: {
          summary: "Moderators: show a hidden file revision again (its bytes are served again once no other upload of the same bytes is hidden: status shown or still-hidden)",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1, maximum: 2147483647 } }],
          requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          responses: { "200": json({ type: "object" }, "Shown"), "401": errors["401"], "403": errors["403"], "404": errors["404"], "409": json(error, "The revision is not hidden") },
        },
      },
      "/api/unsubscribe": {
        post: {
          summary: "One-click unsubscribe from notification mail (RFC 8058): the address in a mail's List-Unsubscribe header, with the user and a signed token in its query; no cookie counts",
          parameters: [
            { name: "user", in: "query", required: true, schema: { type: "string" } },
            { name: "token", in: "query", required: true, schema: { type: "string" } },
          ],
          requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties: { "List-Unsubscribe": { type: "string", enum: ["One-Click"] } } } } } },
          responses: { "200": { description: "Unsubscribed (plain text)" }, "400": errors["400"], "403": errors["403"] },
        },
      },
      "/api/health": {
        get: {
          summary: "Health: database mode, migrations, page count, as the application server last answered the front server (at most a second or two ago)",
          responses: { "200": json({ type: "object" }, "Healthy"), "503": json({ type: "object" }, "The database is not reachable or not migrated, or the application server has not answered for 3 s") },
        },
      },
      "/api/me": {
        get: {
          summary: "Who is asking (for the browser's menu): the user, and with ?page=<slug> what they may do there",
          parameters: [{ name: "page", in: "query", schema: { type: "string" } }],
          responses: { "200": json({ type: "object" }, "The user (or null), blocked flag, page permissions, and a talk form token") },
        },
      },
      "/api/admin/exports": {
        get: {
          summary: "The latest exports (administrators): format, status, progress",
          responses: { "200": json({ type: "object", properties: { exports: { type: "array", items: { type: "object" } } } }, "Newest first, at most 20"), "401": errors["401"], "403": errors["403"] },
        },
        post: {
          summary: "Start an export of every page with its full history (administrators); one runs at a time",
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["format"], properties: { format: { enum: ["mediawiki", "git"] } } } } } },
          responses: { "202": json({ type: "object" }, "Started; follow it at Location"), "400": errors["400"], "401": errors["401"], "403": errors["403"], "409": json(error, "Another export is running") },
        },
      },
      "/api/admin/exports/{id}": {
        get: {
          summary: "One export's status and progress; `file` is its download when done (administrators)",
          parameters: [id("id", "path")],
          responses: { "200": json({ type: "object" }, "The export"), "401": errors["401"], "403": errors["403"], "404": errors["404"] },
        },
      },
      "/api/admin/exports/{id}/file": {
        get: {
          summary: "A finished export: MediaWiki XML 0.11, or the git repository as a bundle (administrators)",
          parameters: [id("id", "path")],
          responses: { "200": { description: "The file (application/xml or a git bundle)" }, "401": errors["401"], "403": errors["403"], "404": errors["404"] },
        },
      },
      "/api/webmention": {
        post: {
          summary: "Receive a W3C Webmention (form-encoded source and target; no authentication)",
          requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: { type: "object", required: ["source", "target"], properties: { source: { type: "string" }, target: { type: "string" } } } } } },
          responses: { "201": json({ type: "object" }, "Stored (visible, or held for a moderator)"), "400": errors["400"], "404": errors["404"], "429": json(error, "Too many Webmentions from this address (Retry-After header)") },
        },
      },
    },
  };
}
