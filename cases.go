package telltale

import (
	"slices"
	"time"
)

// CaseState is where an investigation stands.
type CaseState string

// The states of a case, in order. A case can be closed from any open state.
const (
	CaseIntake      CaseState = "intake"
	CaseTriage      CaseState = "triage"
	CaseAttribution CaseState = "attribution"
	CaseReferred    CaseState = "referred"
	CaseClosed      CaseState = "closed"
)

// CaseStates lists the states in order.
var CaseStates = []CaseState{CaseIntake, CaseTriage, CaseAttribution, CaseReferred, CaseClosed}

// CaseOutcome is how a closed case ended.
type CaseOutcome string

// Outcomes of a closed case.
const (
	OutcomeSubstantiated   CaseOutcome = "substantiated"
	OutcomeUnsubstantiated CaseOutcome = "unsubstantiated"
	OutcomeInconclusive    CaseOutcome = "inconclusive"
)

// CaseOutcomes lists the outcomes.
var CaseOutcomes = []CaseOutcome{OutcomeSubstantiated, OutcomeUnsubstantiated, OutcomeInconclusive}

// CanMove reports whether a case may go from one state to another: forward
// one step, or to closed from any open state.
func CanMove(from, to CaseState) bool {
	if from == CaseClosed {
		return false
	}
	if to == CaseClosed {
		return true
	}
	i, j := slices.Index(CaseStates, from), slices.Index(CaseStates, to)
	return i >= 0 && j == i+1
}

// Case is an investigation of a leak.
type Case struct {
	ID      int64
	Title   string
	State   CaseState
	Outcome CaseOutcome // set when closed
	// VersionID is the leaked version, once a trace has found it (0
	// before).
	VersionID int64
	// PublishedAt is when the leak was published, if known: the access
	// timeline is shown relative to it.
	PublishedAt time.Time
	AssigneeID  int64  // a user, or 0
	Office      string // the office the case was referred to
	// Nonce derives the key that encrypts the case's evidence and notes.
	Nonce     []byte
	CreatedBy string // actor reference
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Evidence is one item of a case, stored unchanged (encrypted) with its
// hash.
type Evidence struct {
	ID     int64
	CaseID int64
	Kind   string // "text" (pasted), "file" (uploaded), "article" (from the monitor)
	Name   string // file name or title
	URL    string // where it was found, if anywhere
	SHA256 [32]byte
	Size   int
	Sealed []byte // the content, encrypted
	// Verdict is the trace verdict of this item (JSON, encrypted), if it
	// was traced.
	Verdict []byte
	AddedBy string
	AddedAt time.Time
}

// CaseEvent is an entry of a case's history: a note, a move, an
// assignment, a referral. Text is encrypted.
type CaseEvent struct {
	ID     int64
	CaseID int64
	Kind   string // "note", "move", "assign", "evidence", "open", "export"
	Sealed []byte
	Actor  string
	At     time.Time
}

// CaseTx stores cases.
type CaseTx interface {
	CreateCase(c *Case) error
	Case(id int64) (*Case, error)
	Cases() ([]*Case, error)
	// UpdateCase saves title, state, outcome, version, publication time,
	// assignee, office and UpdatedAt.
	UpdateCase(c *Case) error
	AddEvidence(e *Evidence) error
	CaseEvidence(caseID int64) ([]*Evidence, error)
	AddCaseEvent(e *CaseEvent) error
	CaseEvents(caseID int64) ([]*CaseEvent, error)
}
