package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/password"
)

// Sign-in policy.
const (
	// SessionLifetime is how long a browser stays signed in.
	SessionLifetime = 12 * time.Hour
	// MaxFailedLogins consecutive failures lock an account for
	// LockoutDuration.
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
)

// Ledger actions for user management.
const (
	actionUserAdd     = "user.add"
	actionUserUpdate  = "user.update"
	actionTokenCreate = "token.create"
	actionTokenRevoke = "token.revoke"
)

// CreateUser adds a user. Only admins (and the local operator) may. The
// password may be empty for a user who will only use API tokens.
func (s *Service) CreateUser(ctx context.Context, actor telltale.Actor, u *telltale.User, pw string) error {
	if !actor.Has(telltale.RoleAdmin) {
		return forbidden("adding a user", telltale.RoleAdmin)
	}
	email, err := normalizeEmail(u.Email)
	if err != nil {
		return err
	}
	u.Email, u.Name = email, strings.TrimSpace(u.Name)
	if u.Name == "" {
		return telltale.Errorf(telltale.EINVALID, "a user needs a name")
	}
	if len(u.Roles) == 0 {
		return telltale.Errorf(telltale.EINVALID, "give the user at least one role (admin, owner, investigator, recipient)")
	}
	for _, r := range u.Roles {
		if _, err := telltale.ParseRole(string(r)); err != nil {
			return err
		}
	}
	if pw != "" {
		if err := password.Validate(pw); err != nil {
			return telltale.Errorf(telltale.EINVALID, "%v", err)
		}
		if u.PasswordHash, err = password.Hash(pw, s.pwParams); err != nil {
			return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to hash the password", Err: err}
		}
	}
	u.CreatedAt = s.now().UTC()
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		if err := tx.CreateUser(u); err != nil {
			return err
		}
		return s.record(tx, u.CreatedAt, actor, actionUserAdd, ref("user", u.ID), map[string]string{"email": sha([]byte(u.Email)), "roles": rolesField(u.Roles)})
	})
	if telltale.ErrorCode(err) == telltale.ECONFLICT {
		return telltale.Errorf(telltale.ECONFLICT, "a user with email %s already exists", u.Email)
	}
	return err
}

func rolesField(rs []telltale.Role) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r))
	}
	if len(s) == 0 {
		return "-"
	}
	slices.Sort(s)
	return strings.Join(s, ",")
}

// HasAdmin reports whether any enabled admin exists (the first-run check).
func (s *Service) HasAdmin(ctx context.Context) (bool, error) {
	found := false
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		us, err := tx.Users()
		for _, u := range us {
			found = found || u.Has(telltale.RoleAdmin) && !u.Disabled
		}
		return err
	})
	return found, err
}

// CreateFirstAdmin creates the first admin, and only while none exists:
// the server's one-time setup page calls it.
func (s *Service) CreateFirstAdmin(ctx context.Context, u *telltale.User, pw string) error {
	has, err := s.HasAdmin(ctx)
	if err != nil {
		return err
	}
	if has {
		return telltale.Errorf(telltale.ECONFLICT, "an admin exists already; sign in instead")
	}
	if pw == "" {
		return telltale.Errorf(telltale.EINVALID, "the first admin needs a password")
	}
	u.Roles = []telltale.Role{telltale.RoleAdmin}
	return s.CreateUser(ctx, telltale.LocalActor("setup"), u, pw)
}

// Users lists users (admins only).
func (s *Service) Users(ctx context.Context, actor telltale.Actor) ([]*telltale.User, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("listing users", telltale.RoleAdmin)
	}
	var out []*telltale.User
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) { out, err = tx.Users(); return err })
	return out, err
}

// UpdateUser changes a user's roles and whether they are disabled (admins
// only). Disabling signs the user out everywhere. An admin cannot remove
// their own admin role or disable themselves: someone must be able to
// manage users.
func (s *Service) UpdateUser(ctx context.Context, actor telltale.Actor, id int64, roles []telltale.Role, disabled bool) error {
	if !actor.Has(telltale.RoleAdmin) {
		return forbidden("changing a user", telltale.RoleAdmin)
	}
	for _, r := range roles {
		if _, err := telltale.ParseRole(string(r)); err != nil {
			return err
		}
	}
	if id == actor.UserID && (disabled || !slices.Contains(roles, telltale.RoleAdmin)) {
		return telltale.Errorf(telltale.EINVALID, "you cannot remove your own admin role or disable yourself; ask another admin")
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		u.Roles, u.Disabled = roles, disabled
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		if disabled {
			if err := tx.DeleteSessions(id); err != nil {
				return err
			}
		}
		return s.record(tx, s.now().UTC(), actor, actionUserUpdate, ref("user", id), map[string]string{"roles": rolesField(roles), "disabled": fmt.Sprint(disabled)})
	})
}

