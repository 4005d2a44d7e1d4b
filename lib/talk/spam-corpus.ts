/**
 * Built-in training data for the default spam classifier (see spam.ts). A
 * copy of test/fixtures/origin-comments.json, spam-examples.json and
 * ham-examples.json, because the app must not read test fixtures at run time;
 * test/unit/talk/spam.test.ts checks the copies match.
 */

/** Bodies of the two spam comments under the origin blog post (authors "Soma." and "Ativan."). */
export const ORIGIN_SPAM_COMMENTS: readonly string[] = [
  "Soma….\n\nSoma addiction and lying. Soma without rx 180 count. Effects of soma. Soma. Soma cannabis. Drug soma cause any sexual side effects….",
  "Ativan….\n\nAtivan information. Ativan potentiate….",
];

/** Typical comment spam: pharmacy, gambling, loans, crypto, SEO, fake reviews and followers. */
export const SPAM_EXAMPLES: readonly string[] = [
  "Buy cheap Soma online without prescription! Fast discreet delivery <a href=\"http://pills.example/soma\">soma online</a>",
  "Great post!!! Check my site <a href=\"http://pills.example/ativan\">ativan no rx</a> <a href=\"http://pills.example/xanax\">xanax cheap</a>",
  "Ativan information. Ativan overnight delivery. Ativan without rx. Ativan 2mg cheap.",
  "WIN BIG at the best online casino, 500% bonus today only <a href=\"http://casino.example/bonus\">casino bonus</a>",
  "Free spins no deposit!!! <a href=\"http://slots.example/\">slots</a> <a href=\"http://slots.example/free\">free slots</a> <a href=\"http://casino.example/\">casino</a>",
  "Need cash fast? Payday loans approved in 5 minutes, no credit check. <a href=\"http://loans.example/apply\">apply now</a>",
  "Bad credit? Get a $5000 loan today, guaranteed approval <a href=\"http://quickcash.example/\">quick cash</a>",
  "Nice blog, I will bookmark it. Visit <a href=\"http://seo.example/backlinks\">cheap backlinks</a> and get 10000 backlinks for $5",
  "Increase your Google rank in 7 days! <a href=\"http://rankfast.example/\">SEO services</a> <a href=\"http://rankfast.example/pricing\">best SEO</a> <a href=\"http://rankfast.example/top10\">top 10 guaranteed</a>",
  "I made 3 BTC last week with this trading bot, ask me how <a href=\"http://crypto.example/bot\">crypto profits</a>",
  "Double your bitcoin in 24 hours!!! Send to our wallet and receive 2x back <a href=\"http://coindouble.example/\">bitcoin doubler</a>",
  "Buy 5-star reviews for your app or shop, real accounts, instant delivery <a href=\"http://reviews.example/\">buy reviews</a>",
  "We post 100 positive reviews for your business on every platform. Cheap and safe! <a href=\"http://fakereviews.example/order\">order reviews</a>",
  "Viagra cialis levitra lowest prices <a href=\"http://pills.example/v\">viagra</a> <a href=\"http://pills.example/c\">cialis</a> <a href=\"http://pills.example/l\">levitra</a>",
  "Tramadol without prescription overnight. Tramadol 180 count. Tramadol cheap. Tramadol online.",
  "Hello admin, very informative article. <a href=\"http://pharmacy.example/\">online pharmacy no prescription</a>",
  "Thanks for sharing!! <a href=\"http://essays.example/\">write my essay cheap</a> <a href=\"http://essays.example/order\">essay writing service</a>",
  "Poker, roulette, blackjack: play now and get $1000 free credit <a href=\"http://casino.example/play\">play now</a>",
  "Loans loans loans. Instant approval. Lowest rates. <a href=\"http://loans.example/\">loans</a> <a href=\"http://loans.example/fast\">fast loans</a>",
  "Get in on the new token before it goes 1000x!!! Presale ends tonight <a href=\"http://token.example/presale\">presale</a>",
  "Your article is good but our product is better: lose 30 lbs in 30 days with these pills <a href=\"http://diet.example/\">diet pills</a>",
  "Replica watches, rolex omega cartier, cheap prices <a href=\"http://watches.example/\">replica watches</a>",
  "Get more followers and likes today. 10k followers for $9 <a href=\"http://followers.example/\">buy followers</a>",
  "Soma addiction. Soma side effects. Soma 350mg buy online. Soma. Soma cheap.",
  "Great info, thank you. Check out my site for the best casino bonuses and sports betting tips <a href=\"http://bets.example/\">betting tips</a>",
  "Guaranteed web traffic, 50000 visitors for your blog this week <a href=\"http://seo.example/traffic\">buy traffic</a>",
];

