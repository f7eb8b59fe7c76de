package plain

// Command tables for the renderer. Argument specifications use one letter
// per argument: m a mandatory argument (group or single token), o an
// optional [..] argument, s an optional star, p an optional (..) argument,
// d a TeX dimension (\hskip 2pt plus 1fil).

// symbols are commands that print a fixed text and leave the following
// space alone (\LaTeX\ is, \ldots and).
var symbols = map[string]string{
	`\ldots`: "…", `\dots`: "…", `\textellipsis`: "…", `\cdots`: "⋯", `\LaTeX`: "LaTeX", `\TeX`: "TeX",
	`\LaTeXe`: "LaTeX2e", `\BibTeX`: "BibTeX", `\XeTeX`: "XeTeX", `\LuaTeX`: "LuaTeX",
	`\textendash`: "–", `\textemdash`: "—", `\textbullet`: "•", `\textdagger`: "†", `\dag`: "†",
	`\textdaggerdbl`: "‡", `\ddag`: "‡", `\S`: "§", `\P`: "¶", `\copyright`: "©", `\textcopyright`: "©",
	`\textregistered`: "®", `\texttrademark`: "™", `\pounds`: "£", `\textsterling`: "£", `\euro`: "€",
	`\texteuro`: "€", `\textdollar`: "$", `\textbackslash`: `\`, `\textasciitilde`: "~",
	`\textasciicircum`: "^", `\textless`: "<", `\textgreater`: ">", `\textbar`: "|",
	`\textbraceleft`: "{", `\textbraceright`: "}", `\textunderscore`: "_", `\textquoteleft`: "‘",
	`\textquoteright`: "’", `\textquotedblleft`: "“", `\textquotedblright`: "”", `\textquotesingle`: "'",
	`\textquotedbl`: `"`, `\guillemotleft`: "«", `\guillemotright`: "»", `\guillemetleft`: "«",
	`\guillemetright`: "»", `\textdegree`: "°", `\degree`: "°", `\textmu`: "µ", `\textperthousand`: "‰",
	`\textonehalf`: "½", `\texttimes`: "×", `\textpm`: "±", `\textdiv`: "÷", `\textminus`: "−",
	`\checkmark`: "✓", `\cmark`: "✓", `\xmark`: "✗", `\textperiodcentered`: "·",
	`\textasteriskcentered`: "*", `\textvisiblespace`: "␣", `\textsection`: "§", `\textparagraph`: "¶",
	`\slash`: "/", `\textslash`: "/", `\lq`: "‘", `\rq`: "’", `\textexclamdown`: "¡", `\textquestiondown`: "¿",
	`\textnumero`: "№", `\textcelsius`: "℃", `\textohm`: "Ω", `\textmusicalnote`: "♪",
	// math symbols met outside math
	`\pm`: "±", `\mp`: "∓", `\times`: "×", `\div`: "÷", `\cdot`: "·", `\approx`: "≈", `\sim`: "∼",
	`\simeq`: "≃", `\leq`: "≤", `\le`: "≤", `\geq`: "≥", `\ge`: "≥", `\neq`: "≠", `\ne`: "≠", `\ll`: "≪",
	`\gg`: "≫", `\infty`: "∞", `\rightarrow`: "→", `\to`: "→", `\leftarrow`: "←", `\gets`: "←",
	`\Rightarrow`: "⇒", `\Leftarrow`: "⇐", `\leftrightarrow`: "↔", `\Leftrightarrow`: "⇔",
	`\uparrow`: "↑", `\downarrow`: "↓", `\Uparrow`: "⇑", `\Downarrow`: "⇓", `\mapsto`: "↦",
	`\longrightarrow`: "⟶", `\in`: "∈", `\notin`: "∉", `\subset`: "⊂", `\subseteq`: "⊆", `\supset`: "⊃",
	`\supseteq`: "⊇", `\cup`: "∪", `\cap`: "∩", `\forall`: "∀", `\exists`: "∃", `\partial`: "∂",
	`\nabla`: "∇", `\sum`: "∑", `\prod`: "∏", `\int`: "∫", `\propto`: "∝", `\circ`: "∘", `\bullet`: "•",
	`\star`: "⋆", `\ast`: "∗", `\dagger`: "†", `\ddagger`: "‡", `\triangleright`: "▷",
	`\triangleleft`: "◁", `\rhd`: "▷", `\lhd`: "◁", `\langle`: "⟨", `\rangle`: "⟩", `\vert`: "|",
	`\mid`: "|", `\ell`: "ℓ", `\emptyset`: "∅", `\varnothing`: "∅", `\neg`: "¬", `\lnot`: "¬",
	`\land`: "∧", `\wedge`: "∧", `\lor`: "∨", `\vee`: "∨", `\oplus`: "⊕", `\otimes`: "⊗", `\odot`: "⊙",
	`\top`: "⊤", `\bot`: "⊥", `\perp`: "⊥", `\models`: "⊨", `\vdash`: "⊢", `\equiv`: "≡", `\cong`: "≅",
	`\prime`: "′", `\hbar`: "ℏ", `\Box`: "□", `\square`: "□", `\blacksquare`: "■", `\diamond`: "⋄",
	`\lbrace`: "{", `\rbrace`: "}", `\lbrack`: "[", `\rbrack`: "]", `\backslash`: `\`,
	`\alpha`: "α", `\beta`: "β", `\gamma`: "γ", `\delta`: "δ", `\epsilon`: "ϵ", `\varepsilon`: "ε",
	`\zeta`: "ζ", `\eta`: "η", `\theta`: "θ", `\vartheta`: "ϑ", `\iota`: "ι", `\kappa`: "κ",
	`\lambda`: "λ", `\mu`: "μ", `\nu`: "ν", `\xi`: "ξ", `\pi`: "π", `\varpi`: "ϖ", `\rho`: "ρ",
	`\varrho`: "ϱ", `\sigma`: "σ", `\varsigma`: "ς", `\tau`: "τ", `\upsilon`: "υ", `\phi`: "ϕ",
	`\varphi`: "φ", `\chi`: "χ", `\psi`: "ψ", `\omega`: "ω", `\Gamma`: "Γ", `\Delta`: "Δ",
	`\Theta`: "Θ", `\Lambda`: "Λ", `\Xi`: "Ξ", `\Pi`: "Π", `\Sigma`: "Σ", `\Upsilon`: "Υ",
	`\Phi`: "Φ", `\Psi`: "Ψ", `\Omega`: "Ω",
	// spacing and breaks
	`\nobreakspace`: " ", `\space`: " ", `\enspace`: " ", `\enskip`: " ", `\quad`: " ", `\qquad`: " ",
	`\thinspace`: " ", `\hfill`: " ", `\hfil`: " ", `\dotfill`: " ", `\hrulefill`: " ", `\break`: " ",
	`\newline`: " ", `\par`: " ", `\cr`: " ", `\crcr`: " ", `\tabularnewline`: " ", `\medspace`: " ",
	`\thickspace`: " ", `\negthinspace`: "", `\allowbreak`: "",
}

// letters are commands that print a letter; like TeX, they swallow the
// space after them (Stra\ss e is one word).
var letters = map[string]string{
	`\ss`: "ß", `\SS`: "SS", `\aa`: "å", `\AA`: "Å", `\o`: "ø", `\O`: "Ø", `\ae`: "æ", `\AE`: "Æ",
	`\oe`: "œ", `\OE`: "Œ", `\l`: "ł", `\L`: "Ł", `\i`: "ı", `\j`: "ȷ", `\dh`: "ð", `\DH`: "Ð",
	`\th`: "þ", `\TH`: "Þ", `\ng`: "ŋ", `\NG`: "Ŋ", `\dj`: "đ", `\DJ`: "Đ",
}

// controlSymbols are the escapes \% \& ... and the spacing symbols.
var controlSymbols = map[string]string{
	`\%`: "%", `\&`: "&", `\$`: "$", `\#`: "#", `\_`: "_", `\{`: "{", `\}`: "}",
	`\ `: " ", "\\\t": " ", "\\\n": " ", "\\\r": " ", `\;`: " ", `\:`: " ", `\>`: " ",
	`\!`: "", `\-`: "", `\/`: "", `\@`: "", `\|`: "‖", `\*`: "",
}

