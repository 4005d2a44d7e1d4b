/**
 * `npm run bench`: benchmarks apart from the tests, each writing
 * bench/results/<name>.json and a table. They need a PostgreSQL server:
 * DATABASE_URL's, else the local one (127.0.0.1:5432, user postgres), on
 * which each run creates its own databases and drops them.
 * Pass names to run a subset: `npm run bench -- diff diff-worst search page-view`
 * (`diff-realistic` times 1 MB realistic edits against git in the same run)
 * (page-view, save and start run together; `hostile` is the load test of readers
 * beside a hostile mix; `text-worst` times every text module on the worst inputs
 * found, 200,000 characters each; `cache-hit` compares a cache hit with plain Node
 * under wrk; `scale` measures every listing, search, blame and the feeds at 1,000,
 * 10,000 and 50,000 pages; `page-weight` weighs a seeded page and a 50 KB article,
 * HTML and RSC payload; `lighthouse` scores six pages with Lighthouse 12; `data` times
 * backup, restore, exports and import at 10,000 pages with 100,000 revisions; `anchors`
 * what 100 discussed passages add to a 100 KB page's view, missed and cached; `media`
 * times uploads of a 5 MB photo with its resized copies, and serves a stored copy against plain Node;
 * `media-burst` sends twelve 199 MB uploads at once and records the wiki's peak memory).
 */
import { benchCacheHit } from "./cache-hit";
import { benchDatabase } from "./database";
import { benchDiff } from "./diff";
import { benchDiffRealistic } from "./diff-realistic";
import { benchDiffWorst } from "./diff-worst";
import { benchHostile } from "./hostile";
import { benchHttp } from "./http";
import { benchLighthouse } from "./lighthouse";
import { benchTextWorst } from "./text-worst";
import { benchScale } from "./scale";
import { benchPageWeight } from "./page-weight";
import { benchData } from "./data";
import { benchAnchors } from "./anchors";
import { benchMedia } from "./media";
import { benchMediaBurst } from "./media-burst";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/postgres";
const wanted = new Set(process.argv.slice(2));
const want = (name: string) => wanted.size === 0 || wanted.has(name);
const started = performance.now();
if (want("diff")) benchDiff();
if (want("diff-worst")) benchDiffWorst();
if (want("diff-realistic")) benchDiffRealistic();
if (want("text-worst")) benchTextWorst();
if (want("search") || want("history")) await benchDatabase();
if (want("page-view") || want("save") || want("start")) await benchHttp();
if (want("hostile")) await benchHostile();
if (want("cache-hit")) await benchCacheHit();
if (want("page-weight")) await benchPageWeight();
// Not in a plain `npm run bench`: it takes several minutes (50,000 pages). `npm run bench -- scale`.
if (wanted.has("scale")) await benchScale();
// Not in a plain `npm run bench` either (a browser, several minutes): `npm run bench -- lighthouse`.
if (wanted.has("lighthouse")) await benchLighthouse();
// Not in a plain `npm run bench` either (100,000 revisions, several minutes): `npm run bench -- data`.
if (wanted.has("data")) await benchData();
// Only when named: `npm run bench -- anchors` (builds and starts the app for its cache hits).
if (wanted.has("anchors")) await benchAnchors();
// Not in a plain `npm run bench` either (uploads of 5 MB photos, wrk): `npm run bench -- media`.
if (wanted.has("media")) await benchMedia();
// Only when named: twelve 199 MB uploads at once, and the wiki's peak memory meanwhile.
if (wanted.has("media-burst")) await benchMediaBurst();
console.log(`\nbenchmarks finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
