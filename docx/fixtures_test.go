package docx

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestMakeFixtures rebuilds testdata/plan.docx, testdata/long-plan.docx
// and testdata/oddities.docx. It needs pandoc and LibreOffice and runs
// only when asked:
//
//	TELLTALE_MAKE_FIXTURES=1 go test ./docx -run TestMakeFixtures
//
// plan.docx is the development plan testdata/plans/dev/short-plan.md
// written by pandoc, with a table, a numbered list, a footnote, a
// picture, a comment and tracked changes added in the Markdown, then
// made to look like a file from Word: runs split mid-sentence, revision
// session ids, a header and a footer with a page field, and properties
// naming the author, the company and the template on their machine.
// long-plan.docx is long-plan.md through pandoc and then saved by
// LibreOffice. oddities.docx is written here: text boxes, content
// controls, hyperlinks, symbols, tabs and breaks, a deleted table row,
// merged and nested cells, a formatting change and a deleted paragraph
// mark.
func TestMakeFixtures(t *testing.T) {
	if os.Getenv("TELLTALE_MAKE_FIXTURES") == "" {
		t.Skip("set TELLTALE_MAKE_FIXTURES=1 to rebuild the .docx fixtures (needs pandoc and soffice)")
	}
	dir := t.TempDir()
	short, err := os.ReadFile("../testdata/plans/dev/short-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	md := wordDirectives(string(short))
	md = strings.Replace(md, "## 4. Timings", `Teams and officers:

| Team | Site | Officers |
|------|------|----------|
| Alpha | Fallow Lane Yard | 4 |
| Bravo | Cinder Works | {{5\|6}} |
| Charlie | Nethercott Farm & Old Gasworks Plot | 6 |

## 4. Timings`, 1)
	md = strings.Replace(md, "statutory powers of entry.", "statutory powers of entry.[^1]", 1)
	md += "\n[^1]: Environment Act 1995, section 108. Officers should carry their warrant cards at all times.\n"
	md = strings.Replace(md, "A warrant has already been obtained", `[Check with legal before issue.]{.comment-start id="0" author="Hamish Cordingley" date="2024-11-01T09:00:00Z"}A warrant has already been obtained[]{.comment-end id="0"}`, 1)
	md = strings.Replace(md, "risk assessment on arrival.", `risk assessment [and record it]{.insertion author="Hamish Cordingley" date="2024-11-02T10:00:00Z"} on arrival.`, 1)
	md = strings.Replace(md, "climb on waste piles.", `climb on waste piles[ of any kind]{.deletion author="Hamish Cordingley" date="2024-11-02T10:01:00Z"}.`, 1)
	md = strings.Replace(md, "## 7. Confidentiality", "Each team will also:\n\n1. Wear the issued protective equipment at all times.\n2. Report every injury to the control point before the end of the day.\n3. Keep the site team together until the site walk is complete.\n\n## 7. Confidentiality", 1)
	md = strings.Replace(md, "Site packs, including maps", "![Map of the ten sites](map.png){width=2in}\n\nSite packs, including maps", 1)
	md = strings.Replace(md, "## 7. Confidentiality\n", "## 7. Confidentiality\n\ntelltale:off\n", 1) + "\ntelltale:on\n"
	writeFile(t, filepath.Join(dir, "plan.md"), []byte(md))
	writeFile(t, filepath.Join(dir, "map.png"), mapPNG())
	run(t, dir, "pandoc", "plan.md", "-o", "pandoc.docx")
	plan := wordLike(t, readFile(t, filepath.Join(dir, "pandoc.docx")))
	writeFile(t, "testdata/plan.docx", plan)

	long, err := os.ReadFile("../testdata/plans/dev/long-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "long.md"), []byte(wordDirectives(string(long))))
	run(t, dir, "pandoc", "long.md", "-o", "long.docx")
	if err := os.MkdirAll(filepath.Join(dir, "lo"), 0o700); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "soffice", "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "docx:MS Word 2007 XML", "--outdir", "lo", "long.docx")
	writeFile(t, "testdata/long-plan.docx", readFile(t, filepath.Join(dir, "lo", "long.docx")))
	writeFile(t, "testdata/oddities.docx", oddities())
}

// wordDirectives writes Markdown directives as the paragraphs a Word
// author types.
func wordDirectives(md string) string {
	return regexp.MustCompile(`(?m)^<!-- (telltale:\w+) -->$`).ReplaceAllString(md, "$1\n")
}

func run(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func writeFile(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mapPNG is a small picture: a grey map with ten dots.
func mapPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 120; x++ {
			img.Set(x, y, color.RGBA{220, 226, 230, 255})
		}
	}
	for i := 0; i < 10; i++ {
		cx, cy := 10+i*11, 20+(i*37)%45
		for y := cy - 2; y <= cy+2; y++ {
			for x := cx - 2; x <= cx+2; x++ {
				img.Set(x, y, color.RGBA{180, 30, 30, 255})
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// unzip and rezip a package, in the original order, new files last.
func unzipAll(t *testing.T, b []byte) ([]string, map[string][]byte) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		names = append(names, f.Name)
		files[f.Name] = buf.Bytes()
	}
	return names, files
}

func zipAll(names []string, files map[string][]byte) []byte {
	var extra []string
	for n := range files {
		found := false
		for _, m := range names {
			found = found || m == n
		}
		if !found {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range append(names, extra...) {
		if _, ok := files[n]; !ok {
			continue
		}
		w, _ := zw.Create(n)
		w.Write(files[n])
	}
	zw.Close()
	return b.Bytes()
}

const (
	wNS   = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	xmlPI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// wordLike makes a pandoc document look like one saved by Word on an
// author's machine.
func wordLike(t *testing.T, b []byte) []byte {
	names, files := unzipAll(t, b)
	doc := string(files["word/document.xml"])
	// Runs split where an author paused, and revision session ids.
	long := regexp.MustCompile(`<w:r>((?:<w:rPr>(?:[^<]|<[^/]|</[^w]|</w:[^r]|</w:r[^P])*</w:rPr>)?)<w:t xml:space="preserve">([^<]{30,})</w:t></w:r>`)
	n := 0
	doc = long.ReplaceAllStringFunc(doc, func(m string) string {
		sub := long.FindStringSubmatch(m)
		rpr, text := sub[1], sub[2]
		n++
		cut := strings.LastIndex(text[:len(text)/2+n%7], " ")
		if cut <= 0 {
			return m
		}
		return `<w:r w:rsidRPr="00B2C4D6">` + rpr + `<w:t xml:space="preserve">` + text[:cut] + `</w:t></w:r><w:proofErr w:type="spellStart"/><w:r w:rsidR="00E5F6A7">` + rpr + `<w:t xml:space="preserve">` + text[cut:] + `</w:t></w:r>`
	})
	doc = strings.ReplaceAll(doc, "<w:p>", `<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3" w:rsidP="00D4E5F6">`)
	doc = strings.Replace(doc, "<w:sectPr />", `<w:sectPr w:rsidR="00A1B2C3"><w:headerReference w:type="default" r:id="rIdH1"/><w:footerReference w:type="default" r:id="rIdF1"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`, 1)
	files["word/document.xml"] = []byte(doc)
	files["word/header1.xml"] = []byte(xmlPI + `<w:hdr ` + wNS + `><w:p w:rsidR="00A1B2C3"><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr><w:r><w:t>OFFICIAL-SENSITIVE — Operation BRACKISH TIDE</w:t></w:r></w:p></w:hdr>`)
	files["word/footer1.xml"] = []byte(xmlPI + `<w:ftr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>`)
	files["word/people.xml"] = []byte(xmlPI + `<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="Hamish Cordingley"><w15:presenceInfo w15:providerId="AD" w15:userId="S::hcordingley@era.example::4f1c2a9e-1111-4b2c-9d3e-0a1b2c3d4e5f"/></w15:person></w15:people>`)
	rels := string(files["word/_rels/document.xml.rels"])
	rels = strings.Replace(rels, "</Relationships>", `<Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdF1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdP1" Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/></Relationships>`, 1)
	files["word/_rels/document.xml.rels"] = []byte(rels)
	ct := string(files["[Content_Types].xml"])
	ct = strings.Replace(ct, "</Types>", `<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/people.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/><Default Extension="jpeg" ContentType="image/jpeg"/></Types>`, 1)
	files["[Content_Types].xml"] = []byte(ct)
	files["docProps/core.xml"] = []byte(xmlPI + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Operation Brackish Tide</dc:title><dc:creator>Hamish Cordingley</dc:creator><cp:lastModifiedBy>HCORDINGLEY-LT04</cp:lastModifiedBy><cp:revision>14</cp:revision><cp:lastPrinted>2024-10-30T16:12:00Z</cp:lastPrinted><dcterms:created xsi:type="dcterms:W3CDTF">2024-10-21T08:03:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2024-11-02T10:02:00Z</dcterms:modified></cp:coreProperties>`)
	files["docProps/app.xml"] = []byte(xmlPI + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>ERA-Operations-Plan.dotx</Template><TotalTime>312</TotalTime><Pages>3</Pages><Words>1043</Words><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><Company>Environment Regulation Agency</Company><Manager>Area Enforcement Manager</Manager><AppVersion>16.0000</AppVersion></Properties>`)
	files["docProps/custom.xml"] = []byte(xmlPI + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_3a1b2c4d_SiteId"><vt:lpwstr>0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="MSIP_Label_3a1b2c4d_Owner"><vt:lpwstr>hcordingley@era.example</vt:lpwstr></property></Properties>`)
	var thumb bytes.Buffer
	jpeg.Encode(&thumb, image.NewGray(image.Rect(0, 0, 32, 45)), nil)
	files["docProps/thumbnail.jpeg"] = thumb.Bytes()
	pkgRels := string(files["_rels/.rels"])
	pkgRels = strings.Replace(pkgRels, "</Relationships>", `<Relationship Id="rIdT1" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>`, 1)
	files["_rels/.rels"] = []byte(pkgRels)
	settings := string(files["word/settings.xml"])
	settings = regexp.MustCompile(`<w:rsids>\s*</w:rsids>`).ReplaceAllString(settings, `<w:attachedTemplate r:id="rIdTpl"/><w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/><w:rsid w:val="00B2C4D6"/><w:rsid w:val="00D4E5F6"/><w:rsid w:val="00E5F6A7"/></w:rsids>`)
	files["word/settings.xml"] = []byte(settings)
	files["word/_rels/settings.xml.rels"] = []byte(xmlPI + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\hcordingley\AppData\Roaming\Microsoft\Templates\ERA-Operations-Plan.dotx" TargetMode="External"/></Relationships>`)
	return zipAll(names, files)
}

// oddities is a small document of the constructs Word writes that a
// Markdown export never has.
func oddities() []byte {
	body := `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Oddities</w:t></w:r></w:p>` +
		// A declared variant split over three runs, with formatting.
		`<w:p w:rsidR="00112233"><w:r><w:t xml:space="preserve">The convoy of {{</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>12|1</w:t></w:r><w:r><w:t xml:space="preserve">1}} vehicles leaves at approximately 06:00, before first light.</w:t></w:r></w:p>` +
		// Tabs, a line break, a symbol, a non-breaking hyphen, a hyperlink.
		`<w:p><w:r><w:t>Contact:</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">duty officer </w:t></w:r><w:hyperlink r:id="rIdL1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>on the intranet page</w:t></w:r></w:hyperlink><w:r><w:br/><w:t xml:space="preserve">Radio channel 4</w:t><w:noBreakHyphen/><w:t xml:space="preserve">2 </w:t><w:sym w:font="Wingdings" w:char="F0E0"/><w:t xml:space="preserve"> the control point will start the log.</w:t></w:r></w:p>` +
		// A content control, a smart tag, a formatting change, a text box.
		`<w:sdt><w:sdtPr><w:alias w:val="Owner"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t xml:space="preserve">The plan owner will begin the briefing in the main hall.</w:t></w:r></w:p></w:sdtContent></w:sdt>` +
		`<w:p><w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place"><w:r><w:t>Kilnbridge</w:t></w:r></w:smartTag><w:r><w:rPr><w:i/><w:rPrChange w:id="7" w:author="Hamish Cordingley" w:date="2024-11-02T10:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t xml:space="preserve"> teams will assist the police where needed.</w:t></w:r>` +
		`<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:120pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>Text box: approximately 40 officers.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>` +
		// A paragraph whose mark was deleted, and one inserted.
		`<w:p><w:pPr><w:rPr><w:del w:id="8" w:author="Hamish Cordingley" w:date="2024-11-02T10:00:00Z"/></w:rPr></w:pPr><w:r><w:t>Officers must not enter unsafe buildings.</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:rPr><w:ins w:id="9" w:author="Hamish Cordingley" w:date="2024-11-02T10:00:00Z"/></w:rPr></w:pPr><w:ins w:id="10" w:author="Hamish Cordingley" w:date="2024-11-02T10:00:00Z"><w:r><w:t>The team is to withdraw if a situation becomes threatening.</w:t></w:r></w:ins><w:del w:id="11" w:author="Hamish Cordingley" w:date="2024-11-02T10:00:00Z"><w:r><w:delText xml:space="preserve"> Call the police.</w:delText></w:r></w:del></w:p>` +
		// A table: merged cells, a nested table, a deleted row.
		`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>` +
		`<w:tr><w:tc><w:p><w:r><w:t>Team</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Task</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>Alpha</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t xml:space="preserve">Search the yard | record waste</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tblGrid><w:gridCol w:w="1500"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>Nested: start at 07:30</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr>` +
		`<w:tr><w:trPr><w:del w:id="12" w:author="Hamish Cordingley" w:date="2024-11-02T10:00:00Z"/></w:trPr><w:tc><w:p><w:r><w:t>Deleted row</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>` +
		`</w:tbl>` +
		`<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>First, the briefing.</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Then the equipment check.</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>End of the oddities.</w:t></w:r></w:p>` +
		`<w:sectPr/>`
	return pkgWith(body, nil)
}

// pkgWith is a Word package whose body is body, with styles, a
// numbering (numId 1: decimal, then bullets) and extra files.
func pkgWith(body string, extra map[string][]byte) []byte {
	files := map[string][]byte{
		"[Content_Types].xml":          []byte(xmlPI + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>`),
		"_rels/.rels":                  []byte(xmlPI + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`),
		"word/document.xml":            []byte(xmlPI + `<w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`),
		"word/_rels/document.xml.rels": []byte(xmlPI + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rIdL1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://intranet.example/duty" TargetMode="External"/></Relationships>`),
		"word/styles.xml":              []byte(xmlPI + `<w:styles ` + wNS + `><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="48"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="720"/></w:pPr></w:style></w:styles>`),
		"word/numbering.xml":           []byte(xmlPI + `<w:numbering ` + wNS + `><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`),
	}
	for n, b := range extra {
		files[n] = b
	}
	return zipAll([]string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/numbering.xml"}, files)
}
