package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/sqlite"
)

// Main is the telltale program: its input and output streams, environment
// and clock, so tests can run it in-process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// Listening, if set, is told the address serve listens on (tests
	// start the server on port 0).
	Listening func(addr string)
}

// NewMain returns a Main wired to the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
}

// CLI is the command-line grammar.
type CLI struct {
	Data   string `help:"Data directory holding the master key and database (env TELLTALE_DATA; default ~/.local/share/telltale)." placeholder:"DIR"`
	Server string `help:"Work on a telltale server instead of the local data directory (env TELLTALE_SERVER; the API token comes from TELLTALE_TOKEN)." placeholder:"URL"`

	Init      InitCmd      `cmd:"" help:"Create the data directory, master key and database."`
	Doc       DocCmd       `cmd:"" help:"Add, list and show protected documents."`
	Recipient RecipientCmd `cmd:"" help:"Register and list recipients."`
	Issue     IssueCmd     `cmd:"" help:"Issue marked copies of a document to recipients."`
	Copy      CopyCmd      `cmd:"" help:"Open or revoke an issued copy."`
	Trace     TraceCmd     `cmd:"" help:"Read a leaked text and say who it comes from, with a bound on the chance of accusing an innocent."`
	Ledger    LedgerCmd    `cmd:"" help:"Show, verify and prove the tamper-evident record of every change."`
	Case      CaseCmd      `cmd:"" help:"Investigate leaks: open cases, add evidence, notes, workflow, export an evidence bundle."`
	Monitor   MonitorCmd   `cmd:"" help:"Watch news feeds and pages for articles that disclose protected documents."`
	Verify    VerifyCmd    `cmd:"" help:"Check an evidence bundle offline: files, ledger proofs, signed checkpoint, codeword commitments."`
	Serve     ServeCmd     `cmd:"" help:"Run the web server and JSON API."`
	User      UserCmd      `cmd:"" help:"Manage the server's users and API tokens."`
	Demo      DemoCmd      `cmd:"" help:"Run the whole story on a bundled sample, in a temporary directory."`
	Sim       SimCmd       `cmd:"" help:"Simulate leaks: observed slots needed for a 99% catch, and the empirical false-accusation rate."`
	Version   VersionCmd   `cmd:"" help:"Print the version."`
}

// env is what every command gets: the streams and, once opened, the store.
type env struct {
	ctx    context.Context
	main   *Main
	cli    *CLI
	stdout io.Writer
	stderr io.Writer

	db  *sqlite.DB
	svc *service.Service
}

// exitCode is raised by kong's Exit hook so Run can return it.
type exitCode int

// Run runs the program with args and returns its exit status: 0 on success,
// 1 when a command fails, 2 for a usage error.
func (m *Main) Run(ctx context.Context, args []string) (code int) {
	var cli CLI
	parser, err := kong.New(&cli,
		kong.Name("telltale"),
		kong.Description("Telltale gives each recipient of a sensitive document a copy that reads the same but differs in places nobody notices, and traces a leak back to its source with a proven error bound."),
		kong.Writers(m.Stdout, m.Stderr),
		kong.Exit(func(c int) { panic(exitCode(c)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintf(m.Stderr, "telltale: internal error: %v\n", err)
		return 1
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(exitCode)
			if !ok {
				panic(r)
			}
			code = int(c)
		}
	}()
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(m.Stderr, "telltale: error: %v\n", err)
		fmt.Fprintf(m.Stderr, "Run \"telltale --help\" for usage.\n")
		return 2
	}
	e := &env{ctx: ctx, main: m, cli: &cli, stdout: m.Stdout, stderr: m.Stderr}
	defer e.close()
	if err := kctx.Run(e); err != nil {
		printError(m.Stderr, err)
		return 1
	}
	return 0
}

// printError prints an error for a person: the message, and on a second
// line the hint if the message carries one.
func printError(w io.Writer, err error) {
	msg := err.Error()
	var te *telltale.Error
	if errors.As(err, &te) && te.Code != telltale.EINTERNAL {
		msg = te.Message
	}
	if main, hint, ok := strings.Cut(msg, " (hint: "); ok {
		fmt.Fprintf(w, "telltale: error: %s\n", main)
		fmt.Fprintf(w, "telltale: hint: %s\n", strings.TrimSuffix(hint, ")"))
		return
	}
	fmt.Fprintf(w, "telltale: error: %s\n", msg)
}

// dataDir returns the data directory from the flag, the environment or the
// default.
func (e *env) dataDir() (string, error) {
	if e.cli.Server != "" {
		return "", fmt.Errorf("this command works on the local data directory and cannot use --server (commands that can: doc, recipient, issue, copy, trace, ledger checkpoint, ledger verify)")
	}
	if e.cli.Data != "" {
		return e.cli.Data, nil
	}
	if d := e.main.Getenv("TELLTALE_DATA"); d != "" {
		return d, nil
	}
	if x := e.main.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "telltale"), nil
	}
	home := e.main.Getenv("HOME")
	if home == "" {
		return "", errors.New("no data directory: set --data or TELLTALE_DATA")
	}
	return filepath.Join(home, ".local", "share", "telltale"), nil
}

