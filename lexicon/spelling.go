package lexicon

import "strings"

// Spelling is the variety of English a document is spelled in. British and
// American spelling are the author's choice: a copy must never show a
// spelling of the other variety ("labelling" becoming "labeling", "per
// cent" becoming "percent"), so sets and styles that belong to one variety
// are used only in documents of that variety.
type Spelling uint8

const (
	// UnknownSpelling: the document shows no spelling of either variety,
	// or as many of one as of the other.
	UnknownSpelling Spelling = iota
	British
	American
)

func (s Spelling) String() string {
	switch s {
	case British:
		return "uk"
	case American:
		return "us"
	}
	return "unknown"
}

// SpellingCounter tells a document's spelling from its words. Feed it every
// word of the document's prose with Add, then ask Spelling.
type SpellingCounter struct {
	british, american, ize int
	prev                   string
}

// AddDate counts a date written month first ("March 8", American) or day
// first ("8 March", British).
func (c *SpellingCounter) AddDate(s Spelling) {
	switch s {
	case British:
		c.british++
	case American:
		c.american++
	}
}

// Add counts one word (any case).
func (c *SpellingCounter) Add(word string) {
	w := strings.ToLower(strings.ReplaceAll(word, "’", "'"))
	prev := c.prev
	c.prev = w
	if w == "cent" && prev == "per" {
		c.british++
		return
	}
	switch spellingMarkers[w] {
	case British:
		c.british++
	case American:
		c.american++
	default:
		if s, ok := izeSpelling(w); ok {
			if s == British {
				c.british++
			} else {
				c.ize++
			}
		}
	}
}

// Spelling returns the variety the counted words show. Words in -ize count
// for American spelling only when nothing British was seen: Oxford
// spelling writes "organize" beside "colour" and "centre".
func (c *SpellingCounter) Spelling() Spelling {
	switch {
	case c.british > c.american:
		return British
	case c.american > c.british:
		return American
	case c.british == 0 && c.ize > 0:
		return American
	}
	return UnknownSpelling
}

// izeStems are the stems of common verbs that British spelling writes in
// -ise and American spelling in -ize ("organise", "organize"). Verbs that
// are -ise in both (advise, supervise, comprise, exercise) are not listed.
var izeStems = set(`organ author recogn real priorit categor summar minim maxim emphas apolog critic final util special standard anonym optim mobil capital character central decentral legal normal stabil subsid visual global modern harmon memor immun hospital formal monet digit synchron sanit familiar public scrutin sympath energ initial item liber local margin material mechan neutral patron personal polar popular privat rational regular revital sensit social stigmat symbol theor trivial union vandal victim custom computer industrial commercial equal penal scandal jeopard agon antagon bapt fertil hypothes legitim mesmer metabol moral motor natural ostrac plagiar radical reorgan steril strateg tempor terror tyrann urban western`)

// izeSpelling reports whether w is an -ise/-ize verb form of one of the
// izeStems, and which spelling it shows.
func izeSpelling(w string) (Spelling, bool) {
	for _, suffix := range [...]string{"ise", "ised", "ises", "ising", "isation", "isations", "ize", "ized", "izes", "izing", "ization", "izations"} {
		if stem, ok := strings.CutSuffix(w, suffix); ok && izeStems[stem] {
			if suffix[1] == 's' {
				return British, true
			}
			return American, true
		}
	}
	return UnknownSpelling, false
}

// spellingMarkers are words spelled differently in British and American
// English, each with the variety it shows. Words that both varieties use
// (British "program" for software, American "judgement" as a variant) are
// left out.
var spellingMarkers = func() map[string]Spelling {
	m := map[string]Spelling{}
	pairs := `colour/color colours/colors coloured/colored favour/favor favours/favors favoured/favored favourable/favorable favourite/favorite
behaviour/behavior behaviours/behaviors behavioural/behavioral labour/labor labours/labors laboured/labored honour/honor honoured/honored honours/honors
neighbour/neighbor neighbours/neighbors neighbouring/neighboring neighbourhood/neighborhood harbour/harbor harbours/harbors rumour/rumor rumours/rumors
humour/humor vigour/vigor endeavour/endeavor endeavours/endeavors armour/armor odour/odor flavour/flavor savour/savor vapour/vapor
centre/center centres/centers centred/centered metre/meter metres/meters kilometre/kilometer kilometres/kilometers litre/liter litres/liters
theatre/theater fibre/fiber calibre/caliber sombre/somber programme/program programmes/programs
defence/defense offence/offense offences/offenses pretence/pretense licence/license licences/licenses
cheque/check cheques/checks tyre/tire tyres/tires kerb/curb storey/story storeys/stories
travelled/traveled travelling/traveling traveller/traveler travellers/travelers cancelled/canceled cancelling/canceling
labelled/labeled labelling/labeling modelled/modeled modelling/modeling signalled/signaled signalling/signaling
totalled/totaled totalling/totaling fuelled/fueled fuelling/fueling counselling/counseling counsellor/counselor counsellors/counselors
levelled/leveled levelling/leveling channelled/channeled equalled/equaled marshalled/marshaled
enrolment/enrollment fulfil/fulfill fulfilment/fulfillment instalment/installment skilful/skillful wilful/willful
analyse/analyze analysed/analyzed analyses/analyzes analysing/analyzing paralyse/paralyze catalyse/catalyze
jewellery/jewelry aluminium/aluminum manoeuvre/maneuver manoeuvres/maneuvers
paediatric/pediatric anaemia/anemia anaesthetic/anesthetic haemorrhage/hemorrhage oesophagus/esophagus orthopaedic/orthopedic
ageing/aging judgement/-
whilst/- amongst/- amidst/- enquiry/- enquiries/- -/gray sceptical/skeptical sceptic/skeptic
plough/plow draught/draft moustache/mustache pyjamas/pajamas catalogue/catalog catalogues/catalogs mould/mold percent/-
practise/- practised/- practising/-`
	for _, p := range strings.Fields(pairs) {
		uk, us, _ := strings.Cut(p, "/")
		if uk == "percent" {
			m[uk] = American // "per cent" is counted by Add
			continue
		}
		if uk != "-" {
			m[uk] = British
		}
		if us != "-" {
			m[us] = American
		}
	}
	// Words both varieties spell alike in some sense: "check" (verb),
	// "story", "draft", "meter", "license" (British verb), "program"
	// (British for software), "analyses" (plural noun), "practise" stays.
	for _, w := range strings.Fields("check checks story stories draft meter meters license program programs analyses curb tire tires") {
		delete(m, w)
	}
	return m
}()
