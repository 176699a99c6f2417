// Command telltale distributes sensitive documents as individually marked
// copies and traces leaks back to their source.
//
// Run "telltale --help" for the commands, or "telltale demo" to see the
// whole story on a bundled sample. The data directory (--data, or
// TELLTALE_DATA, default ~/.local/share/telltale) holds the master key and
// the embedded database; back the key up apart from the database.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	os.Exit(m.Run(ctx, os.Args[1:]))
}