const (
	keyFile       = "master.key"
	dbFile        = "telltale.db"
	ledgerKeyFile = "ledger.key"
	ledgerPubFile = "ledger.pub"
)

// open opens the data directory's store and service.
func (e *env) open() (*service.Service, error) {
	if e.svc != nil {
		return e.svc, nil
	}
	dir, err := e.dataDir()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, dbFile)); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no telltale data in %s (hint: run telltale init first, or point --data at your data directory)", dir)
	}
	master, err := keys.Load(filepath.Join(dir, keyFile))
	if err != nil {
		return nil, err
	}
	log, err := ledger.Open(filepath.Join(dir, ledgerKeyFile), filepath.Join(dir, ledgerPubFile))
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(e.ctx, filepath.Join(dir, dbFile))
	if err != nil {
		return nil, err
	}
	e.db = db
	e.svc = service.New(db, master, log, service.Options{Now: e.main.Now})
	return e.svc, nil
}

func (e *env) close() {
	if e.db != nil {
		e.db.Close()
	}
}

// actor is who runs a CLI command: the local operator, who holds the data
// directory and so may do everything. Records name them by login.
func (e *env) actor() telltale.Actor {
	if u := e.main.Getenv("USER"); u != "" {
		return telltale.LocalActor("cli:" + u)
	}
	return telltale.LocalActor("cli")
}

// VersionCmd prints the version.
type VersionCmd struct{}

// Version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func (c *VersionCmd) Run(e *env) error {
	fmt.Fprintf(e.stdout, "telltale %s\n", version)
	return nil
}

// InitCmd creates a data directory.
type InitCmd struct{}

func (c *InitCmd) Run(e *env) error {
	dir, err := e.dataDir()
	if err != nil {
		return err
	}
	return initDataDir(e, dir)
}

func initDataDir(e *env, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("failed to create data directory %s: %w", dir, err)
	}
	keyPath := filepath.Join(dir, keyFile)
	created := false
	if _, err := keys.Generate(keyPath); err != nil {
		if !errors.Is(err, keys.ErrExists) {
			return err
		}
		if _, err := keys.Load(keyPath); err != nil {
			return err
		}
	} else {
		created = true
	}
	ledgerKey := filepath.Join(dir, ledgerKeyFile)
	newLedgerKey := false
	if _, err := os.Stat(ledgerKey); errors.Is(err, os.ErrNotExist) {
		if err := ledger.WriteKeys(ledgerKey, filepath.Join(dir, ledgerPubFile), "telltale-"+hex.EncodeToString(keys.Nonce(4))); err != nil {
			return err
		}
		newLedgerKey = true
	}
	db, err := sqlite.Open(e.ctx, filepath.Join(dir, dbFile))
	if err != nil {
		return err
	}
	db.Close()
	if newLedgerKey {
		defer fmt.Fprintf(e.stdout, "  ledger key: %s (mode 0600); checkpoints verify with %s\n", ledgerKey, filepath.Join(dir, ledgerPubFile))
	}
	if created {
		fmt.Fprintf(e.stdout, "Initialized telltale in %s\n", dir)
		fmt.Fprintf(e.stdout, "  master key: %s (mode 0600) — back it up apart from the database; without it no copy can be traced\n", keyPath)
	} else {
		fmt.Fprintf(e.stdout, "telltale data in %s is ready (existing master key kept)\n", dir)
	}
	fmt.Fprintf(e.stdout, "  database:   %s\n", filepath.Join(dir, dbFile))
	return nil
}
