// Package monitor watches news feeds and pages and flags the articles that
// disclose protected documents.
//
// The pipeline is Poller → Fetcher → ParseFeed / ExtractPage → Matcher →
// Deduper; matching and grouping live in package disclose:
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
//   - The Poller's Matcher (a *disclose.Index) says what each new article
//     discloses, and its Deduper (a *disclose.Deduper) groups syndicated
//     copies into stories.
//
// Persistence is left to the caller: sources, the Seen set of article URLs
// and the reports are plain values to store.
package monitor
