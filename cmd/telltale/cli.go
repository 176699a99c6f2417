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
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/office"
	"github.com/telltale-dev/telltale/pdf"
	"github.com/telltale-dev/telltale/postgres"
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
	Data string `help:"Data directory holding the master key and database (env TELLTALE_DATA; default ~/.local/share/telltale)." placeholder:"DIR"`
	// Server is read through env.serverURL, with TELLTALE_SERVER.
	Server string `help:"Work on a telltale server instead of the local data directory (env TELLTALE_SERVER; the API token comes from TELLTALE_TOKEN). The doc, recipient, issue, copy, trace, ledger checkpoint and ledger verify commands can; the others refuse." placeholder:"URL"`
	// Database selects PostgreSQL; see env.databaseURL.
	OCRLang  string `name:"ocr-lang" help:"Tesseract languages for reading leaked photos and scans, e.g. eng+fra (env TELLTALE_OCR_LANG; default eng; each needs its Debian package tesseract-ocr-LANG)." placeholder:"LANGS"`
	Verbose  bool   `short:"v" help:"Report the progress of long work on standard error even when it is not a terminal, as a line now and then (on a terminal a progress bar is shown anyway)."`
	Database string `help:"Keep records in this PostgreSQL database (postgres://…; env TELLTALE_DATABASE), which several server instances can share, instead of the data directory's SQLite file. The data directory still holds the master key and ledger keys: every instance needs the same ones (see docs/deploy.md)." placeholder:"URL"`

	Init      InitCmd      `cmd:"" help:"Create the data directory, master key and database."`
	Migrate   MigrateCmd   `cmd:"" help:"Create or upgrade the database schema and print what was applied (run it before starting upgraded servers)."`
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
	// command is the command being run, such as "case list", for
	// messages.
	command string

	db      store
	svc     *service.Service
	printer *pdf.Printer // started on first use
	// embedded forces the data directory's SQLite database whatever
	// --database says (the demo runs on its own temporary data).
	embedded bool
}

// store is an open database: package sqlite's or package postgres's.
type store interface {
	telltale.Store
	// SchemaVersion is the number of the last applied migration.
	SchemaVersion(ctx context.Context) (int, error)
	// Applied names the migrations applied when the store was opened.
	Applied() []string
}

// exitCode is raised by kong's Exit hook so Run can return it.
type exitCode int

// Exit statuses. A command that succeeds exits 0, one that fails 1, and a
// command line kong cannot parse 2; trace also says what it found (see
// TraceCmd.Help).
const (
	exitOK           = 0
	exitError        = 1
	exitUsage        = 2
	exitInconclusive = 3
	exitNoEvidence   = 4
)

// statusError ends a command that has printed its result with an exit
// status other than 0, without a message: trace's "inconclusive" is an
// answer, not a failure.
type statusError int

func (s statusError) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// Run runs the program with args and returns its exit status: 0 on success,
// 1 when a command fails, 2 for a usage error, and for trace 3 or 4 when
// nobody is accused.
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
		return exitError
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
		return exitUsage
	}
	e := &env{ctx: ctx, main: m, cli: &cli, stdout: m.Stdout, stderr: m.Stderr}
	if n := kctx.Selected(); n != nil {
		e.command = n.Path()
	}
	defer e.close()
	if err := kctx.Run(e); err != nil {
		var status statusError
		if errors.As(err, &status) {
			return int(status)
		}
		printError(m.Stderr, err)
		return exitError
	}
	return exitOK
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

// dataDir returns the data directory to work on, refusing if a server is
// named (see localOnly).
func (e *env) dataDir() (string, error) {
	if err := e.localOnly(); err != nil {
		return "", err
	}
	return e.dataPath()
}

