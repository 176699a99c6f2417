// Package zerowidth encodes a copy tag in zero-width characters, telltale's
// opt-in invisible channel.
//
// A frame is a word joiner (U+2060) followed by 24 characters, each one of
// four zero-width characters carrying two bits: a 32-bit tag and a 16-bit
// CRC. The renderer puts a frame at every sentence end of a copy, so the
// tag is repeated many times; [Decode] reads every frame, votes bit by bit
// across frames (a repetition code), and accepts the result only if its CRC
// holds. The channel survives digital copy and paste; retyping, OCR and many
// publishing tools strip it, so it is never the only evidence.
package zerowidth

import (
	"strings"
	"unicode/utf8"
)

const (
	frameStart = '\u2060'
	frameLen   = 24 // symbols of two bits: 32 tag bits + 16 CRC bits
)

// symbols carry two bits each.
var symbols = [4]rune{'\u200B', '\u200C', '\u200D', '\u2062'}

func symbolValue(r rune) int {
	for i, s := range symbols {
		if s == r {
			return i
		}
	}
	return -1
}

// IsZeroWidth reports whether r is one of the channel's characters.
func IsZeroWidth(r rune) bool { return r == frameStart || symbolValue(r) >= 0 }

// Frame returns the zero-width frame carrying tag.
func Frame(tag uint32) string {
	v := uint64(tag)<<16 | uint64(crc16(tag))
	var sb strings.Builder
	sb.Grow(3 * (frameLen + 1))
	sb.WriteRune(frameStart)
	for i := frameLen - 1; i >= 0; i-- {
		sb.WriteRune(symbols[(v>>(2*uint(i)))&3])
	}
	return sb.String()
}

// frames calls fn with the bits of every whole frame in text, and with
// ok false for each frame cut short.
func frames(text string, fn func(v uint64, ok bool)) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r != frameStart {
			continue
		}
		var v uint64
		n := 0
		j := i
		for n < frameLen && j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			s := symbolValue(r)
			if s < 0 {
				break
			}
			v = v<<2 | uint64(s)
			n++
			j += size
		}
		if n != frameLen {
			fn(0, false)
			continue
		}
		fn(v, true)
		i = j
	}
}

// Decode reads every frame in text and returns the tag they carry, with the
// number of frames read. ok is false if no frame was found or the voted tag
// fails its CRC.
func Decode(text string) (tag uint32, n int, ok bool) {
	var votes [frameLen * 2][2]int
	frames(text, func(v uint64, whole bool) {
		if !whole {
			return // truncated frame
		}
		n++
		for b := 0; b < frameLen*2; b++ {
			votes[b][(v>>uint(b))&1]++
		}
	})
	if n == 0 {
		return 0, 0, false
	}
	var v uint64
	for b := 0; b < frameLen*2; b++ {
		if votes[b][1] > votes[b][0] {
			v |= 1 << uint(b)
		}
	}
	tag = uint32(v >> 16)
	return tag, n, uint16(v) == crc16(tag)
}

// DecodeEach reads every frame in text on its own: the number of frames
// carrying each tag whose CRC holds, and the number of damaged frames. A
// text with frames of two tags was assembled from two copies, or had a
// frame transplanted into it.
func DecodeEach(text string) (tags map[uint32]int, damaged int) {
	tags = map[uint32]int{}
	frames(text, func(v uint64, whole bool) {
		if tag := uint32(v >> 16); whole && uint16(v) == crc16(tag) {
			tags[tag]++
		} else {
			damaged++
		}
	})
	return tags, damaged
}

// Strip removes the channel's characters from text.
func Strip(text string) string {
	return strings.Map(func(r rune) rune {
		if IsZeroWidth(r) {
			return -1
		}
		return r
	}, text)
}

// crc16 is CRC-16/CCITT-FALSE of the tag's four bytes.
func crc16(tag uint32) uint16 {
	crc := uint16(0xFFFF)
	for i := 3; i >= 0; i-- {
		crc ^= uint16(byte(tag>>(8*uint(i)))) << 8
		for k := 0; k < 8; k++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
