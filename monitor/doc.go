// Package monitor watches news feeds and pages and flags the articles that
// disclose protected documents.
//
// The pipeline is Poller → Fetcher → ParseFeed / ExtractPage → Index.Match →
// Deduper:
//
//   - A Source is a feed (RSS, Atom or JSON) or a single page, with its
//     polling state: conditional-request validators, consecutive failures,
//     the next attempt (exponential back-off) and the last error. The
//     caller stores sources; Poller.Poll polls the due ones and returns them
//     updated, with the new articles (Found) and every error. One failing
//     source or article never stops the others.
//   - Fetcher fetches politely: a clear User-Agent, a rate limit per host
//     (golang.org/x/time/rate, slowed further by a robots.txt Crawl-delay),
//     robots.txt (RFC 9309), conditional GET, at most five redirects with
//     loop detection, a size cap that aborts larger bodies, and a timeout.
//     Errors are *FetchError values wrapping ErrDisallowed, ErrTooLarge,
//     ErrTooManyRedirects, ErrRedirectLoop, ErrStatus or ErrTimeout.
//   - ParseFeed reads feeds with gofeed from bytes the Fetcher got;
//     ExtractPage reads the story of a page with go-readability, or all
//     visible text when readability finds too little, decodes non-UTF-8
//     text, and keeps the outlet, title, publication time, canonical URL and
//     a snapshot (raw bytes and SHA-256).
//   - Index holds the protected versions (Protected, built from a template
//     with FromTemplate) and matches articles against them (see below).
//   - Deduper groups syndicated copies of one story by MinHash similarity of
//     their four-word phrases, or by canonical URL.
//
// Persistence is left to the caller: sources, the Seen set of article URLs
// and the reports are plain values to store.
//
// # Matching
//
// An article discloses a protected version when it shares the version's
// distinctive content, weighted by how rare that content is in ordinary
// news. Rarity comes from an embedded background vocabulary (background.txt:
// function words, everyday and news words, common names, well-known places,
// states and countries). The evidence, roughly in bits:
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
// or more facts, or verbatim passages, make a hit. Each report lists the
// disclosed items with the article's spans (byte offsets into Article.Text)
// and the version's passages.
//
// Matching runs in two stages so that it scales to many versions: an
// inverted index of hashed rare features (and a sample of three-word
// phrases) picks candidate versions without looping over all versions, and
// only candidates are compared in detail.
package monitor
