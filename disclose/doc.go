// Package disclose finds which protected versions a text discloses: given
// the news articles the monitor (package monitor) reads, it says which
// protected documents each one reveals, with what evidence, and groups the
// syndicated copies of one story.
//
// Build a [Protected] for every version, from its marked template with
// [FromTemplate], and index them with [NewIndex]; [Index.Add] and
// [Index.Remove] keep the index current. [Index.Match] returns a [Report]
// for every version an article discloses or shares specific details with,
// best first; each lists the disclosed items with their byte spans and text
// in the article and in the version ("2,000 families" ↔ "approximately
// 2,000 family units"). [Index.Sources] returns the versions a text may come
// from: the first stage of matching, which package identify also uses to
// find the source of a leak, so that trace and the monitor never disagree on
// candidates. A [Deduper] groups near-duplicate articles (syndicated copies)
// into stories by [Fingerprint]. The index and the deduper are safe for
// concurrent use; persistence is left to the caller.
//
// # Evidence
//
// An article discloses a protected version when it shares the version's
// distinctive content, weighted by how rare that content is in ordinary
// news. Rarity comes from an embedded background vocabulary measured on real
// text (background.tsv: word counts in the Penn Treebank's Wall Street
// Journal text and WordNet's sense-tagged Brown Corpus, with SCOWL's word
// list for known words they lack; see [Background] and gen_background.go).
// The evidence, roughly in bits:
//
//   - declared facts, in any of their alternatives, matched as facts (see
//     below): the value's rarity plus up to FactBonus, less when other
//     versions state the same value by chance;
//   - numbers with what they count or measure, dates, clock times;
//   - items of shuffled lists, named by a word no other item has or in
//     full, or within an enumeration shortened ("insulation" for "Attic,
//     wall, and floor insulation"), but not by a name the version keeps
//     naming ("Harrowgate" is the building society, not "Harrowgate
//     Market Place");
//   - verbatim passages of eight words or more in a paragraph that holds a
//     declared fact or a list item, or of fifteen words or more that the
//     version does not quote; other passages are the plan's background (a
//     published report it quotes, its organisations' names) and count as
//     topic;
//   - names with a word no dictionary knows (a code name, a made-up place,
//     a rare person's name) that the version names once or twice; what it
//     keeps naming (its company, its country) is its subject;
//   - sentences of the version restated in the article's own words: an
//     article sentence sharing with one sentence of the version two or
//     more of its words and one of its specifics (a name that is not the
//     version's subject, a number, a date), four in all ("evacuees would
//     be directed to the ferry terminal at Port Vasse"); names alone
//     restate nothing;
//   - details that share a sentence in both texts ("140 officers … ten
//     cities … Sunday"), which chance rarely produces;
//   - topic: shared names, rare words and short phrases, at most TopicCap.
//     Well-known places and common words weigh little, so "Los Angeles"
//     alone is no disclosure.
//
// A version's background is not what it protects: the sentences that
// quote someone, and the paragraphs that give a date before the version's
// own date (the first date giving a year), which tell what happened before
// it was written. Passages and restatements of them are topic, and such a
// date is a detail only beside others.
//
// A version is reported when the score reaches Options.ReportThreshold and
// the article shares something the version protects (a declared fact, a
// telling list item, a passage, a restated sentence) or two other specific
// details (exact numbers, dates, times). A list item that is a name (a
// target city, a site, a supplier) counts only beside another detail of
// the version, since a place or a company is in the news for its own
// reasons; its name is the item and adds no topic. Names alone are never reported: the company, the
// programme, the country and the people a plan is about are public however
// rare their names, and same-topic news names them. The report is a hit
// (Level Strong) from
// Options.HitThreshold. By default an article revealing one declared fact on
// the document's subject is reported as Weak, and two or more facts, or
// verbatim passages, make a hit.
//
// # Facts as facts
//
// Reporters restate figures. A number is read as a quantity: its value in a
// base unit, how exactly it is stated and what it counts. Number words and
// digits are one ("ten cities", "10 cities"; "two dozen", "twenty-one");
// thousands separators, scale words and currency ("$1.25 million",
// "$1,250,000", "$1.25m", "1.25 million dollars"); durations in hours ("three
// days", "72 hours", "72-hour", "a day and a half"); hedges ("about",
// "roughly", "more than", "nearly", "300-plus") and rounding meet the exact
// figure at the precision the article writes ("more than 300 warrants" for
// 312 warrants), reported as approximate. What a number counts is the nouns
// after it, past adjectives ("312 outstanding felony warrants") and through
// lists ("140 deputies, officers, and special agents"), or before it ("the
// number of warrants is around 300"), with their WordNet synonyms
// (synonyms.txt: "2,000 households" for "2,000 family units"). Dates are read
// month first or day first, with weekdays and ordinals ("Sunday, March 8",
// "8 March", "Sunday the 8th"); times in any common form ("5:30 a.m.", "6pm",
// "7.30am", "18:00", "1800Z"), and "before dawn" or "early-morning" match a
// time from 3:00 to 7:00 as weak evidence.
//
// # Scale
//
// Matching runs in two stages so that it scales to many versions: an
// inverted index of hashed features (and a keyed sample of three-word
// phrases) picks candidate versions without looping over all versions, and
// only candidates are compared in detail. A version the text copies (enough
// shared phrases) is always a candidate, and so is one whose declared fact
// the text states exactly as a telling figure ("315 felony warrants"). BENCH.md has the numbers.
package disclose