// SetPassword changes a password: one's own, or anyone's for an admin.
func (s *Service) SetPassword(ctx context.Context, actor telltale.Actor, id int64, pw string) error {
	if id != actor.UserID && !actor.Has(telltale.RoleAdmin) {
		return forbidden("changing another user's password", telltale.RoleAdmin)
	}
	if err := password.Validate(pw); err != nil {
		return telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	h, err := password.Hash(pw, s.pwParams)
	if err != nil {
		return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to hash the password", Err: err}
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		u.PasswordHash, u.FailedLogins, u.LockedUntil = h, 0, time.Time{}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		// A new password signs out every other browser.
		if err := tx.DeleteSessions(id); err != nil {
			return err
		}
		return s.record(tx, s.now().UTC(), actor, actionUserUpdate, ref("user", id), map[string]string{"password": "changed"})
	})
}

// newToken returns a random secret and its stored hash.
func newToken(prefix string) (string, [32]byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("service: no randomness: " + err.Error())
	}
	tok := prefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, sha256.Sum256([]byte(tok))
}

// errSignIn is the one answer for a wrong email or password, so the page
// does not reveal which addresses have accounts.
// errSignIn is every failed sign-in's answer, whatever failed — an
// unknown e-mail, a wrong password, a disabled or locked account — so that
// nobody learns which accounts exist or are locked.
var errSignIn = telltale.Errorf(telltale.EUNAUTHORIZED, "wrong email or password, or the account is locked after too many failed sign-ins (hint: if you are sure of your password, wait a quarter of an hour)")

// Login checks an email and password and starts a session, returning its
// secret token. Five consecutive failures lock the account for 15 minutes.
func (s *Service) Login(ctx context.Context, email, pw, client string) (string, *telltale.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.now().UTC()
	var u *telltale.User
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) { u, err = tx.UserByEmail(email); return err })
	if telltale.ErrorCode(err) == telltale.ENOTFOUND || err == nil && (u.PasswordHash == "" || u.Disabled) {
		password.Check(pw, s.dummy())
		return "", nil, errSignIn
	}
	if err != nil {
		return "", nil, err
	}
	checkErr := password.Check(pw, u.PasswordHash)
	var token string
	locked := false
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		locked = false // the function may run again (see telltale.Store.Update)
		fresh, err := tx.User(u.ID)
		if err != nil {
			return err
		}
		// The lock is decided here, in the transaction that counts the
		// failure, so parallel attempts cannot slip past it.
		if now.Before(fresh.LockedUntil) {
			locked = true
			return nil
		}
		if checkErr != nil {
			fresh.FailedLogins++
			if fresh.FailedLogins >= MaxFailedLogins {
				fresh.LockedUntil, fresh.FailedLogins = now.Add(LockoutDuration), 0
			}
			return tx.UpdateUser(fresh)
		}
		if fresh.FailedLogins != 0 {
			fresh.FailedLogins = 0
			if err := tx.UpdateUser(fresh); err != nil {
				return err
			}
		}
		var hash [32]byte
		token, hash = newToken("tts_")
		return tx.CreateSession(&telltale.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime), Client: client})
	})
	if err != nil {
		return "", nil, err
	}
	if locked {
		return "", nil, errSignIn
	}
	if checkErr != nil {
		if !errors.Is(checkErr, password.ErrMismatch) {
			return "", nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to check the password", Err: checkErr}
		}
		return "", nil, errSignIn
	}
	return token, u, nil
}

