package plain

import (
	"strings"
	"unicode/utf8"
)

// accents maps a LaTeX accent command (without the backslash) to its
// combining character and to the precomposed letters for the bases that
// have one: the i-th rune of bases composes to the i-th rune of composed
// (taken from Unicode's canonical compositions, NFC of base + mark).
var accents = map[string]accent{
	`'`: {combining: "\u0301", bases: "acegiklmnoprsuwyzACEGIKLMNOPRSUWYZ", composed: "áćéǵíḱĺḿńóṕŕśúẃýźÁĆÉǴÍḰĹḾŃÓṔŔŚÚẂÝŹ"},
	"`": {combining: "\u0300", bases: "aeinouwyAEINOUWY", composed: "àèìǹòùẁỳÀÈÌǸÒÙẀỲ"},
	`^`: {combining: "\u0302", bases: "aceghijosuwyzACEGHIJOSUWYZ", composed: "âĉêĝĥîĵôŝûŵŷẑÂĈÊĜĤÎĴÔŜÛŴŶẐ"},
	`"`: {combining: "\u0308", bases: "aehiotuwxyAEHIOUWXY", composed: "äëḧïöẗüẅẍÿÄËḦÏÖÜẄẌŸ"},
	`~`: {combining: "\u0303", bases: "aeinouvyAEINOUVY", composed: "ãẽĩñõũṽỹÃẼĨÑÕŨṼỸ"},
	`=`: {combining: "\u0304", bases: "aegiouyAEGIOUY", composed: "āēḡīōūȳĀĒḠĪŌŪȲ"},
	`.`: {combining: "\u0307", bases: "abcdefghmnoprstwxyzABCDEFGHIMNOPRSTWXYZ", composed: "ȧḃċḋėḟġḣṁṅȯṗṙṡṫẇẋẏżȦḂĊḊĖḞĠḢİṀṄȮṖṘṠṪẆẊẎŻ"},
	`u`: {combining: "\u0306", bases: "aegiouAEGIOU", composed: "ăĕğĭŏŭĂĔĞĬŎŬ"},
	`v`: {combining: "\u030c", bases: "acdeghijklnorstuzACDEGHIKLNORSTUZ", composed: "ǎčďěǧȟǐǰǩľňǒřšťǔžǍČĎĚǦȞǏǨĽŇǑŘŠŤǓŽ"},
	`H`: {combining: "\u030b", bases: "ouOU", composed: "őűŐŰ"},
	`c`: {combining: "\u0327", bases: "cdeghklnrstCDEGHKLNRST", composed: "çḑȩģḩķļņŗşţÇḐȨĢḨĶĻŅŖŞŢ"},
	`d`: {combining: "\u0323", bases: "abdehiklmnorstuvwyzABDEHIKLMNORSTUVWYZ", composed: "ạḅḍẹḥịḳḷṃṇọṛṣṭụṿẉỵẓẠḄḌẸḤỊḲḶṂṆỌṚṢṬỤṾẈỴẒ"},
	`b`: {combining: "\u0331", bases: "bdhklnrtzBDKLNRTZ", composed: "ḇḏẖḵḻṉṟṯẕḆḎḴḺṈṞṮẔ"},
	`r`: {combining: "\u030a", bases: "auwyAU", composed: "åůẘẙÅŮ"},
	`k`: {combining: "\u0328", bases: "aeiouAEIOU", composed: "ąęįǫųĄĘĮǪŲ"},
	`t`: {combining: "\u0361", bases: "", composed: ""},
}

type accent struct {
	combining string
	bases     string
	composed  string
}

// apply puts the accent on the first rune of s.
func (a accent) apply(s string) string {
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == 'ı' {
		r = 'i'
	} else if r == 'ȷ' {
		r = 'j'
	}
	if k := strings.IndexRune(a.bases, r); k >= 0 && r < utf8.RuneSelf {
		comp := []rune(a.composed)
		if k < len(comp) {
			return string(comp[k]) + s[size:]
		}
	}
	return string(r) + a.combining + s[size:]
}