// style is the font state that Flags reports on.
type style struct{ bold, italic, under bool }

// styleArgs are commands whose argument is set in a style.
var styleArgs = map[string]func(*style){
	`\textbf`: setBold, `\mathbf`: setBold, `\boldsymbol`: setBold, `\bm`: setBold, `\pmb`: setBold,
	`\mathbfit`: setBold, `\textbfit`: setBold,
	`\textit`: setItalic, `\emph`: setItalic, `\textsl`: setItalic, `\mathit`: setItalic,
	`\underline`: setUnder, `\uline`: setUnder, `\uuline`: setUnder, `\ul`: setUnder, `\underbar`: setUnder,
	`\textmd`: func(s *style) { s.bold = false }, `\textup`: func(s *style) { s.italic = false },
	`\textnormal`: func(s *style) { *s = style{} },
}

// switches are font declarations that last to the end of the group.
var switches = map[string]func(*style){
	`\bf`: setBold, `\bfseries`: setBold, `\boldmath`: setBold,
	`\it`: setItalic, `\itshape`: setItalic, `\em`: setItalic, `\sl`: setItalic, `\slshape`: setItalic,
	`\md`: func(s *style) { s.bold = false }, `\mdseries`: func(s *style) { s.bold = false },
	`\unboldmath`: func(s *style) { s.bold = false },
	`\up`:         func(s *style) { s.italic = false }, `\upshape`: func(s *style) { s.italic = false },
	`\rm`: func(s *style) { *s = style{} }, `\normalfont`: func(s *style) { *s = style{} },
}

