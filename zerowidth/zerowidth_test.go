package zerowidth

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		tag := rng.Uint32()
		text := "One." + Frame(tag) + " Two." + Frame(tag) + " Three."
		got, n, ok := Decode(text)
		if !ok || got != tag || n != 2 {
			t.Fatalf("Decode = %08x, %d, %v; want %08x, 2, true", got, n, ok, tag)
		}
		if Strip(text) != "One. Two. Three." {
			t.Fatalf("Strip left %q", Strip(text))
		}
	}
}

// TestCorrectsErrors: with a frame damaged in many places among several
// good ones, the vote recovers the tag; a lone damaged frame fails its CRC.
func TestCorrectsErrors(t *testing.T) {
	tag := uint32(0xDEADBEEF)
	good := Frame(tag)
	bad := []rune(good)
	for i := 1; i < len(bad); i += 3 {
		bad[i] = symbols[(symbolValue(bad[i])+1)%4]
	}
	text := good + "a" + string(bad) + "b" + good
	if got, _, ok := Decode(text); !ok || got != tag {
		t.Errorf("Decode with one damaged frame of three = %08x, %v", got, ok)
	}
	if _, _, ok := Decode(string(bad)); ok {
		t.Error("a damaged lone frame passed its CRC")
	}
}

func TestNoFrame(t *testing.T) {
	for _, s := range []string{"", "plain text", "\u2060", "\u2060\u200B\u200C"} {
		if _, _, ok := Decode(s); ok {
			t.Errorf("Decode(%q) found a tag", s)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("text" + Frame(42) + "more")
	f.Add(strings.Repeat("\u2060\u200D", 30))
	f.Fuzz(func(t *testing.T, s string) {
		tag, n, ok := Decode(s)
		if ok && n == 0 {
			t.Fatalf("ok with no frames: %08x", tag)
		}
		if utf8.ValidString(s) && strings.ContainsRune(Strip(s), frameStart) {
			t.Fatal("Strip left a frame start")
		}
	})
}

// TestDecodeEach counts the frames of each tag apart, so a text assembled
// from two copies shows both.
func TestDecodeEach(t *testing.T) {
	t.Parallel()
	a, b := uint32(0xA11CE), uint32(0xB0B)
	damaged := []rune(Frame(a))
	damaged[5] = symbols[(symbolValue(damaged[5])+1)%4]
	text := "One." + Frame(a) + " Two." + Frame(a) + " Three." + Frame(b) + " Four." + string(damaged)
	tags, bad := DecodeEach(text)
	if len(tags) != 2 || tags[a] != 2 || tags[b] != 1 || bad != 1 {
		t.Errorf("DecodeEach = %v, %d damaged; want 2 of %x, 1 of %x, 1 damaged", tags, bad, a, b)
	}
	if tags, bad := DecodeEach("plain text"); len(tags) != 0 || bad != 0 {
		t.Errorf("plain text: %v, %d", tags, bad)
	}
}
