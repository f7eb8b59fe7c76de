package reader

// standardPackages are packages from TeX distributions. Papers sometimes
// ship copies of them; those copies are not read, since they define TeX
// internals rather than the paper's notation.
var standardPackages = map[string]bool{}

func init() {
	for _, p := range []string{
		"amsmath", "amssymb", "amsthm", "amsfonts", "amsbsy", "amsgen", "amsopn", "amstext", "amscd", "amsxtra", "mathtools",
		"graphicx", "graphics", "color", "xcolor", "hyperref", "url", "natbib", "biblatex", "cite", "cleveref", "varioref",
		"booktabs", "multirow", "array", "tabularx", "tabulary", "longtable", "colortbl", "dcolumn", "siunitx", "makecell",
		"subfigure", "subfig", "subcaption", "caption", "capt-of", "float", "wrapfig", "placeins", "afterpage", "rotating",
		"algorithm", "algorithmic", "algorithmicx", "algpseudocode", "algorithm2e", "algcompatible", "listings", "minted",
		"verbatim", "fancyvrb", "comment", "xspace", "enumitem", "paralist", "geometry", "fancyhdr", "setspace", "times",
		"helvet", "courier", "mathptmx", "palatino", "lmodern", "fontenc", "inputenc", "microtype", "babel", "csquotes",
		"tikz", "pgf", "pgfplots", "pgfcore", "pgfsys", "pgfrcs", "pgfkeys", "pgffor", "pgfcomp-version-0-65", "pgfcomp-version-1-18",
		"etoolbox", "xparse", "ifthen", "calc", "keyval", "kvoptions", "xkeyval", "etex", "trig", "epsfig", "psfig",
		"bm", "bbm", "dsfont", "mathrsfs", "stmaryrd", "nicefrac", "units", "upgreek", "textcomp", "gensymb",
		"lipsum", "blindtext", "todonotes", "soul", "ulem", "datetime", "fmtcount", "picins", "pdfcolmk", "titlesec",
		"authblk", "thmtools", "thm-restate", "appendix", "titletoc", "tocloft", "footmisc", "threeparttable", "ragged2e",
		"adjustbox", "framed", "mdframed", "tcolorbox", "environ", "import", "subfiles", "standalone", "pdfpages", "multicol",
		"xr", "xr-hyperref", "nameref", "bookmark", "hypcap", "breakurl", "epstopdf", "grffile", "pifont", "marvosym",
		"wasysym", "latexsym", "amsrefs", "natbib2", "balance", "cuted", "stfloats", "dblfloatfix", "sidecap", "changepage",
		"mwe", "forloop", "totcount", "refcount", "zref", "scalerel", "stackengine", "tabu", "diagbox", "slashbox", "hhline",
		"pbox", "pdflscape", "lscape", "everyshi", "atbegshi", "ifpdf", "ifxetex", "ifluatex", "iftex", "fixltx2e",
		"cancel", "centernot", "accents", "esint", "relsize", "moresize", "anyfontsize", "sectsty", "chngcntr", "tensor",
		"physics", "braket", "mleftright", "bigstrut", "nccmath", "empheq", "cases", "breqn", "IEEEtrantools", "optidef",
	} {
		standardPackages[p] = true
	}
}
