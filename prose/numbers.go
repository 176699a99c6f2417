package prose

// numbers are the words for numbers that stand alone: "eight cities", "a
// dozen warrants", "a hundred officers".
var numbers = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100,
}

// scales multiply the number before them: "1.4 million", "$3.2 billion".
var scales = map[string]float64{
	"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

// abbreviations of scale words, as news writes them: "$1.2bn", "£5m".
var abbreviations = map[string]float64{
	"bn": 1e9, "mn": 1e6, "m": 1e6,
}

// NumberWord returns the value of a number word written in lower case: "one" to
// "nineteen", the tens "twenty" to "ninety", "dozen" (12) and "hundred"
// (100). Compounds ("twenty-one", "three hundred") are not numbers. The word
// may be a string or bytes, which are not copied.
func NumberWord[W ~string | ~[]byte](w W) (float64, bool) {
	// Most words are not numbers; their length or first letter says so
	// without a map lookup.
	if len(w) < numberShape.min || len(w) > numberShape.max || !numberShape.first[w[0]] {
		return 0, false
	}
	v, ok := numbers[string(w)]
	return v, ok
}

// numberShape holds the shortest and longest number words and their first
// letters.
var numberShape = func() (s struct {
	min, max int
	first    [256]bool
}) {
	s.min = 1 << 30
	for w := range numbers {
		s.min, s.max = min(s.min, len(w)), max(s.max, len(w))
		s.first[w[0]] = true
	}
	return s
}()

// ScaleWord returns the factor of a scale word written in lower case:
// "thousand", "million", "billion" or "trillion".
func ScaleWord(w string) (float64, bool) {
	v, ok := scales[w]
	return v, ok
}

// Abbreviation returns the factor of an abbreviated scale word written in
// lower case: "bn", "mn" or "m". A lone "m" may as well be metres or
// minutes; callers decide where they trust it.
func Abbreviation(w string) (float64, bool) {
	v, ok := abbreviations[w]
	return v, ok
}
