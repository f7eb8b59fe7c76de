// Package doc is repro's document model: the hub that every pipeline stage
// reads and writes. Intake and extraction fill a Document; renderers, the
// scaffolder, the MCP server and outside scripts read it, mostly through its
// JSON form, whose field names are a contract (see SchemaVersion).
//
// A Document is built once by an extractor and is treated as immutable
// afterwards: later stages may add derived data but never rewrite what the
// extractor found.
package doc

// SchemaVersion is the version of the JSON contract. Fields may be added
// without changing it; renaming or removing a field bumps it.
const SchemaVersion = "1.0"

// Document is one paper, extracted.
type Document struct {
	SchemaVersion string   `json:"schema_version"`
	Source        Source   `json:"source"`
	Title         string   `json:"title"`
	Authors       []string `json:"authors"`
	Abstract      string   `json:"abstract"`
	Keywords      []string `json:"keywords,omitempty"`
	ArxivID       string   `json:"arxiv_id"`
	Date          string   `json:"date,omitempty"`

	Sections   []Section   `json:"sections"`
	Equations  []Equation  `json:"equations"`
	Algorithms []Algorithm `json:"algorithms"`
	Tables     []Table     `json:"tables"`
	Figures    []Figure    `json:"figures"`
	References []Reference `json:"references"`
	// Hyperparameters, Datasets and Metrics are what the paper states about
	// its experiments; every item cites the text it came from.
	Hyperparameters []Hyperparameter `json:"hyperparameters"`
	Datasets        []Dataset        `json:"datasets"`
	Metrics         []Metric         `json:"metrics"`
	// Results are the numbers the paper reports for its own method in its
	// result tables: the benchmark targets of a reproduction.
	Results []Result `json:"results"`
	Macros  []Macro  `json:"macros,omitempty"`
	// Labels maps every \label of the paper to the number LaTeX gives it
	// (sections, equations, floats, theorems, a subequations parent).
	Labels   map[string]Label `json:"labels,omitempty"`
	Warnings []Warning        `json:"warnings"`

	// Text is the paper's prose, paragraph by paragraph in reading order
	// (captions, footnotes, tables and display math left out; inline math
	// kept as $...$), for the stages that read its sentences, such as the
	// hyperparameter extractor. It is not part of the JSON contract.
	Text []Paragraph `json:"-"`

	// Stats records how the extraction went (counts, timing); informative.
	Stats Stats `json:"stats"`
}

// Source says where the document came from.
type Source struct {
	Kind      string   `json:"kind"` // latex, pdf, markdown, text
	Path      string   `json:"path"`
	MainFile  string   `json:"main_file"`
	Files     []string `json:"files,omitempty"` // source files read, relative to the source root
	Generator string   `json:"generator,omitempty"`
	// Via says how the paper was read when it was not from the source
	// given: "arxiv-latex" when a PDF names an arXiv paper whose LaTeX
	// source was read instead.
	Via string `json:"via,omitempty"`
}