func setBold(s *style)   { s.bold = true }
func setItalic(s *style) { s.italic = true }
func setUnder(s *style)  { s.under = true }

// dropped are commands removed together with their arguments. Those marked
// in cleanDrop also take the space before them when followed by
// punctuation ("as shown \cite{x}." gives "as shown.").
var dropped = map[string]string{
	`\label`: "m", `\footnote`: "om", `\footnotemark`: "o", `\footnotetext`: "om", `\thanks`: "m",
	`\tablefootnote`: "m", `\tnote`: "m", `\marginpar`: "om", `\todo`: "om", `\index`: "m",
	`\glossary`: "m", `\nocite`: "m", `\bibliography`: "m", `\bibliographystyle`: "m",
	`\cite`: "soom", `\citep`: "soom", `\Citep`: "soom", `\citealp`: "soom", `\Citealp`: "soom",
	`\parencite`: "soom", `\Parencite`: "soom", `\autocite`: "soom", `\Autocite`: "soom",
	`\footcite`: "soom", `\supercite`: "m", `\citenum`: "m", `\cites`: "m", `\citepalias`: "oom",
	`\vspace`: "sm", `\addvspace`: "m", `\color`: "om", `\pagecolor`: "om", `\phantom`: "m",
	`\hphantom`: "m", `\vphantom`: "m", `\includegraphics`: "soom", `\setlength`: "mm",
	`\addtolength`: "mm", `\setcounter`: "mm", `\addtocounter`: "mm", `\stepcounter`: "m",
	`\refstepcounter`: "m", `\pagestyle`: "m", `\thispagestyle`: "m", `\rule`: "omm",
	`\cellcolor`: "om", `\rowcolor`: "om", `\columncolor`: "om", `\rowcolors`: "somm",
	`\cline`: "m", `\cmidrule`: "opm", `\hhline`: "m", `\cdashline`: "m",
	`\specialrule`: "mmm", `\addlinespace`: "o", `\arrayrulecolor`: "om", `\Xhline`: "m",
	`\Xcline`: "mm", `\noalign`: "m", `\captionsetup`: "om", `\linespread`: "m", `\fontsize`: "mm",
	`\usefont`: "mmmm", `\fontfamily`: "m", `\definecolor`: "mmm", `\setstretch`: "m",
	`\enlargethispage`: "sm", `\addcontentsline`: "mmm", `\input`: "m", `\include`: "m",
	`\hline`: "", `\toprule`: "o", `\midrule`: "o", `\bottomrule`: "o", `\hdashline`: "o",
	`\firsthline`: "", `\lasthline`: "", `\morecmidrules`: "", `\bigstrut`: "o", `\linebreak`: "o",
	`\pagebreak`: "o", `\nopagebreak`: "o", `\nolinebreak`: "o", `\newpage`: "", `\clearpage`: "",
	`\tikz`: "om", `\symbol`: "m", `\titlenote`: "m", `\affiliation`: "m",
	`\email`: "m", `\orcid`: "m", `\inst`: "m", `\IEEEauthorrefmark`: "m",
	`\vskip`: "d", `\hskip`: "d", `\kern`: "d", `\vglue`: "d", `\hglue`: "d", `\mkern`: "d", `\mskip`: "d",
	`\hspace`: "sm", `\nonumber`: "", `\notag`: "", `\tag`: "sm", `\today`: "",
	`\newcommand`: "smoom", `\renewcommand`: "smoom", `\providecommand`: "smoom",
	`\DeclareMathOperator`: "smm", `\newcolumntype`: "mom", `\restylefloat`: "m",
	`\endfirsthead`: "", `\endhead`: "", `\endfoot`: "", `\endlastfoot`: "",
}

