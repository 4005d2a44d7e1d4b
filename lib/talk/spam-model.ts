import "server-only";
import type { Database } from "@/lib/db/client";
import { spamTraining } from "@/lib/db/schema";
import { defaultClassifier, type SpamClassifier } from "./spam-classifier";

let cached: { classifier: SpamClassifier; trained: number } | undefined;

/**
 * The classifier in use: the built-in corpus plus every example moderators
 * marked (spam_training), rebuilt when new examples arrive.
 */
export async function currentClassifier(db: Database): Promise<SpamClassifier> {
  const rows = await db.select({ id: spamTraining.id, label: spamTraining.label, text: spamTraining.text }).from(spamTraining);
  if (cached && cached.trained === rows.length) return cached.classifier;
  const classifier = defaultClassifier();
  for (const row of rows) classifier.train(row.text, row.label);
  cached = { classifier, trained: rows.length };
  return classifier;
}

/** Record a moderator's judgement as a training example. */
export async function trainSpam(db: Database, text: string, label: "spam" | "ham"): Promise<void> {
  await db.insert(spamTraining).values({ text: text.slice(0, 20_000), label });
}