// Section is one heading of the section tree.
type Section struct {
	Number   string `json:"number"` // as printed: "3", "3.2", "A", "A.1"; "" when unnumbered
	Title    string `json:"title"`
	Level    int    `json:"level"` // 0 = part/chapter, 1 = section, 2 = subsection, 3 = subsubsection, 4 = paragraph
	Label    string `json:"label,omitempty"`
	Appendix bool   `json:"appendix,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
}

// Equation is one numbered row of a display, or one unnumbered display block.
type Equation struct {
	ID     string   `json:"id"`
	Number *string  `json:"number"` // nil for unnumbered blocks
	Label  string   `json:"label"`
	Labels []string `json:"labels"`
	// LaTeX is the math as written in the source; LaTeXExpanded has the
	// paper's own macros expanded so that it stands alone.
	LaTeX         string `json:"latex"`
	LaTeXExpanded string `json:"latex_expanded"`
	Env           string `json:"env"`
	// Tag is the text of a \tag* (printed as is, without parentheses);
	// such an equation has no number of its own.
	Tag string `json:"tag,omitempty"`
	// Section is the number of the enclosing section ("" before the first).
	Section      string  `json:"section"`
	SectionTitle string  `json:"section_title,omitempty"`
	Context      Context `json:"context"`
	ReferencedIn []Ref   `json:"referenced_in"`
	File         string  `json:"file,omitempty"`
	Line         int     `json:"line,omitempty"`
	// Block is the index shared by equations that come from the same display.
	Block int `json:"block"`
	// Approx is set when LaTeX was reconstructed from a rendering (a PDF's
	// glyphs and their positions) rather than read from the source; Text
	// is then the display's Unicode text as printed.
	Approx bool   `json:"approx,omitempty"`
	Text   string `json:"text,omitempty"`
}

// NumberString returns the printed number or "".
func (e *Equation) NumberString() string {
	if e.Number == nil {
		return ""
	}
	return *e.Number
}

// Context is the prose around an equation.
type Context struct {
	Before string `json:"before"` // the sentence that introduces it
	After  string `json:"after"`  // the sentence that follows ("where ...")
}

// Ref is one place where a labelled item is referenced.
type Ref struct {
	Section string `json:"section"`
	Command string `json:"command"` // eqref, ref, cref, autoref, ...
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Text    string `json:"text,omitempty"` // the sentence around the reference
}

// Algorithm is a pseudocode float.
type Algorithm struct {
	Number      string   `json:"number"`
	Label       string   `json:"label"`
	Caption     string   `json:"caption"`
	CaptionFull string   `json:"caption_full,omitempty"`
	Package     string   `json:"package"` // algorithmic, algpseudocode, algorithm2e
	Inputs      []string `json:"inputs"`
	Outputs     []string `json:"outputs"`
	Steps       []Step   `json:"steps"`
	Pseudocode  string   `json:"pseudocode"`
	Section     string   `json:"section"`
	File        string   `json:"file,omitempty"`
	Line        int      `json:"line,omitempty"`
}

// Step kinds.
const (
	StepStatement = "statement"
	StepIf        = "if"
	StepElseIf    = "elseif"
	StepElse      = "else"
	StepFor       = "for"
	StepWhile     = "while"
	StepRepeat    = "repeat"
	StepUntil     = "until"
	StepFunction  = "function"
	StepReturn    = "return"
	StepComment   = "comment"
	StepRequire   = "require"
	StepEnsure    = "ensure"
)

// Step is one line of an algorithm.
type Step struct {
	Kind    string `json:"kind"`
	Depth   int    `json:"depth"`
	Text    string `json:"text"` // math kept as LaTeX
	Comment string `json:"comment,omitempty"`
	Label   string `json:"label,omitempty"`
}

// Table is a table float.
type Table struct {
	Number string `json:"number"`
	Label  string `json:"label"`
	// Caption is the caption as the list of tables shows it: the short
	// caption when the paper gives one, else the caption cut to about 300
	// characters. CaptionFull is the whole caption.
	Caption     string   `json:"caption"`
	CaptionFull string   `json:"caption_full,omitempty"`
	Rows        [][]Cell `json:"rows"`
	Section     string   `json:"section"`
	File        string   `json:"file,omitempty"`
	Line        int      `json:"line,omitempty"`
}

// Cell is one grid cell of a table; spanned cells are repeated with Spanned set.
type Cell struct {
	Text      string   `json:"text"`
	Bold      bool     `json:"bold,omitempty"`
	Underline bool     `json:"underline,omitempty"`
	Italic    bool     `json:"italic,omitempty"`
	Math      bool     `json:"math,omitempty"`
	Value     *float64 `json:"value,omitempty"`
	PlusMinus *float64 `json:"plus_minus,omitempty"`
	ColSpan   int      `json:"colspan,omitempty"`
	RowSpan   int      `json:"rowspan,omitempty"`
	// Spanned marks a grid position covered by a multicolumn/multirow cell
	// that starts elsewhere; Text repeats that cell's text.
	Spanned bool `json:"spanned,omitempty"`
	Header  bool `json:"header,omitempty"`
}

// Figure is a figure float; subfigures are listed inside it.
type Figure struct {
	Number string `json:"number"`
	Label  string `json:"label"`
	// Caption and CaptionFull are as for Table.
	Caption     string   `json:"caption"`
	CaptionFull string   `json:"caption_full,omitempty"`
	Subfigures  []Figure `json:"subfigures,omitempty"`
	Section     string   `json:"section"`
	File        string   `json:"file,omitempty"`
	Line        int      `json:"line,omitempty"`
}

// Reference is one bibliography entry.
type Reference struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Authors []string `json:"authors"`
	Year    string   `json:"year"`
	Venue   string   `json:"venue"`
	ArxivID string   `json:"arxiv_id"`
	DOI     string   `json:"doi"`
	URL     string   `json:"url"`
	Cited   int      `json:"cited"`
	CitedIn []string `json:"cited_in"`         // section numbers, in order of first citation
	Source  string   `json:"source,omitempty"` // bbl or bib
}

// Macro is a macro the paper defines.
type Macro struct {
	Name    string `json:"name"`
	Params  int    `json:"params"`
	Default string `json:"default,omitempty"`
	Body    string `json:"body"`
	Kind    string `json:"kind"` // newcommand, def, let, operator, environment
}

// Provenance says where an extracted fact was found.
type Provenance struct {
	Section string `json:"section"`         // section number ("" before the first)
	Table   string `json:"table,omitempty"` // table number when it came from a table
	Quote   string `json:"quote"`           // the paper's words (a sentence, or a table row)
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// Hyperparameter is a value the paper gives for its model or training.
type Hyperparameter struct {
	Name   string `json:"name"`             // normalised: learning_rate, batch_size, dropout, ...
	Symbol string `json:"symbol,omitempty"` // LaTeX symbol when the paper names one: \lambda, \beta_1
	// Value is a float64 for a number, a []float64 for a list of values
	// (a grid search) or for a range's two bounds (Kind "range"), and a
	// string for anything else (an optimizer's name, "cosine").
	Value     any        `json:"value"`
	Raw       string     `json:"raw"`  // the value as written
	Kind      string     `json:"kind"` // number, list, range, text
	Unit      string     `json:"unit,omitempty"`
	AppliesTo string     `json:"applies_to,omitempty"` // model, training, optimizer, data, method
	Source    Provenance `json:"source"`
}

// Dataset is a data set the paper uses.
type Dataset struct {
	Name   string     `json:"name"`
	Source Provenance `json:"source"`
}

// Metric is an evaluation metric the paper reports.
type Metric struct {
	Name           string     `json:"name"`
	HigherIsBetter *bool      `json:"higher_is_better"` // nil when unknown
	Source         Provenance `json:"source"`
}

// Result is one number a results table reports for the paper's own method:
// a cell at the crossing of the method's row (or column, for a transposed
// table) and a dataset/metric column.
type Result struct {
	Method    string   `json:"method"`            // the label naming the method, as printed ("TinyFormer (ours)")
	Dataset   string   `json:"dataset"`           // "" when the table names none
	Metric    string   `json:"metric"`            // the metric as the table names it ("Acc.", "PPL", "FID")
	Setting   string   `json:"setting,omitempty"` // the other labels of the row and column (model size, split, ...)
	Value     float64  `json:"value"`
	Raw       string   `json:"raw"` // the cell as printed ("91.3", "91.3 ± 0.2", "12.5%")
	PlusMinus *float64 `json:"plus_minus,omitempty"`
	// Percent is set when the value is on a 0–100 scale (a % sign, or a
	// percentage metric whose values exceed 1).
	Percent        bool  `json:"percent,omitempty"`
	HigherIsBetter *bool `json:"higher_is_better"` // nil when unknown
	// Direction says where HigherIsBetter came from: "arrow" (a ↑/↓ mark
	// in the table), "metric" (the metric's usual sense) or "".
	Direction string `json:"direction,omitempty"`
	Bold      bool   `json:"bold,omitempty"` // the cell is bold (best in its column, usually)
	// Why says how the row was recognised as the paper's own method: "ours"
	// (the label says ours/proposed), "name" (the method's name from the
	// title or abstract), "bold-label" (the method label is bold); or
	// "study": the paper has no method of its own in its tables (an
	// empirical study, a benchmark collection) or introduces a benchmark,
	// and the row is one of the runs its results tables report (Method is
	// the row's method label, a baseline the paper ran).
	Why    string     `json:"why"`
	Row    string     `json:"row"`    // the row's labels, joined with " / "
	Column string     `json:"column"` // the column's header labels, joined with " / "
	Source Provenance `json:"source"` // Table holds the table number, Quote its caption
}

// Paragraph is one paragraph of prose, or the part of one between two
// displays, or one list item.
type Paragraph struct {
	Section string `json:"section"` // section number ("" before the first)
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"` // where the paragraph starts
	Text    string `json:"text"`
}

// Label is what a \label refers to.
type Label struct {
	Number string `json:"number"`
	Kind   string `json:"kind"` // section, equation, figure, table, algorithm, theorem, ...
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// Warning is a diagnostic about the paper, with its position.
type Warning struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Stats summarises an extraction.
type Stats struct {
	Files        int     `json:"files"`
	Bytes        int     `json:"bytes"`
	Milliseconds float64 `json:"milliseconds"`
}

// New returns an empty document with non-nil slices, so that its JSON form
// always has arrays rather than nulls.
func New() *Document {
	return &Document{
		SchemaVersion: SchemaVersion,
		Authors:       []string{},
		Sections:      []Section{},
		Equations:     []Equation{},
		Algorithms:    []Algorithm{},
		Tables:        []Table{},
		Figures:       []Figure{},
		References:    []Reference{},
		Warnings:      []Warning{},
	}
}
