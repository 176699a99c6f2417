package postgres

import (
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

func (tx *Tx) CreateUser(u *telltale.User) error {
	id, err := tx.insert("add user "+u.Email, `INSERT INTO users (email, name, password_hash, roles, disabled, failed_logins, locked_until, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.Email, u.Name, u.PasswordHash, column.Roles(u.Roles), u.Disabled, u.FailedLogins, column.Nanos(u.LockedUntil), column.Nanos(u.CreatedAt))
	if err != nil {
		return err
	}
	u.ID = id
	return nil
}

const userColumns = `id, email, name, password_hash, roles, disabled, failed_logins, locked_until, created_at`

func scanUser(row pgx.Row) (*telltale.User, error) {
	var u telltale.User
	var roles string
	var locked, created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &roles, &u.Disabled, &u.FailedLogins, &locked, &created); err != nil {
		return nil, err
	}
	u.Roles, u.LockedUntil, u.CreatedAt = column.ParseRoles(roles), column.FromNanos(locked), column.FromNanos(created)
	return &u, nil
}

func (tx *Tx) queryUser(what string, q string, args ...any) (*telltale.User, error) {
	return one(tx, "read user", func() error { return column.NotFound("user", what) }, scanUser, q, args...)
}

func (tx *Tx) User(id int64) (*telltale.User, error) {
	return tx.queryUser(strconv.FormatInt(id, 10), `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
}

func (tx *Tx) UserByEmail(email string) (*telltale.User, error) {
	return tx.queryUser(email, `SELECT `+userColumns+` FROM users WHERE email = $1`, email)
}

func (tx *Tx) Users() ([]*telltale.User, error) {
	return list(tx, "list users", scanUser, `SELECT `+userColumns+` FROM users ORDER BY email`)
}

func (tx *Tx) UpdateUser(u *telltale.User) error {
	tag, err := tx.exec("update user", `UPDATE users SET name = $1, password_hash = $2, roles = $3, disabled = $4, failed_logins = $5, locked_until = $6 WHERE id = $7`,
		u.Name, u.PasswordHash, column.Roles(u.Roles), u.Disabled, u.FailedLogins, column.Nanos(u.LockedUntil), u.ID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("user", u.ID)
	}
	return nil
}

func (tx *Tx) CreateSession(s *telltale.Session) error {
	id, err := tx.insert("create session", `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, client) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		s.TokenHash[:], s.UserID, column.Nanos(s.CreatedAt), column.Nanos(s.ExpiresAt), s.Client)
	if err != nil {
		return err
	}
	s.ID = id
	return nil
}

func (tx *Tx) SessionByToken(hash [32]byte, now time.Time) (*telltale.Session, error) {
	scan := func(row pgx.Row) (*telltale.Session, error) {
		var s telltale.Session
		var h []byte
		var created, expires int64
		if err := row.Scan(&s.ID, &h, &s.UserID, &created, &expires, &s.Client); err != nil {
			return nil, err
		}
		var err error
		s.TokenHash, err = column.Hash32(h)
		s.CreatedAt, s.ExpiresAt = column.FromNanos(created), column.FromNanos(expires)
		return &s, err
	}
	return one(tx, "read session", func() error { return telltale.Errorf(telltale.ENOTFOUND, "no such session") }, scan,
		`SELECT id, token_hash, user_id, created_at, expires_at, client FROM sessions WHERE token_hash = $1 AND expires_at > $2`, hash[:], column.Nanos(now))
}

func (tx *Tx) DeleteSession(id int64) error {
	_, err := tx.exec("delete session", `DELETE FROM sessions WHERE id = $1`, id)
	return err
}

func (tx *Tx) DeleteSessions(userID int64) error {
	_, err := tx.exec("delete sessions", `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

func (tx *Tx) CreateAPIToken(t *telltale.APIToken) error {
	id, err := tx.insert("create API token", `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		t.UserID, t.Name, t.TokenHash[:], column.Nanos(t.CreatedAt))
	if err != nil {
		return err
	}
	t.ID = id
	return nil
}

const tokenColumns = `id, user_id, name, token_hash, created_at, last_used, revoked_at`

func scanToken(row pgx.Row) (*telltale.APIToken, error) {
	var t telltale.APIToken
	var h []byte
	var created, used, revoked int64
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &h, &created, &used, &revoked); err != nil {
		return nil, err
	}
	var err error
	t.TokenHash, err = column.Hash32(h)
	t.CreatedAt, t.LastUsed, t.RevokedAt = column.FromNanos(created), column.FromNanos(used), column.FromNanos(revoked)
	return &t, err
}

func (tx *Tx) APITokenByHash(hash [32]byte) (*telltale.APIToken, error) {
	return one(tx, "read API token", func() error { return telltale.Errorf(telltale.ENOTFOUND, "no such API token") }, scanToken,
		`SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1 AND revoked_at = 0`, hash[:])
}

func (tx *Tx) APITokens(userID int64) ([]*telltale.APIToken, error) {
	if userID != 0 {
		return list(tx, "list API tokens", scanToken, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
	}
	return list(tx, "list API tokens", scanToken, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id`)
}

func (tx *Tx) RevokeAPIToken(id int64, at time.Time) error {
	tag, err := tx.exec("revoke API token", `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0`, column.Nanos(at), id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("API token", id)
	}
	return nil
}

func (tx *Tx) TouchAPIToken(id int64, at time.Time) error {
	_, err := tx.exec("touch API token", `UPDATE api_tokens SET last_used = $1 WHERE id = $2`, column.Nanos(at), id)
	return err
}