// Authenticate returns the actor of a session token, or EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (telltale.Actor, int64, error) {
	if !strings.HasPrefix(token, "tts_") {
		return telltale.Actor{}, 0, telltale.Errorf(telltale.EUNAUTHORIZED, "not signed in")
	}
	var actor telltale.Actor
	var sid int64
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		sess, err := tx.SessionByToken(sha256.Sum256([]byte(token)), s.now())
		if err != nil {
			return telltale.Errorf(telltale.EUNAUTHORIZED, "your session has ended; sign in again")
		}
		u, err := tx.User(sess.UserID)
		if err != nil || u.Disabled {
			return telltale.Errorf(telltale.EUNAUTHORIZED, "your session has ended; sign in again")
		}
		actor, sid = telltale.UserActor(u), sess.ID
		return nil
	})
	return actor, sid, err
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, sessionID int64) error {
	return s.store.Update(ctx, func(tx telltale.Tx) error { return tx.DeleteSession(sessionID) })
}

// LogoutEverywhere ends every session of the actor.
func (s *Service) LogoutEverywhere(ctx context.Context, actor telltale.Actor) error {
	if actor.UserID == 0 {
		return telltale.Errorf(telltale.EINVALID, "not a signed-in user")
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error { return tx.DeleteSessions(actor.UserID) })
}

// CreateAPIToken creates a token for a user: one's own, or anyone's for an
// admin. The secret is returned once and never stored.
func (s *Service) CreateAPIToken(ctx context.Context, actor telltale.Actor, userID int64, name string) (string, *telltale.APIToken, error) {
	// A token acts as its user: nobody, admins included, mints one for
	// someone else (they could then read what that person may read). The
	// operator at the command line, who holds the keys, may.
	if userID != actor.UserID && !actor.Local {
		return "", nil, telltale.Errorf(telltale.EFORBIDDEN, "API tokens are created by the user they act for (hint: they sign in and create it under Account, or the operator runs telltale user token --email)")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 {
		return "", nil, telltale.Errorf(telltale.EINVALID, "name the token (1–64 characters), e.g. after the program that uses it")
	}
	secret, hash := newToken("ttk_")
	t := &telltale.APIToken{UserID: userID, Name: name, TokenHash: hash, CreatedAt: s.now().UTC()}
	err := s.store.Update(ctx, func(tx telltale.Tx) error {
		if _, err := tx.User(userID); err != nil {
			return err
		}
		if err := tx.CreateAPIToken(t); err != nil {
			return err
		}
		return s.record(tx, t.CreatedAt, actor, actionTokenCreate, ref("token", t.ID), map[string]string{"user": ref("user", userID)})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// APITokens lists tokens: the actor's own, or everyone's for an admin.
func (s *Service) APITokens(ctx context.Context, actor telltale.Actor) ([]*telltale.APIToken, error) {
	uid := actor.UserID
	if actor.Has(telltale.RoleAdmin) {
		uid = 0
	}
	var out []*telltale.APIToken
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) { out, err = tx.APITokens(uid); return err })
	return out, err
}

// RevokeAPIToken revokes a token: one's own, or anyone's for an admin.
func (s *Service) RevokeAPIToken(ctx context.Context, actor telltale.Actor, id int64) error {
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		list, err := tx.APITokens(0)
		if err != nil {
			return err
		}
		var t *telltale.APIToken
		for _, x := range list {
			if x.ID == id && (x.UserID == actor.UserID || actor.Has(telltale.RoleAdmin)) {
				t = x
			}
		}
		if t == nil {
			return telltale.Errorf(telltale.ENOTFOUND, "no API token %d", id)
		}
		if err := tx.RevokeAPIToken(id, s.now().UTC()); err != nil {
			return err
		}
		return s.record(tx, s.now().UTC(), actor, actionTokenRevoke, ref("token", id), nil)
	})
}

// AuthenticateToken returns the actor of an API token.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (telltale.Actor, error) {
	if !strings.HasPrefix(token, "ttk_") {
		return telltale.Actor{}, telltale.Errorf(telltale.EUNAUTHORIZED, "invalid API token")
	}
	var actor telltale.Actor
	err := s.store.Update(ctx, func(tx telltale.Tx) error {
		t, err := tx.APITokenByHash(sha256.Sum256([]byte(token)))
		if err != nil {
			return telltale.Errorf(telltale.EUNAUTHORIZED, "invalid or revoked API token")
		}
		u, err := tx.User(t.UserID)
		if err != nil || u.Disabled {
			return telltale.Errorf(telltale.EUNAUTHORIZED, "the token's user is disabled")
		}
		actor = telltale.UserActor(u)
		if now := s.now(); now.Sub(t.LastUsed) > time.Minute {
			return tx.TouchAPIToken(t.ID, now.UTC())
		}
		return nil
	})
	return actor, err
}
