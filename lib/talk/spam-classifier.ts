/**
 * The naive Bayes spam classifier, and the built-in one trained lazily on
 * lib/talk/spam-corpus.ts (moderators' marks train copies of it: spam-model.ts).
 */
import { decodeHtmlEntities } from "@/lib/mdx/url";
import { HAM_CORPUS, SPAM_CORPUS } from "./spam-corpus";
import { foldForSpam } from "./spam-fold";

type Label = "spam" | "ham";
type ClassifierJson = { kind: "propagate-spam-nb"; version: 1; docs: Record<Label, number>; tokens: Record<Label, Record<string, number>> };

const MAX_TOKENS_PER_TEXT = 2_000;
/**
 * Naive Bayes treats overlapping words and bigrams as independent evidence and
 * is overconfident, the more so on a small corpus; log-odds are divided by
 * this before turning into a probability.
 */
const TEMPERATURE = 2;

/** Classifier tokens: folded words (2–24 letters/digits) and adjacent-word bigrams. */
function tokenize(text: string): string[] {
  const folded = foldForSpam(decodeHtmlEntities(text) ?? text);
  const words = (folded.match(/[a-z0-9]{2,24}/g) ?? []).slice(0, MAX_TOKENS_PER_TEXT);
  const tokens = [...words];
  for (let i = 1; i < words.length; i++) tokens.push(`${words[i - 1]}_${words[i]}`);
  return tokens;
}

/**
 * A small multinomial naive Bayes classifier over folded word tokens and word
 * bigrams, with add-one smoothing, document-frequency priors and tempered
 * log-odds. Tokens no example contained are ignored. Trainable incrementally
 * and serialisable to JSON ({@link SpamClassifier.toJSON}).
 */
export class SpamClassifier {
  private readonly docs: Record<Label, number> = { spam: 0, ham: 0 };
  private readonly counts: Record<Label, Map<string, number>> = { spam: new Map(), ham: new Map() };
  private readonly totals: Record<Label, number> = { spam: 0, ham: 0 };
  private readonly vocabulary = new Set<string>();

  /** A classifier trained on the given spam and ham texts. */
  static fromExamples(spam: readonly string[], ham: readonly string[]): SpamClassifier {
    const classifier = new SpamClassifier();
    for (const text of spam) classifier.train(text, "spam");
    for (const text of ham) classifier.train(text, "ham");
    return classifier;
  }

  /** Learn one example. */
  train(text: string, label: Label): void {
    this.docs[label]++;
    for (const token of tokenize(text)) this.add(label, token, 1);
  }

  private add(label: Label, token: string, n: number): void {
    this.counts[label].set(token, (this.counts[label].get(token) ?? 0) + n);
    this.totals[label] += n;
    this.vocabulary.add(token);
  }

  /** P(spam | text), 0..1; 0.5 when the classifier has no examples of one class or knows none of the words. */
  probability(text: string): number {
    if (this.docs.spam === 0 || this.docs.ham === 0) return 0.5;
    const v = this.vocabulary.size;
    let logOdds = Math.log((this.docs.spam + 1) / (this.docs.ham + 1));
    for (const token of tokenize(text)) {
      if (!this.vocabulary.has(token)) continue;
      const spam = ((this.counts.spam.get(token) ?? 0) + 1) / (this.totals.spam + v);
      const ham = ((this.counts.ham.get(token) ?? 0) + 1) / (this.totals.ham + v);
      logOdds += Math.log(spam / ham);
    }
    return 1 / (1 + Math.exp(-logOdds / TEMPERATURE));
  }

  /** A JSON-safe snapshot: example counts per class and token counts, keys sorted. */
  toJSON(): object {
    const table = (label: Label) => Object.fromEntries([...this.counts[label]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const json: ClassifierJson = { kind: "propagate-spam-nb", version: 1, docs: { ...this.docs }, tokens: { spam: table("spam"), ham: table("ham") } };
    return json;
  }

  /** Restore a classifier saved with {@link SpamClassifier.toJSON}. Throws a TypeError on anything else. */
  static fromJSON(json: object): SpamClassifier {
    const data = json as Partial<ClassifierJson>;
    if (data.kind !== "propagate-spam-nb" || data.version !== 1 || typeof data.docs !== "object" || typeof data.tokens !== "object" || data.docs === null || data.tokens === null) {
      throw new TypeError("Not a saved SpamClassifier.");
    }
    const classifier = new SpamClassifier();
    for (const label of ["spam", "ham"] as const) {
      const docs = data.docs[label];
      const tokens = data.tokens[label];
      if (!Number.isInteger(docs) || docs < 0 || typeof tokens !== "object" || tokens === null) throw new TypeError("Not a saved SpamClassifier.");
      classifier.docs[label] = docs;
      for (const [token, n] of Object.entries(tokens)) {
        if (!Number.isInteger(n) || n <= 0) throw new TypeError(`Bad count for token "${token}".`);
        classifier.add(label, token, n);
      }
    }
    return classifier;
  }
}

let builtIn: SpamClassifier | undefined;

/** The shared built-in classifier; never handed out, so nobody can retrain it. */
export function builtInClassifier(): SpamClassifier {
  builtIn ??= SpamClassifier.fromExamples(SPAM_CORPUS, HAM_CORPUS);
  return builtIn;
}

/**
 * A fresh classifier trained on the built-in corpus (lib/talk/spam-corpus.ts:
 * the two origin spam comments and the spam examples; the origin genuine
 * comments, pingbacks and the ham examples). Each call returns a new instance,
 * so callers may train it further.
 */
export function defaultClassifier(): SpamClassifier {
  return SpamClassifier.fromJSON(builtInClassifier().toJSON());
}
