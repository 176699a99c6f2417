package docx

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// styles is what the text model needs of styles.xml and numbering.xml:
// which paragraph styles are headings, which carry numbering, and which
// numberings are bullets.
type styles struct {
	paragraph map[string]*style
	// ordered says, by numId and level, whether a numbering counts
	// (1, a, i) rather than bullets.
	ordered map[string]map[int]bool
	// abstract is the abstract numbering of each numId: numIds that
	// share one continue one list.
	abstract map[string]string
}

type style struct {
	name, basedOn string
	outline       int // outline level + 1; 0 if none
	numID         string
	level         int
}

type xmlVal struct {
	Val string `xml:"val,attr"`
}

type xmlPPr struct {
	OutlineLvl *xmlVal `xml:"outlineLvl"`
	NumPr      *struct {
		Ilvl  *xmlVal `xml:"ilvl"`
		NumID *xmlVal `xml:"numId"`
	} `xml:"numPr"`
}

func (d *Document) readStyles() (*styles, error) {
	st := &styles{paragraph: map[string]*style{}, ordered: map[string]map[int]bool{}, abstract: map[string]string{}}
	if p := d.target("styles"); p != "" {
		var x struct {
			Styles []struct {
				Type    string  `xml:"type,attr"`
				ID      string  `xml:"styleId,attr"`
				Name    xmlVal  `xml:"name"`
				BasedOn *xmlVal `xml:"basedOn"`
				PPr     xmlPPr  `xml:"pPr"`
			} `xml:"style"`
		}
		if err := xml.Unmarshal(d.parts[p], &x); err != nil {
			return nil, errDamaged(p, err)
		}
		for _, s := range x.Styles {
			if s.Type != "paragraph" && s.Type != "" {
				continue
			}
			ps := &style{name: strings.ToLower(s.Name.Val)}
			if s.BasedOn != nil {
				ps.basedOn = s.BasedOn.Val
			}
			if s.PPr.OutlineLvl != nil {
				if n, err := strconv.Atoi(s.PPr.OutlineLvl.Val); err == nil && n >= 0 && n < 9 {
					ps.outline = n + 1
				}
			}
			if np := s.PPr.NumPr; np != nil {
				if np.NumID != nil {
					ps.numID = np.NumID.Val
				}
				if np.Ilvl != nil {
					ps.level, _ = strconv.Atoi(np.Ilvl.Val)
				}
			}
			st.paragraph[s.ID] = ps
		}
	}
	if p := d.target("numbering"); p != "" {
		var x struct {
			Abstract []struct {
				ID     string `xml:"abstractNumId,attr"`
				Levels []struct {
					Ilvl   string `xml:"ilvl,attr"`
					NumFmt xmlVal `xml:"numFmt"`
				} `xml:"lvl"`
			} `xml:"abstractNum"`
			Nums []struct {
				ID       string `xml:"numId,attr"`
				Abstract xmlVal `xml:"abstractNumId"`
			} `xml:"num"`
		}
		if err := xml.Unmarshal(d.parts[p], &x); err != nil {
			return nil, errDamaged(p, err)
		}
		abstract := map[string]map[int]bool{}
		for _, a := range x.Abstract {
			levels := map[int]bool{}
			for _, l := range a.Levels {
				n, _ := strconv.Atoi(l.Ilvl)
				levels[n] = l.NumFmt.Val != "bullet" && l.NumFmt.Val != "none" && l.NumFmt.Val != ""
			}
			abstract[a.ID] = levels
		}
		for _, n := range x.Nums {
			st.ordered[n.ID] = abstract[n.Abstract.Val]
			st.abstract[n.ID] = n.Abstract.Val
		}
	}
	return st, nil
}

// heading returns the heading level (1–6) of a paragraph with a style
// and a direct outline level (0 if none), or 0 if it is not a heading.
func (st *styles) heading(styleID string, outline int) int {
	level := outline
	for i, id := 0, styleID; level == 0 && id != "" && i < 16; i++ {
		s, ok := st.paragraph[id]
		if !ok {
			break
		}
		switch {
		case s.name == "title":
			level = 1
		case strings.HasPrefix(s.name, "heading "):
			if n, err := strconv.Atoi(strings.TrimPrefix(s.name, "heading ")); err == nil && n > 0 {
				level = n
			}
		case s.outline > 0:
			level = s.outline
		}
		id = s.basedOn
	}
	if level > 9 {
		return 0 // outline level 9 is body text
	}
	return min(level, 6)
}

// numbering returns the numbering of a paragraph's style, if any.
func (st *styles) numbering(styleID string) (string, int) {
	for i, id := 0, styleID; id != "" && i < 16; i++ {
		s, ok := st.paragraph[id]
		if !ok {
			break
		}
		if s.numID != "" {
			return s.numID, s.level
		}
		id = s.basedOn
	}
	return "", 0
}

// isOrdered reports whether a numbering level counts rather than bullets.
func (st *styles) isOrdered(numID string, level int) bool {
	return st.ordered[numID][level]
}