var cleanDrop = map[string]bool{
	`\footnote`: true, `\footnotemark`: true, `\thanks`: true, `\tablefootnote`: true, `\tnote`: true,
	`\marginpar`: true, `\todo`: true, `\index`: true, `\label`: true,
	`\cite`: true, `\citep`: true, `\Citep`: true, `\citealp`: true, `\Citealp`: true, `\parencite`: true,
	`\Parencite`: true, `\autocite`: true, `\Autocite`: true, `\footcite`: true, `\supercite`: true,
	`\citenum`: true, `\cites`: true, `\citepalias`: true,
}

// spaceDrop are dropped commands that still separate words.
var spaceDrop = map[string]bool{`\hspace`: true, `\hskip`: true}

// textualCites name the cited work in the sentence ("\citet{x} show"); they
// are kept as [key] so that the sentence still reads.
var textualCites = map[string]string{
	`\citet`: "soom", `\Citet`: "soom", `\citeauthor`: "soom", `\Citeauthor`: "soom",
	`\citeyear`: "soom", `\citeyearpar`: "soom", `\textcite`: "soom", `\Textcite`: "soom",
	`\citealt`: "soom", `\Citealt`: "soom", `\citetalias`: "oom", `\citetitle`: "soom",
}

// refs print a cross-reference; they are kept as [label].
var refs = map[string]string{
	`\ref`: "sm", `\eqref`: "sm", `\cref`: "sm", `\Cref`: "sm", `\autoref`: "sm", `\Autoref`: "sm",
	`\pageref`: "sm", `\nameref`: "sm", `\vref`: "sm", `\Vref`: "sm", `\cpageref`: "sm",
	`\Cpageref`: "sm", `\labelcref`: "sm", `\subref`: "sm", `\crefrange`: "smm",
	`\Crefrange`: "smm", `\thmref`: "sm", `\figref`: "sm", `\tabref`: "sm", `\secref`: "sm",
	`\algref`: "sm", `\lineref`: "sm",
}

// unwrapped are commands whose leading arguments (given by the spec) are
// skipped; what follows, normally the text argument, is kept.
var unwrapped = map[string]string{
	`\textcolor`: "om", `\colorbox`: "om", `\fcolorbox`: "omm", `\parbox`: "ooom", `\makebox`: "oo",
	`\framebox`: "oo", `\raisebox`: "moo", `\scalebox`: "mo", `\resizebox`: "smm", `\rotatebox`: "om",
	`\adjustbox`: "m", `\foreignlanguage`: "om", `\hyperref`: "o", `\hyperlink`: "m",
	`\hypertarget`: "m", `\multicolumn`: "mm", `\multirow`: "omomo", `\multirowcell`: "mo",
	`\caption`: "o", `\subcaption`: "o", `\captionof`: "mo", `\section`: "so", `\subsection`: "so",
	`\subsubsection`: "so", `\paragraph`: "so", `\subparagraph`: "so", `\chapter`: "so", `\part`: "so",
	`\makecell`: "o", `\thead`: "o", `\shortstack`: "o", `\Centerstack`: "o", `\stackunder`: "o",
	`\sidenote`: "o", `\textsuperscript`: "", `\textsubscript`: "", `\mbox`: "", `\hbox`: "",
	`\fbox`: "", `\text`: "", `\textrm`: "", `\textsf`: "", `\texttt`: "", `\textsc`: "",
	`\sout`: "", `\st`: "", `\hl`: "", `\xout`: "", `\smash`: "o", `\tabularcell`: "",
	`\tablehead`: "", `\author`: "o", `\title`: "o", `\SI`: "o", `\num`: "o", `\si`: "o",
	`\centerline`: "", `\leftline`: "", `\rightline`: "", `\lowercase`: "", `\uppercase`: "",
	`\MakeUppercase`: "", `\MakeLowercase`: "",
}

// envArgs are the arguments of environments that the renderer steps
// through (their body is text); unknown environments skip a directly
// following [..].
var envArgs = map[string]string{
	"minipage": "ooom", "tabular": "om", "tabular*": "mom", "tabularx": "mom", "tabulary": "mom",
	"array": "om", "longtable": "om", "longtable*": "om", "supertabular": "om", "xtabular": "om",
	"subfigure": "om", "subtable": "om", "wrapfigure": "omom", "wraptable": "omom", "multicols": "mo",
	"multicols*": "mo", "thebibliography": "m", "spacing": "m", "adjustbox": "m", "tcolorbox": "o",
	"figure": "o", "figure*": "o", "table": "o", "table*": "o", "algorithmic": "o", "itemize": "o",
	"enumerate": "o", "description": "o", "threeparttable": "o", "tablenotes": "o", "NiceTabular": "om",
	"tblr": "om", "tabu": "om", "mdframed": "o", "center": "", "resizebox": "mm",
}
