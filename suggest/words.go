package suggest

// The word lists the rules consult, all in lower case.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	months = set("january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun", "july", "jul",
		"august", "aug", "september", "sep", "sept", "october", "oct", "november", "nov", "december", "dec")
	weekdays = set("monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thurs", "friday", "fri",
		"saturday", "sat", "sunday", "sun")

	// refWords precede numbers that name rather than count: references,
	// labels, citations, addresses, phone numbers.
	refWords = set("no", "nos", "number", "numbers", "num", "ref", "reference", "references", "code", "codes", "case", "file", "order",
		"form", "lot", "lots", "upc", "serial", "item", "items", "article", "articles", "section", "sections", "sec", "clause",
		"clauses", "paragraph", "paragraphs", "para", "annex", "appendix", "schedule", "chapter", "page", "pages", "pp", "p",
		"room", "route", "highway", "road", "line", "gate", "unit", "level", "phase", "step", "version", "draft", "grade",
		"class", "category", "tier", "stage", "channel", "radio", "frequency", "band", "flight", "platform", "building",
		"floor", "suite", "apt", "apartment", "flat", "box", "lane", "exit", "junction", "pier", "berth", "terminal", "dock",
		"bay", "zone", "sector", "area", "district", "ward", "region", "batch", "ext", "extension", "tel", "telephone",
		"phone", "fax", "mobile", "call", "dial", "rule", "rules", "regulation", "regulations", "act", "title", "volume", "vol",
		"issue", "edition", "day", "hour", "week", "quarter", "q", "fy", "model", "type", "mark", "mk", "copy", "copies",
		"address", "team", "squad", "group", "division", "battalion", "brigade", "platoon", "wing", "squadron", "part",
		"figure", "fig", "table", "exhibit", "tab", "option", "scenario", "stage", "cell", "cells", "bed", "beds", "seat",
		"row", "pin", "account", "acct", "invoice", "ticket", "tranche", "series", "id", "sku", "memo", "report", "plan",
		"operation", "exercise", "project", "top", "v", "vs", "§", "s", "ss", "art", "reg", "usc", "cfr", "stat", "pub", "l", "amendment", "bill", "hr", "hb", "sb")

	// ruleWords before a number make it a rule or limit, which recipients
	// must all apply alike.
	ruleWords = set("within", "least", "most", "maximum", "minimum", "max", "min", "limit", "limited", "below", "above",
		"under", "exceed", "exceeds", "exceeding", "every", "per", "each", "cap", "capped", "threshold", "than", "to", "until",
		"till", "no", "not", "only", "first", "last", "next", "aged", "age", "ages", "after", "before", "by", "times", "x",
		"from", "between", "hurdle", "target", "targets", "covenant", "goal", "benchmark")

	// hedges before a number make it approximate.
	hedges = set("about", "approximately", "approx", "roughly", "around", "some", "nearly", "almost", "circa",
		"estimated", "estimate", "estimates", "over", "close", "roughly", "perhaps", "likely", "expected", "projected")

	// definite words before a small count refer to a set the reader
	// knows: "the two vehicles", "their three children".
	definite = set("the", "these", "those", "both", "all", "their", "its", "our", "his", "her", "my", "your", "each", "every",
		"either", "neither", "this", "that", "whose", "such")

	timeUnits = set("second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs",
		"day", "days", "week", "weeks", "month", "months", "year", "years", "night", "nights", "shift", "shifts",
		"weekend", "weekends", "decade", "decades", "quarter", "quarters", "term", "terms", "semester")

	scales = map[string]int64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

	// currencyWords name money when they follow or precede a figure.
	currencyWords = set("dollars", "dollar", "pounds", "pound", "euros", "euro", "usd", "gbp", "eur", "cad", "aud", "chf",
		"yen", "francs", "rupees", "sterling")

	streetWords = set("street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "boulevard", "blvd", "drive", "dr", "way",
		"place", "pl", "court", "ct", "square", "sq", "highway", "hwy", "parkway", "pkwy", "terrace", "crescent", "close",
		"rise", "row", "mews", "walk", "gardens", "grove", "hill", "park", "quay", "wharf", "cottages", "estate", "heronsgate")

	// notUnits are words after a number that say it is not a count of
	// things.
	notUnits = set("to", "and", "or", "of", "percent", "per", "cent", "times", "x", "am", "pm", "a", "p", "o'clock", "th",
		"st", "nd", "rd", "hours", "hrs", "local", "z", "gmt", "utc", "bst", "est", "edt", "cst", "cdt", "pst", "pdt",
		"et", "ct", "pt", "the", "in", "on", "at", "by", "for", "with", "from", "is", "was", "were", "are", "be", "as",
		"because", "if", "when", "while", "who", "which", "that", "this", "these", "those", "have", "has", "had", "will",
		"would", "can", "could", "should", "may", "might", "must", "do", "does", "did", "than", "but", "so", "not", "more",
		"less", "each", "also", "still", "out", "up", "down", "off", "into", "onto", "over", "under", "after", "before",
		"since", "until", "left", "remain", "remained", "remaining", "are", "being", "been", "it", "they", "we", "you",
		"he", "she", "them", "us", "there", "here", "where", "then", "now", "all", "both", "either", "neither", "whom")
)

