package telltale

import (
	"fmt"
	"slices"
	"time"
)

// Role is what a user may do.
type Role string

const (
	// RoleAdmin manages users, roles, API tokens and the ledger, and may
	// do everything else.
	RoleAdmin Role = "admin"
	// RoleOwner stores documents, registers recipients, issues and
	// revokes copies of the documents they own.
	RoleOwner Role = "owner"
	// RoleInvestigator traces leaks.
	RoleInvestigator Role = "investigator"
	// RoleRecipient reads the copies issued to their own email address.
	RoleRecipient Role = "recipient"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleOwner, RoleInvestigator, RoleRecipient}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "unknown role %q (want admin, owner, investigator or recipient)", s)
}

// User is a person who signs in to the server.
type User struct {
	ID    int64
	Email string // lower case; also links a recipient user to their copies
	Name  string
	// PasswordHash is an Argon2id hash in PHC string format; empty for
	// users who sign in with API tokens only.
	PasswordHash string
	Roles        []Role
	Disabled     bool
	// FailedLogins counts consecutive failed sign-ins; LockedUntil
	// refuses sign-ins until then.
	FailedLogins int
	LockedUntil  time.Time
	CreatedAt    time.Time
}

// Has reports whether the user has a role.
func (u *User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// Session is a signed-in browser. Only a hash of its token is stored.
type Session struct {
	ID        int64
	TokenHash [32]byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	Client    string
}

// APIToken lets a program act as a user. Only a hash of the token is
// stored.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	TokenHash [32]byte
	CreatedAt time.Time
	LastUsed  time.Time
	RevokedAt time.Time
}

// Actor is who is asking a service to act: a signed-in user or token, or
// the local operator at the command line, who holds the data directory and
// so may do everything.
type Actor struct {
	UserID int64
	Email  string
	Name   string
	Roles  []Role
	// Local marks the command-line operator.
	Local bool
}

// LocalActor is the operator at the command line.
func LocalActor(name string) Actor { return Actor{Name: name, Local: true} }

// UserActor is a signed-in user.
func UserActor(u *User) Actor {
	return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: slices.Clone(u.Roles)}
}

// Has reports whether the actor has a role; the local operator has all.
func (a Actor) Has(r Role) bool { return a.Local || slices.Contains(a.Roles, r) }

// Any reports whether the actor has one of the roles.
func (a Actor) Any(rs ...Role) bool {
	for _, r := range rs {
		if a.Has(r) {
			return true
		}
	}
	return false
}

// Ref names the actor in records: "user/3", or "cli:alice".
func (a Actor) Ref() string {
	if a.Local {
		if a.Name == "" {
			return "cli"
		}
		return a.Name
	}
	return fmt.Sprintf("user/%d", a.UserID)
}
