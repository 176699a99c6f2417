package service

import (
	"fmt"
	"os"
	"testing"
)

func TestDbgArticle(t *testing.T) {
	w := newTraceWorld(t)
	raw, _ := os.ReadFile("../testdata/leaks/board-memo-facts.txt")
	is := w.issued["board-memo"][3]
	art := w.renderArticle(t, "board-memo", string(raw), is)
	v, err := w.s.Trace(ctx, "i", TraceRequest{Leak: []byte(art), Document: "board-memo"})
	if err != nil { t.Fatal(err) }
	for _, o := range v.Observations { fmt.Printf("%d %s %v %q %v\n", o.Slot, o.Name, o.Seen, o.Shown, o.Spans) }
}