/** Bodies of the genuine comments (Howard Johnson, Kevin) and the two pingback excerpts under the origin post. */
export const ORIGIN_HAM_COMMENTS: readonly string[] = [
  "Hey Kevin;\n\nI’ve begun to think of KM as knowledge resource management. You can manage knowledge resources, but knolwedge implies learning. An academic named King Beach wrote about the issue of learning transfer. Instead of the transport metaphor, he suggested a metaphor of plant propagation. I see knowledge resources like plant cuttings. In order to have a garden you need cuttings, but you have to let them develop in the garden (read context. KM is the nusery where you get your cuttings and the social learning environments and other contexts are the gardens where this knowledge can grow, develop and blossum into something useful.",
  "Very good. So, using this, do you see KM as more of a collection of individualized bits of knowledge (each cutting) where we bring it to the environment (the nursery) for others to use and grow – more managed by the individual than an organization but the org manages the environment of collective KM?",
  "[...] type of approach or design seems to be very much akin to the social learning model, from the blog [...]",
  "[...] They are all the same! (and I also wonder if Kevin Jones <who I also respect> might have changed his mind 18 months after this particular post) [...]",
];

/** Genuine discussion in the style of the origin thread. */
export const HAM_EXAMPLES: readonly string[] = [
  "Good list. I would add a fifth difference: in TKM the knowledge base was the goal, while in social learning the conversation often is.",
  "Howard's nursery and garden image works for me. Our intranet is full of cuttings nobody ever planted.",
  "I'm not sure the top down versus bottom up split is that clean. Our wiki only took off after a manager asked everyone to use it for one project.",
  "Respectfully, I think this overstates the case. Some of the older KM programs were built around communities too, not just repositories.",
  "We wrote up how our team moved from a document portal to a shared wiki: <a href=\"https://example.org/case-study\">case study</a>. Happy to hear what others found.",
  "The point about many tools rings true, but it also makes things hard to find. Does anyone have a good way of searching across them?",
  "Kevin, I listened to the podcast episode too. Your answer was fine; you are being too hard on yourself.",
  "In our hospital the nursery is the policy library and the garden is the shift handover. Knowledge really does grow at handover.",
  "I like the propagation metaphor more than transfer. Nothing we teach arrives unchanged in someone's daily work.",
  "Tags and ratings helped us, but comments were what made people feel heard.",
  "Is a community of practice a garden in this picture, or the gardeners?",
  "Counterpoint: the old KM tools failed partly because nobody curated them. Social tools will have the same problem unless someone tends the garden.",
  "There is a short reading list on learning transfer here: <a href=\"https://example.org/reading-list\">reading list</a>. It is not exhaustive.",
  "Comfort creates adoption, yes, but comfort can also mean everyone stays in their own silo.",
  "We tried podcasts for sharing lessons learned. Few people listened, but the ones who did came back with great questions.",
  "I'd gently push back on calling KM a dirty phrase. In engineering firms it is still respected when it is done with care.",
  "Maybe the difference is less about tools and more about who owns the content.",
  "Our social bookmarking pilot is going well. People share links they would never have put into the official repository.",
  "Thanks for writing this up. I am going to use the four points in a workshop next week.",
  "Kevin's reply raises a good question: if individuals manage their own cuttings, who decides what goes into the nursery?",
  "I disagree slightly with the mandate point. Some structure from leadership helped our community get started, even if it grew on its own after that.",
  "The grocery store analogy in the later post is interesting, but I think it skips over the role of context.",
  "Short video walkthroughs recorded by floor staff taught our new hires more than the manual did.",
  "Our notes from the meetup on knowledge sharing are up at <a href=\"https://example.org/meetup-notes\">the meetup page</a> if anyone is curious.",
  "Would a nursery without a garden just be a warehouse? That seems to describe a lot of old intranets.",
  "Editing each other's pages felt awkward at first, but after a few weeks it became normal for the team.",
];

/** Every built-in spam example. */
export const SPAM_CORPUS: readonly string[] = [...ORIGIN_SPAM_COMMENTS, ...SPAM_EXAMPLES];

/** Every built-in ham example. */
export const HAM_CORPUS: readonly string[] = [...ORIGIN_HAM_COMMENTS, ...HAM_EXAMPLES];