// smallWords are the number words a count may be written in, with their
// digits.
var smallWords = map[string]string{
	"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
	"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
	"seventeen": "17", "eighteen": "18", "nineteen": "19",
}

var wordOf = func() map[int64]string {
	m := map[int64]string{}
	for w, d := range smallWords {
		var v int64
		for _, c := range d {
			v = v*10 + int64(c-'0')
		}
		m[v] = w
	}
	return m
}()

// ordinals are the ordinal words an ordinal choice may vary, by rank.
var ordinals = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}

// codeNameTriggers precede a code name.
var codeNameTriggers = set("operation", "exercise", "project", "codename", "code-named", "codenamed", "dubbed", "programme", "program")

// themes are sets of interchangeable code-name words: a name varies within
// the theme of its last word, or else among neutral nature words.
var themes = [][]string{
	{"pelican", "heron", "egret", "ibis", "stork", "crane", "bittern", "curlew", "plover", "avocet", "lapwing", "sandpiper",
		"kestrel", "falcon", "osprey", "harrier", "merlin", "buzzard", "kite", "hawk", "eagle", "condor", "raven", "rook",
		"jackdaw", "magpie", "starling", "swift", "swallow", "martin", "wren", "robin", "finch", "linnet", "thrush",
		"nightjar", "owl", "albatross", "petrel", "gannet", "cormorant", "puffin", "tern", "gull", "skua", "kingfisher",
		"dove", "pigeon", "teal", "mallard", "wigeon", "grebe", "swan", "goose", "pheasant", "grouse", "partridge", "quail"},
	{"fox", "badger", "otter", "stoat", "marten", "wolf", "lynx", "bear", "bison", "elk", "moose", "stag", "hare",
		"beaver", "puma", "jaguar", "leopard", "panther", "cheetah", "tiger", "lion", "cougar", "coyote", "jackal",
		"mongoose", "ferret", "weasel", "wolverine", "ibex", "gazelle", "antelope", "oryx"},
	{"oak", "ash", "elm", "birch", "beech", "willow", "alder", "rowan", "hazel", "holly", "yew", "cedar", "pine",
		"spruce", "larch", "maple", "linden", "poplar", "aspen", "juniper", "cypress", "sequoia", "redwood", "laurel"},
	{"amber", "agate", "beryl", "garnet", "jasper", "onyx", "opal", "pearl", "ruby", "sapphire", "topaz", "emerald",
		"jade", "quartz", "cobalt", "flint", "granite", "basalt", "marble", "obsidian", "slate", "zircon", "coral"},
	{"thunder", "lightning", "storm", "tempest", "gale", "squall", "monsoon", "cyclone", "typhoon", "blizzard",
		"frost", "hail", "sleet", "mist", "fog", "haze", "drizzle", "breeze", "zephyr", "rain", "snow", "dawn", "dusk"},
	{"harbor", "harbour", "haven", "anchor", "beacon", "lantern", "compass", "sextant", "keel", "mooring", "jetty",
		"lighthouse", "bastion", "citadel", "rampart", "bulwark", "gateway", "causeway", "bridge", "crossing", "meridian",
		"horizon", "summit", "ridge", "valley", "canyon", "delta", "estuary", "lagoon", "shoal", "reef", "tide"},
}

var themeOf = func() map[string]int {
	m := map[string]int{}
	for i, th := range themes {
		for _, w := range th {
			m[w] = i
		}
	}
	return m
}()
