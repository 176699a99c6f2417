package sqlite

import (
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (tx *Tx) CreateUser(u *telltale.User) error {
	res, err := tx.exec("add user "+u.Email, `INSERT INTO users (email, name, password_hash, roles, disabled, failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.Name, u.PasswordHash, column.Roles(u.Roles), boolInt(u.Disabled), u.FailedLogins, column.Nanos(u.LockedUntil), column.Nanos(u.CreatedAt))
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

const userColumns = `id, email, name, password_hash, roles, disabled, failed_logins, locked_until, created_at`

func scanUser(row interface{ Scan(...any) error }) (*telltale.User, error) {
	var u telltale.User
	var roles string
	var disabled int
	var locked, created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &roles, &disabled, &u.FailedLogins, &locked, &created); err != nil {
		return nil, err
	}
	u.Roles, u.Disabled, u.LockedUntil, u.CreatedAt = column.ParseRoles(roles), disabled != 0, column.FromNanos(locked), column.FromNanos(created)
	return &u, nil
}

func (tx *Tx) queryUser(what string, q string, args ...any) (*telltale.User, error) {
	u, err := scanUser(tx.tx.QueryRowContext(tx.ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("user", what)
	}
	if err != nil {
		return nil, storeError("read user", err)
	}
	return u, nil
}

func (tx *Tx) User(id int64) (*telltale.User, error) {
	return tx.queryUser(strconv.FormatInt(id, 10), `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
}

func (tx *Tx) UserByEmail(email string) (*telltale.User, error) {
	return tx.queryUser(email, `SELECT `+userColumns+` FROM users WHERE email = ?`, email)
}

func (tx *Tx) Users() ([]*telltale.User, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, storeError("list users", err)
	}
	defer rows.Close()
	var out []*telltale.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, storeError("list users", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (tx *Tx) UpdateUser(u *telltale.User) error {
	res, err := tx.exec("update user", `UPDATE users SET name = ?, password_hash = ?, roles = ?, disabled = ?, failed_logins = ?, locked_until = ? WHERE id = ?`,
		u.Name, u.PasswordHash, column.Roles(u.Roles), boolInt(u.Disabled), u.FailedLogins, column.Nanos(u.LockedUntil), u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("user", u.ID)
	}
	return nil
}

func (tx *Tx) CreateSession(s *telltale.Session) error {
	res, err := tx.exec("create session", `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, client) VALUES (?, ?, ?, ?, ?)`,
		s.TokenHash[:], s.UserID, column.Nanos(s.CreatedAt), column.Nanos(s.ExpiresAt), s.Client)
	if err != nil {
		return err
	}
	s.ID, err = res.LastInsertId()
	return err
}

func (tx *Tx) SessionByToken(hash [32]byte, now time.Time) (*telltale.Session, error) {
	var s telltale.Session
	var h []byte
	var created, expires int64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT id, token_hash, user_id, created_at, expires_at, client FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		hash[:], column.Nanos(now)).Scan(&s.ID, &h, &s.UserID, &created, &expires, &s.Client)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, telltale.Errorf(telltale.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, storeError("read session", err)
	}
	s.TokenHash, err = column.Hash32(h)
	s.CreatedAt, s.ExpiresAt = column.FromNanos(created), column.FromNanos(expires)
	return &s, err
}

func (tx *Tx) DeleteSession(id int64) error {
	_, err := tx.exec("delete session", `DELETE FROM sessions WHERE id = ?`, id)
	return err
}

func (tx *Tx) DeleteSessions(userID int64) error {
	_, err := tx.exec("delete sessions", `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

func (tx *Tx) CreateAPIToken(t *telltale.APIToken) error {
	res, err := tx.exec("create API token", `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		t.UserID, t.Name, t.TokenHash[:], column.Nanos(t.CreatedAt))
	if err != nil {
		return err
	}
	t.ID, err = res.LastInsertId()
	return err
}

const tokenColumns = `id, user_id, name, token_hash, created_at, last_used, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*telltale.APIToken, error) {
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
	t, err := scanToken(tx.tx.QueryRowContext(tx.ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ? AND revoked_at = 0`, hash[:]))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, telltale.Errorf(telltale.ENOTFOUND, "no such API token")
	}
	if err != nil {
		return nil, storeError("read API token", err)
	}
	return t, nil
}

func (tx *Tx) APITokens(userID int64) ([]*telltale.APIToken, error) {
	q := `SELECT ` + tokenColumns + ` FROM api_tokens`
	var args []any
	if userID != 0 {
		q += ` WHERE user_id = ?`
		args = append(args, userID)
	}
	rows, err := tx.tx.QueryContext(tx.ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, storeError("list API tokens", err)
	}
	defer rows.Close()
	var out []*telltale.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, storeError("list API tokens", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (tx *Tx) RevokeAPIToken(id int64, at time.Time) error {
	res, err := tx.exec("revoke API token", `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, column.Nanos(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("API token", id)
	}
	return nil
}

func (tx *Tx) TouchAPIToken(id int64, at time.Time) error {
	_, err := tx.exec("touch API token", `UPDATE api_tokens SET last_used = ? WHERE id = ?`, column.Nanos(at), id)
	return err
}
