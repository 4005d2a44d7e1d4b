/**
 * `npm run bench`: benchmarks apart from the tests, each writing
 * bench/results/<name>.json and a table. Set DATABASE_URL to measure on a
 * PostgreSQL server (the numbers in docs/performance.md are from one).
 * Pass names to run a subset: `npm run bench -- diff search`.
 */
import { benchDatabase } from "./database";
import { benchDiff } from "./diff";

const wanted = new Set(process.argv.slice(2));
const want = (name: string) => wanted.size === 0 || wanted.has(name);
const started = performance.now();
if (want("diff")) benchDiff();
if (want("search") || want("history")) await benchDatabase();
console.log(`\nbenchmarks finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