// dataPath returns the data directory from the flag, the environment or
// the default.
func (e *env) dataPath() (string, error) {
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

// databaseURL returns the PostgreSQL database to use, from the flag or the
// environment, or "" for the data directory's SQLite file.
func (e *env) databaseURL() string {
	switch {
	case e.embedded:
		return ""
	case e.cli.Database != "":
		return e.cli.Database
	}
	return e.main.Getenv("TELLTALE_DATABASE")
}

// openStore opens (creating or upgrading its schema) the database: the
// PostgreSQL database if one is configured, else the SQLite file in dir.
// It returns the store and where it is, for messages.
func (e *env) openStore(dir string) (store, string, error) {
	if err := e.localOnly(); err != nil {
		return nil, "", err
	}
	if u := e.databaseURL(); u != "" {
		if !postgres.IsURL(u) {
			return nil, "", fmt.Errorf("--database (or TELLTALE_DATABASE) must be a PostgreSQL URL such as postgres://telltale@db.example.org/telltale (hint: leave it unset to use the SQLite database in the data directory)")
		}
		db, err := postgres.Open(e.ctx, u)
		if err != nil {
			return nil, "", err
		}
		return db, db.Where(), nil
	}
	path := filepath.Join(dir, dbFile)
	db, err := sqlite.Open(e.ctx, path)
	if err != nil {
		return nil, "", err
	}
	return db, path, nil
}

// open opens the data directory's keys, the store and the service.
func (e *env) open() (*service.Service, error) {
	if e.svc != nil {
		return e.svc, nil
	}
	dir, err := e.dataDir()
	if err != nil {
		return nil, err
	}
	shared := e.databaseURL() != ""
	if shared {
		if _, err := os.Stat(filepath.Join(dir, keyFile)); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no master key in %s (hint: run telltale init --database URL once, then copy %s, %s and %s to the data directory of every other instance)", dir, keyFile, ledgerKeyFile, ledgerPubFile)
		}
	} else if _, err := os.Stat(filepath.Join(dir, dbFile)); errors.Is(err, os.ErrNotExist) {
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
	db, _, err := e.openStore(dir)
	if err != nil {
		return nil, err
	}
	e.db = db
	lang, err := e.ocrLang()
	if err != nil {
		db.Close()
		return nil, err
	}
	e.svc = service.New(db, master, log, service.Options{Now: e.main.Now, Extract: extract.Tools{Languages: lang}, Printer: e.pdfPrinter(), Office: e.officeConverter()})
	if err := checkKeys(e.ctx, e.svc, dir, shared); err != nil {
		db.Close()
		e.svc, e.db = nil, nil
		return nil, err
	}
	return e.svc, nil
}

// checkKeys makes sure this data directory's keys are the ones the
// database was written with (see service.CheckKeys), at every start, and
// if not says which file differs: with a wrong key nothing could be read
// and new writes would not verify.
func checkKeys(ctx context.Context, svc *service.Service, dir string, shared bool) error {
	hint := fmt.Sprintf("restore %s, %s and %s from the backup made with this database", keyFile, ledgerKeyFile, ledgerPubFile)
	if shared {
		hint = fmt.Sprintf("every instance needs the same %s, %s and %s; copy them from the first instance", keyFile, ledgerKeyFile, ledgerPubFile)
	}
	err := svc.CheckKeys(ctx)
	switch {
	case errors.Is(err, service.ErrForeignLedgerKey):
		return fmt.Errorf("the ledger in the database is signed with another key than %s (hint: %s)", filepath.Join(dir, ledgerPubFile), hint)
	case errors.Is(err, service.ErrForeignMasterKey):
		return fmt.Errorf("the master key in %s does not open the documents in the database (hint: %s)", dir, hint)
	}
	return err
}

func (e *env) close() {
	if e.db != nil {
		e.db.Close()
	}
	if e.printer != nil {
		e.printer.Close()
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
	if err := e.refuseNewKeys(dir, keyPath); err != nil {
		return err
	}
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
	db, where, err := e.openStore(dir)
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
	fmt.Fprintf(e.stdout, "  database:   %s\n", where)
	return nil
}

// refuseNewKeys stops init from creating keys for a shared database that
// already holds data: they would not open it. Other instances copy the
// first one's keys instead.
func (e *env) refuseNewKeys(dir, keyPath string) error {
	if e.databaseURL() == "" {
		return nil
	}
	if _, err := os.Stat(keyPath); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, where, err := e.openStore(dir)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int64
	if err := db.View(e.ctx, func(tx telltale.Tx) (err error) { n, err = tx.LedgerSize(); return err }); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%s already holds telltale data, written with another instance's keys (hint: copy %s, %s and %s from that instance's data directory into %s instead of running init)",
			where, keyFile, ledgerKeyFile, ledgerPubFile, dir)
	}
	return nil
}

// MigrateCmd brings the database schema up to date.
type MigrateCmd struct{}

func (c *MigrateCmd) Run(e *env) error {
	dir := ""
	if e.databaseURL() == "" {
		var err error
		if dir, err = e.dataDir(); err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(dir, dbFile)); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no telltale database in %s (hint: run telltale init first, or point --data at your data directory)", dir)
		}
	}
	db, where, err := e.openStore(dir)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, name := range db.Applied() {
		fmt.Fprintf(e.stdout, "applied %s\n", name)
	}
	v, err := db.SchemaVersion(e.ctx)
	if err != nil {
		return fmt.Errorf("failed to read the schema version: %w", err)
	}
	state := "up to date"
	if len(db.Applied()) == 0 {
		state = "up to date, nothing to apply"
	}
	fmt.Fprintf(e.stdout, "%s: schema version %d, %s\n", where, v, state)
	return nil
}

// ocrLang returns the Tesseract languages from --ocr-lang or
// TELLTALE_OCR_LANG ("" for the default), checked.
func (e *env) ocrLang() (string, error) {
	lang := e.cli.OCRLang
	if lang == "" {
		lang = e.main.Getenv("TELLTALE_OCR_LANG")
	}
	for _, l := range strings.Split(lang, "+") {
		if lang != "" && (l == "" || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz_") != "") {
			return "", fmt.Errorf("OCR languages %q: want Tesseract language codes joined by +, such as eng or eng+fra", lang)
		}
	}
	return lang, nil
}

// officeConverter returns LibreOffice (soffice on PATH, or
// TELLTALE_SOFFICE), which prints the PDF copies of Word documents, or
// nil if it is not installed: they are then printed from their HTML
// pages like the others.
func (e *env) officeConverter() service.Office {
	c := office.Converter{Program: e.main.Getenv("TELLTALE_SOFFICE")}
	if !c.Available() {
		return nil
	}
	return c
}

// pdfPrinter returns the printer of PDF copies (Chromium, found on PATH
// or at TELLTALE_CHROMIUM); it starts the browser only when a PDF is
// printed, and close stops it.
func (e *env) pdfPrinter() *pdf.Printer {
	if e.printer == nil {
		e.printer = pdf.New(pdf.Options{Chromium: e.main.Getenv("TELLTALE_CHROMIUM")})
	}
	return e.printer
}
