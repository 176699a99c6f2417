// Package disclose finds which protected versions a text discloses: given
// the news articles the monitor (package monitor) reads, it says which
// protected documents each one reveals, with what evidence, and groups the
// syndicated copies of one story.
//
// Build a [Protected] for every version, from its marked template with
// [FromTemplate], and index them with [NewIndex]; [Index.Add] and
// [Index.Remove] keep the index current. [Index.Match] returns a [Report]
// for every version an article discloses or shares specific details with,
// best first; each lists the disclosed items with their byte spans in the
// article and in the version. A [Deduper] groups near-duplicate articles
// (syndicated copies) into stories by [Fingerprint]. The index and the
// deduper are safe for concurrent use; persistence is left to the caller.
//
// # Evidence
//
// An article discloses a protected version when it shares the version's
// distinctive content, weighted by how rare that content is in ordinary
// news. Rarity comes from an embedded background vocabulary (background.txt:
// function words, everyday and news words, common names, well-known places,
// states and countries; see [Background]). The evidence, roughly in bits:
//
//   - declared facts, in any of their alternatives, with the unit that
//     follows them in the source ("{{eight|nine}} cities" is found as "nine
//     cities", not as "nine years"): the value's rarity plus FactBonus;
//   - numbers with their units ("312 outstanding … warrants", "$1.25
//     million" for "$1,250,000", "31 percent"), dates and clock times;
//   - items of shuffled lists, named in full or, within an enumeration,
//     shortened ("insulation" for "Attic, wall, and floor insulation");
//   - verbatim passages of eight words or more;
//   - details that share a sentence in both texts ("140 officers … ten
//     cities … Sunday"), which chance rarely produces;
//   - topic: shared names, rare words and short phrases, at most TopicCap.
//     Places and common words weigh little, so "Los Angeles" alone is no
//     disclosure.
//
// A version is reported when the score reaches Options.ReportThreshold and
// the article shares at least one specific detail (a declared fact, an exact
// number, a date, a passage, a telling list item); the report is a hit
// (Level Strong) from Options.HitThreshold. By default an article revealing
// one declared fact on the document's subject is reported as Weak, and two
// or more facts, or verbatim passages, make a hit.
//
// # Scale
//
// Matching runs in two stages so that it scales to many versions: an
// inverted index of hashed rare features (and a sample of three-word
// phrases) picks candidate versions without looping over all versions, and
// only candidates are compared in detail. BENCH.md has the numbers.
package disclose
