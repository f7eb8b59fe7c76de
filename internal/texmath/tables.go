package texmath

// greek maps the letter commands to their names.
var greek = map[string]string{}

func init() {
	for _, g := range []string{
		"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
		"vartheta", "iota", "kappa", "varkappa", "lambda", "mu", "nu", "xi", "omicron", "pi",
		"varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi",
		"psi", "omega", "digamma",
		"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
	} {
		greek[`\`+g] = g
		// upgreek and the italic capitals
		greek[`\up`+g] = g
		if g[0] >= 'A' && g[0] <= 'Z' {
			greek[`\var`+g] = g
			greek[`\mit`+g] = g
		}
	}
	for cmd, name := range map[string]string{
		`\ell`: "ell", `\imath`: "imath", `\jmath`: "jmath", `\hbar`: "hbar", `\infty`: "infty",
		`\emptyset`: "emptyset", `\varnothing`: "emptyset", `\aleph`: "aleph", `\beth`: "beth",
		`\Re`: "Re", `\Im`: "Im", `\wp`: "wp", `\bot`: "bot", `\dagger`: "dagger", `\ddagger`: "ddagger",
		`\star`: "star", `\prime`: "prime", `\mho`: "mho", `\eth`: "eth", `\Box`: "Box",
		`\square`: "square", `\triangle`: "triangle", `\bigstar`: "bigstar", `\checkmark`: "checkmark",
		`\S`: "S", `\#`: "#", `\%`: "%", `\$`: "$", `\_`: "_", `\&`: "&", `\natural`: "natural",
		`\flat`: "flat", `\sharp`: "sharp", `\clubsuit`: "clubsuit", `\diamondsuit`: "diamondsuit",
		`\heartsuit`: "heartsuit", `\spadesuit`: "spadesuit", `\top`: "top", `\angle`: "angle",
		`\varDelta`: "Delta", `\lozenge`: "lozenge", `\blacksquare`: "blacksquare",
		`\epsilon`: "epsilon", `\eps`: "epsilon",
	} {
		greek[cmd] = name
	}
}

// unicodeGreek maps Greek letters typed directly to their names.
var unicodeGreek = map[string]string{
	"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
	"θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
	"π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
	"ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi",
	"Π": "Pi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}

// funcs are the operator names that typeset upright and take an argument.
var funcs = map[string]string{}

func init() {
	for _, f := range []string{
		"log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh",
		"coth", "arcsin", "arccos", "arctan", "arg", "det", "dim", "ker", "hom", "deg", "gcd",
		"Pr", "tr", "Tr", "trace", "diag", "rank", "sgn", "sign", "softmax", "erf", "mod", "bmod",
		"vec", "span", "supp",
	} {
		funcs[`\`+f] = f
	}
}

// bigOps are the operators that take bounds (\sum_{i=1}^n) and a body.
var bigOps = map[string]string{
	`\sum`: "sum", `\prod`: "prod", `\coprod`: "coprod", `\int`: "int", `\iint`: "iint",
	`\iiint`: "iiint", `\oint`: "oint", `\bigcup`: "bigcup", `\bigcap`: "bigcap",
	`\bigoplus`: "bigoplus", `\bigotimes`: "bigotimes", `\bigodot`: "bigodot", `\bigvee`: "bigvee",
	`\bigwedge`: "bigwedge", `\biguplus`: "biguplus", `\bigsqcup`: "bigsqcup",
	`\lim`: "lim", `\limsup`: "limsup", `\liminf`: "liminf", `\sup`: "sup", `\inf`: "inf",
	`\max`: "max", `\min`: "min", `\argmax`: "argmax", `\argmin`: "argmin", `\esssup`: "sup",
	`\varlimsup`: "limsup", `\varliminf`: "liminf", `\injlim`: "lim", `\projlim`: "lim",
}

// opNames maps the upright words used as operators (\operatorname*{arg\,max},
// \mathrm{argmin}) to big-operator names.
var opNames = map[string]string{
	"argmax": "argmax", "argmin": "argmin", "arg max": "argmax", "arg min": "argmin",
	"max": "max", "min": "min", "sup": "sup", "inf": "inf", "lim": "lim", "limsup": "limsup",
	"liminf": "liminf", "minimize": "minimize", "maximize": "maximize", "minimise": "minimize",
	"maximise": "maximize", "argsup": "argmax", "arginf": "argmin", "arg sup": "argmax",
	"arg inf": "argmin", "esssup": "sup",
}

// accents maps accent commands to names.
var accents = map[string]string{
	`\hat`: "hat", `\widehat`: "hat", `\tilde`: "tilde", `\widetilde`: "tilde", `\bar`: "bar",
	`\overline`: "bar", `\underline`: "underline", `\dot`: "dot", `\ddot`: "ddot", `\dddot`: "dddot",
	`\vec`: "vec", `\check`: "check", `\widecheck`: "check", `\breve`: "breve", `\acute`: "acute",
	`\grave`: "grave", `\mathring`: "ring", `\overrightarrow`: "vec", `\overleftarrow`: "larrow",
	`\utilde`: "utilde", `\wideparen`: "paren", `\undertilde`: "utilde", `\overset`: "",
}

// fonts maps font commands that take an argument to names.
var fonts = map[string]string{
	`\mathbf`: "mathbf", `\boldsymbol`: "mathbf", `\bm`: "mathbf", `\pmb`: "mathbf",
	`\bf`: "mathbf", `\mathbold`: "mathbf", `\textbf`: "mathbf", `\bmath`: "mathbf",
	`\mathcal`: "mathcal", `\cal`: "mathcal", `\mathscr`: "mathscr", `\euscript`: "mathscr",
	`\mathbb`: "mathbb", `\mathds`: "mathbb", `\mathbbold`: "mathbb", `\Bbb`: "mathbb",
	`\mathfrak`: "mathfrak", `\frak`: "mathfrak",
	`\mathsf`: "mathsf", `\sf`: "mathsf", `\textsf`: "mathsf", `\mathsfit`: "mathsf",
	`\mathtt`: "mathtt", `\tt`: "mathtt", `\texttt`: "mathtt",
	`\mathit`: "", `\it`: "", `\mathnormal`: "", `\textit`: "", `\emph`: "",
	`\mathrm`: "mathrm", `\rm`: "mathrm", `\textrm`: "mathrm", `\textnormal`: "mathrm",
	`\textup`: "mathrm", `\mathup`: "mathrm", `\upright`: "mathrm",
	`\textsc`: "textsc", `\sc`: "textsc",
}

// switchFonts are the old font switches, {\rm d}, that apply to the rest of
// the group rather than to an argument.
var switchFonts = map[string]bool{
	`\bf`: true, `\rm`: true, `\cal`: true, `\it`: true, `\sf`: true, `\tt`: true, `\sc`: true,
	`\frak`: true, `\Bbb`: true,
}

// texts are the commands whose argument is text.
var texts = map[string]bool{
	`\text`: true, `\mbox`: true, `\hbox`: true, `\textnormal`: false, `\intertext`: true,
	`\shortintertext`: true, `\fbox`: true, `\textup`: false,
}

// relations maps relation commands and characters to canonical names.
var relations = map[string]string{
	"=": "=", "<": "<", ">": ">", `\ne`: "!=", `\neq`: "!=", `\le`: "<=", `\leq`: "<=",
	`\leqslant`: "<=", `\leqq`: "<=", `\ge`: ">=", `\geq`: ">=", `\geqslant`: ">=", `\geqq`: ">=",
	`\ll`: "<<", `\gg`: ">>", `\lt`: "<", `\gt`: ">",
	`\approx`: "approx", `\simeq`: "simeq", `\cong`: "cong", `\equiv`: "equiv", `\sim`: "sim",
	`\propto`: "propto", `\varpropto`: "propto", `\in`: "in", `\notin`: "notin", `\ni`: "ni",
	`\subset`: "subset", `\subseteq`: "subseteq", `\supset`: "supset", `\supseteq`: "supseteq",
	`\subsetneq`: "subset", `\supsetneq`: "supset", `\sqsubseteq`: "subseteq",
	`\to`: "to", `\rightarrow`: "to", `\longrightarrow`: "to", `\mapsto`: "mapsto",
	`\longmapsto`: "mapsto", `\leftarrow`: "<-", `\gets`: "<-", `\longleftarrow`: "<-",
	`\coloneqq`: ":=", `\coloneq`: ":=", `\Coloneqq`: ":=", `\eqqcolon`: "=:", `\eqcolon`: "=:",
	`\triangleq`: ":=", `\doteq`: ":=", `\defeq`: ":=", `\stackrel`: "", `\overset`: "",
	`\mid`: "given", `\colon`: "colon", `\perp`: "perp", `\asymp`: "asymp",
	`\lesssim`: "<~", `\gtrsim`: ">~", `\prec`: "prec", `\succ`: "succ", `\preceq`: "preceq",
	`\succeq`: "succeq", `\models`: "models", `\vdash`: "vdash", `\parallel`: "parallel",
	`\nparallel`: "nparallel", `\nsim`: "nsim", `\neqsim`: "nsim", `\bowtie`: "bowtie",
	`\hookrightarrow`: "to", `\rightharpoonup`: "to", `\searrow`: "to", `\nearrow`: "to",
	`\downarrow`: "to", `\uparrow`: "to", `\leftrightarrow`: "iff", `\sqsubset`: "subset",
	`\vartriangleleft`: "prec", `\lhd`: "prec", `\lneq`: "<", `\gneq`: ">", `\nleq`: "!<=",
	`\ngeq`: "!>=", `\approxeq`: "approx", `\thickapprox`: "approx", `\backsim`: "sim",
	`\eqsim`: "sim", `\circeq`: ":=", `\triangleright`: "prec", `\triangleleft`: "prec",
	`\between`: "between", `\vcentcolon`: "colon", `\ordinarycolon`: "colon",
}

// logical are the relations that join statements: a \implies b.
var logical = map[string]string{
	`\implies`: "implies", `\Rightarrow`: "implies", `\Longrightarrow`: "implies",
	`\impliedby`: "impliedby", `\Leftarrow`: "impliedby", `\Longleftarrow`: "impliedby",
	`\iff`: "iff", `\Leftrightarrow`: "iff", `\Longleftrightarrow`: "iff", `\therefore`: "therefore",
	`\because`: "because",
}

// mulOps are the explicit multiplicative operators.
var mulOps = map[string]string{
	`\cdot`: "cdot", `\times`: "times", `\odot`: "odot", `\otimes`: "otimes", `\circ`: "circ",
	`\ast`: "ast", "*": "ast", "/": "/", `\div`: "/", `\wedge`: "wedge", `\vee`: "vee",
	`\land`: "wedge", `\lor`: "vee", `\cap`: "cap", `\setminus`: "setminus", `\backslash`: "setminus",
	`\star`: "star", `\bullet`: "bullet", `\diamond`: "diamond", `\oslash`: "oslash",
	`\boxtimes`: "otimes", `\circledast`: "ast", `\bmod`: "mod", `\ltimes`: "times", `\rtimes`: "times",
	`\sqcap`: "cap", `\centerdot`: "cdot", `\boxdot`: "odot", `\smallsetminus`: "setminus",
	`\wr`: "wr", `\amalg`: "amalg", `\intercal`: "intercal",
}

// addOps are the additive operators.
var addOps = map[string]string{
	"+": "+", "-": "-", `\pm`: "pm", `\mp`: "mp", `\oplus`: "oplus", `\ominus`: "ominus",
	`\cup`: "cup", `\sqcup`: "cup", `\uplus`: "cup", `\dotplus`: "+", `\triangle`: "triangle",
	`\vartriangle`: "triangle", `\triangledown`: "triangle", `\bigtriangleup`: "triangle",
}

// delimiters maps opening delimiters to their closers (a \left\| closes with \right\|).
var openers = map[string]string{
	"(": ")", "[": "]", `\{`: `\}`, `\lbrace`: `\rbrace`, `\langle`: `\rangle`, `\lceil`: `\rceil`,
	`\lfloor`: `\rfloor`, `\lbrack`: `\rbrack`, `\lvert`: `\rvert`, `\lVert`: `\rVert`,
	"|": "|", `\vert`: `\vert`, `\|`: `\|`, `\Vert`: `\Vert`, `\llbracket`: `\rrbracket`,
	`\lgroup`: `\rgroup`, `\lmoustache`: `\rmoustache`, "<": ">", ".": ".", `\lbrbrak`: `\rbrbrak`,
	`\lAngle`: `\rAngle`,
}

// closers is the set of closing delimiters.
var closers = map[string]bool{
	")": true, "]": true, `\}`: true, `\rbrace`: true, `\rangle`: true, `\rceil`: true,
	`\rfloor`: true, `\rbrack`: true, `\rvert`: true, `\rVert`: true, `\rrbracket`: true,
	`\rgroup`: true, `\rmoustache`: true, `\rbrbrak`: true, `\rAngle`: true,
}

// sizes are the delimiter-size prefixes.
var sizes = map[string]bool{
	`\big`: true, `\Big`: true, `\bigg`: true, `\Bigg`: true, `\bigl`: true, `\Bigl`: true,
	`\biggl`: true, `\Biggl`: true, `\bigr`: true, `\Bigr`: true, `\biggr`: true, `\Biggr`: true,
	`\bigm`: true, `\Bigm`: true, `\biggm`: true, `\Biggm`: true,
}

// ignored are the commands without arguments that print nothing that
// matters to the math: spacing, style, numbering.
var ignored = map[string]bool{
	`\,`: true, `\;`: true, `\:`: true, `\!`: true, `\ `: true, `\>`: true, `\/`: true,
	`\displaystyle`: true, `\textstyle`: true, `\scriptstyle`: true, `\scriptscriptstyle`: true,
	`\nonumber`: true, `\notag`: true, `\limits`: true, `\nolimits`: true, `\left.`: true,
	`\small`: true, `\normalsize`: true, `\footnotesize`: true, `\scriptsize`: true, `\tiny`: true,
	`\large`: true, `\Large`: true, `\LARGE`: true, `\huge`: true, `\Huge`: true,
	`\allowbreak`: true, `\nobreak`: true, `\relax`: true, `\enspace`: true, `\thinspace`: true,
	`\negthinspace`: true, `\medspace`: true, `\thickspace`: true, `\negmedspace`: true,
	`\negthickspace`: true, `\mathstrut`: true, `\strut`: true, `\quad`: false, `\qquad`: false,
	`\protect`: true, `\noindent`: true, `\centering`: true, `\hfill`: true, `\hfil`: true,
	`\null`: true, `\empty`: true, `\mathversion`: false, `\boldmath`: true, `\unboldmath`: true,
	`\newline`: false, `\break`: true, `\linebreak`: true, `\pagebreak`: true, `\nopagebreak`: true,
	`\ignorespaces`: true, `\unskip`: true, `\leavevmode`: true, `\cr`: false, `\crcr`: false,
	`\smallskip`: true, `\medskip`: true, `\bigskip`: true, `\vfill`: true, `\vfil`: true,
	`\bfseries`: true, `\itshape`: true, `\upshape`: true, `\normalfont`: true, `\mdseries`: true,
	`\selectfont`: true, `\tabularnewline`: false, `\displaybreak`: true, `\mkern`: false,
}

// skipArgs are the commands whose arguments are dropped: they label,
// number, colour or reserve space.
var skipArgs = map[string]int{
	`\label`: 1, `\tag`: 1, `\tag*`: 1, `\refstepcounter`: 1, `\vphantom`: 1, `\hphantom`: 1,
	`\phantom`: 1, `\color`: 1, `\hspace`: 1, `\hspace*`: 1, `\vspace`: 1, `\vspace*`: 1,
	`\stepcounter`: 1, `\addtocounter`: 2, `\setcounter`: 2, `\ltxlabel`: 1, `\index`: 1,
	`\footnote`: 1, `\footnotemark`: 0, `\footnotetext`: 1, `\marginpar`: 1, `\hypertarget`: 1,
	`\zlabel`: 1, `\cref`: 0, `\nameref`: 0, `\pagecolor`: 1, `\rule`: 2, `\raisebox`: 1,
	`\belowdisplayskip`: 0, `\abovedisplayskip`: 0,
}

// transparent are the commands whose one argument is part of the math as is.
var transparent = map[string]bool{
	`\boxed`: true, `\smash`: true, `\mathclap`: true, `\mathrlap`: true, `\mathllap`: true,
	`\clap`: true, `\rlap`: true, `\llap`: true, `\ensuremath`: true, `\mathord`: true,
	`\mathpunct`: true, `\mathinner`: true, `\mathopen`: true, `\mathclose`: true, `\cancel`: true,
	`\bcancel`: true, `\xcancel`: true, `\hl`: true, `\underbrace`: true, `\overbrace`: true,
	`\displaylimits`: false, `\mathchoice`: false, `\mathstrut`: false, `\lefteqn`: true, `\substack`: true, `\mathmakebox`: true, `\vcenter`: true, `\text`: false,
	`\makebox`: true, `\scalebox`: false, `\resizebox`: false, `\dfrac`: false, `\underbracket`: true,
	`\overbracket`: true, `\uwave`: true, `\ul`: true, `\sout`: true, `\textcolor`: false,
	`\colorbox`: false, `\mathring`: false, `\pmb`: false, `\cramped`: true, `\bm`: false,
}

// ellipses maps the dots commands.
var ellipses = map[string]string{
	`\dots`: "dots", `\ldots`: "dots", `\cdots`: "cdots", `\vdots`: "vdots", `\ddots`: "ddots",
	`\dotsc`: "dots", `\dotsb`: "cdots", `\dotsm`: "cdots", `\dotsi`: "cdots", `\dotso`: "dots",
	`\hdots`: "dots", `\iddots`: "ddots", `\adots`: "ddots",
}

// separatorWords are the words that join statements in a display: "where",
// "and", "s.t.".
var separatorWords = map[string]bool{
	"where": true, "and": true, "with": true, "for": true, "for all": true, "s.t.": true,
	"s.t": true, "st": true, "subject to": true, "such that": true, "if": true, "otherwise": true,
	"else": true, "when": true, "or": true, "then": true, "since": true, "as": true, "i.e.": true,
	"e.g.": true, "so": true, "thus": true, "hence": true, "because": true, "given": true,
	"for each": true, "for every": true, "for any": true, "for some": true, "let": true,
	"subject\\;to": true, "s.t.\\": true, "iff": true, "if and only if": true, "we have": true,
	"where:": true, "and:": true, "in which": true, "by": true, "using": true, "via": true,
	"provided": true, "unless": true, "also": true, "i.e.,": true, "e.g.,": true, "with:": true,
}
