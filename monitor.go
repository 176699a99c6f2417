package telltale

import "time"

// MonitorSource is a feed or page the leak monitor watches. Its polling
// state (validators, failures, back-off, health) is kept as JSON owned by
// package monitor; NextAttempt and the lease are columns so that several
// server instances can share the work: a source is polled by the instance
// holding its lease.
type MonitorSource struct {
	ID          int64
	Kind        string // "feed" or "page"
	URL         string
	State       []byte // monitor.Source as JSON
	NextAttempt time.Time
	LeaseOwner  string
	LeaseUntil  time.Time
	CreatedBy   string
	CreatedAt   time.Time
}

// FlaggedArticle is an article the monitor found disclosing a protected
// version (or sharing details with one). The snapshot of the page and the
// disclosure report (which quotes the document) are stored encrypted.
type FlaggedArticle struct {
	ID          int64
	SourceID    int64
	URL         string
	Title       string
	Outlet      string
	PublishedAt time.Time
	FoundAt     time.Time
	// Story is the URL of the first copy of a syndicated story; Duplicate
	// marks the later copies.
	Story     string
	Duplicate bool
	VersionID int64
	Score     float64
	Hit       bool
	Level     string // "strong" or "weak"
	// SnapshotSHA256 is the hash of the page as fetched; Sealed holds the
	// page and Report the disclosure report (JSON), both encrypted.
	SnapshotSHA256 [32]byte
	Sealed         []byte
	Report         []byte
	Nonce          []byte
	CaseID         int64 // the case opened for it, if any
}

// MonitorTx stores the monitor's sources, the articles it has read and the
// articles it flagged.
type MonitorTx interface {
	CreateMonitorSource(s *MonitorSource) error
	MonitorSource(id int64) (*MonitorSource, error)
	MonitorSources() ([]*MonitorSource, error)
	// UpdateMonitorSource saves State and NextAttempt and releases the
	// lease.
	UpdateMonitorSource(s *MonitorSource) error
	DeleteMonitorSource(id int64) error
	// ClaimMonitorSources leases up to limit sources that are due at now
	// and not leased by another owner, until until; it returns them.
	ClaimMonitorSources(owner string, now, until time.Time, limit int) ([]*MonitorSource, error)

	// ArticleSeen reports whether an article URL was read before;
	// MarkArticleSeen records it.
	ArticleSeen(url string) (bool, error)
	MarkArticleSeen(url string, at time.Time) error

	CreateFlaggedArticle(f *FlaggedArticle) error
	FlaggedArticle(id int64) (*FlaggedArticle, error)
	// FlaggedArticles returns the newest first, at most limit.
	FlaggedArticles(limit int) ([]*FlaggedArticle, error)
	SetFlaggedArticleCase(id, caseID int64) error
}
