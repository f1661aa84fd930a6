// Package postcode recognises the parts of a UK postcode in a word: the
// outward code ("BA2") and the inward code ("3AB"). One package, because
// the directory (which reads postcodes to place services) and the core
// (which keeps a postcode out of what a question needs) must agree on
// what is one: "A4" is a road, not a postcode.
package postcode

import "strings"

// areas are the postcode areas of Great Britain, as listed in
// Code-Point Open's metadata (2014), plus Northern Ireland's BT. A bare
// outward code counts only in one of these, so "A4" (a road) is not one.
const areas = " AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL " +
	"DN DT DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M " +
	"ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY " +
	"TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE "

// IsOutward reports whether an upper-case word is an outward code of
// one of the areas, in the form A9, A99, AA9, AA99, A9A or AA9A.
func IsOutward(s string) bool {
	n := len(s)
	if n < 2 || n > 4 {
		return false
	}
	i := 0
	for i < n && i < 2 && isUpper(s[i]) {
		i++
	}
	if i == 0 || !strings.Contains(areas, " "+s[:i]+" ") {
		return false
	}
	rest := s[i:]
	switch len(rest) {
	case 1:
		return isDigit(rest[0])
	case 2:
		return isDigit(rest[0]) && (isDigit(rest[1]) || isUpper(rest[1]))
	}
	return false
}

// IsInward reports whether an upper-case word is an inward code, 9AA.
func IsInward(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
