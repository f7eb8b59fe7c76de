package facts

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	_ "github.com/reprohq/repro/internal/golden"
)

// show renders a value for the tests: 0.1, list:0.1,0.3, range:1,2, 'Adam.
func show(v value) string {
	if s, ok := v.v.(string); ok {
		return "'" + s
	}
	return valueKey(v)
}

// describe renders hyperparameters compactly: name=value, with the symbol
// in brackets when asked.
func describe(hs []hyper, withSym bool) []string {
	var out []string
	for _, h := range hs {
		s := h.name + "=" + show(h.val)
		if withSym && h.symbol != "" {
			s += "[" + h.symbol + "]"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		raw  string
	}{
		{"3e-4", 3e-4, "3e-4"},
		{"1E-3", 1e-3, "1E-3"},
		{"$3 \\times 10^{-4}$", 3e-4, "3 \\times 10^{-4}"},
		{"$3\\cdot10^{-4}$", 3e-4, "3\\cdot10^{-4}"},
		{"3·10^-4", 3e-4, "3·10^-4"},
		{"$10^{-8}$", 1e-8, "10^{-8}"},
		{"100k", 100000, "100k"},
		{"100K", 100000, "100K"},
		{"6.4M", 6.4e6, "6.4M"},
		{"1.5B", 1.5e9, "1.5B"},
		{"100,000", 100000, "100,000"},
		{"$100{,}000$", 100000, "100{,}000"},
		{"12,000", 12000, "12,000"},
		{"10%", 0.1, "10%"},
		{"10\\%", 0.1, "10\\%"},
		{"1.5 million", 1.5e6, "1.5 million"},
		{".001", 0.001, ".001"},
		{"$-2$", -2, "-2"},
		{"$45$K", 45000, "45$K"},
	}
	for _, tt := range tests {
		toks := lex(tt.in)
		var num *token
		for i := range toks {
			if toks[i].kind == kNum {
				num = &toks[i]
				break
			}
		}
		if num == nil {
			t.Errorf("%q: no number in %v", tt.in, toks)
			continue
		}
		if fmtNum(num.num) != fmtNum(tt.want) {
			t.Errorf("%q: value %v, want %v", tt.in, num.num, tt.want)
		}
		if raw := tt.in[num.start:num.end]; raw != tt.raw {
			t.Errorf("%q: raw %q, want %q", tt.in, raw, tt.raw)
		}
	}
	// Words that only look like numbers.
	for _, in := range []string{"2D", "3rd", "T5", "CIFAR-10", "4x"} {
		for _, tk := range lex(in) {
			if tk.kind == kNum {
				t.Errorf("%q: read a number %v", in, tk.num)
			}
		}
	}
}

// TestSentenceRules checks the sentence rules: every hyperparameter found,
// and nothing else.
func TestSentenceRules(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		// Learning rate.
		{"We use a learning rate of 3e-4.", []string{"learning_rate=0.0003"}},
		{"The learning rate 0.001 is kept constant.", []string{"learning_rate=0.001"}},
		{"We set lr = 1e-3 for all runs.", []string{"learning_rate=0.001"}},
		{"with a learning rate of $3 \\times 10^{-4}$", []string{"learning_rate=0.0003"}},
		{"The learning rate is set to $3\\cdot10^{-4}$.", []string{"learning_rate=0.0003"}},
		{"The initial learning rate was 0.1.", []string{"learning_rate=0.1"}},
		// Batch size.
		{"We use a batch size of 256.", []string{"batch_size=256"}},
		{"Models are trained on mini-batches of 64 examples.", []string{"batch_size=64"}},
		{"The batch sizes for CIFAR-10 and for ImageNet are $128$ and $4096$, respectively.", []string{"batch_size=128", "batch_size=4096"}},
		// Adam.
		{"We use Adam with β1 = 0.9 and β2 = 0.999.", []string{"beta1=0.9[\\beta_1]", "beta2=0.999[\\beta_2]", "optimizer='Adam"}},
		{"We use Adam with $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$.", []string{"beta1=0.9[\\beta_1]", "beta2=0.999[\\beta_2]", "optimizer='Adam"}},
		{"Optimizer momentum: $\\beta_1{=}0.9, \\beta_2{=}0.96$", []string{"beta1=0.9[\\beta_1]", "beta2=0.96[\\beta_2]"}},
		{"We train with a weight decay of 0.01.", []string{"weight_decay=0.01"}},
		// Length of training.
		{"Every model is trained for 100k steps.", []string{"training_steps=100000"}},
		{"We train for 100,000 iterations.", []string{"training_steps=100000"}},
		{"All networks are trained for 50 epochs.", []string{"epochs=50"}},
		{"We train the models for 40 epochs, each of which consists of 2500 steps.", []string{"epochs=40", "steps_per_epoch=2500"}},
		{"The world model is trained for $45$K steps.", []string{"training_steps=45000"}},
		{"We evaluate the policy every 10 epochs.", nil},
		// Dropout.
		{"We use a dropout of 0.1 on the attention weights.", []string{"dropout=0.1"}},
		{"The dropout rate is set to 0.3.", []string{"dropout=0.3"}},
		{"We apply 10% dropout.", []string{"dropout=0.1"}},
		// Warm-up.
		{"We use 4000 warmup steps.", []string{"warmup_steps=4000"}},
		{"The learning rate follows a warm-up of 4000 steps.", []string{"warmup_steps=4000"}},
		{"The learning rate is warmed up linearly for 4000 steps and then decays.", []string{"warmup_steps=4000"}},
		// Symbols.
		{"The gate penalty is $\\lambda = 0.5$.", []string{"gate_penalty=0.5[\\lambda]"}},
		{"We use λ = 0.5 in all experiments.", []string{"lambda=0.5[\\lambda]"}},
		{"We use a temperature τ = 0.1.", []string{"temperature=0.1[\\tau]"}},
		{"We train two models: one with downsampling ratio $f=16$ and one with $f=8$.", []string{"downsampling_ratio=16[f]"}},
		{"If $\\lambda = 0$, the bound is tight.", nil},
		{"The labels are $y_i = 0$ for ties.", nil},
		// Architecture.
		{"The hidden size is 256.", []string{"hidden_size=256"}},
		{"The encoder has 4 layers and 8 heads.", []string{"num_heads=8", "num_layers=4"}},
		{"All models have $L = 4$ layers, hidden size $d = 256$ and $H = 4$ heads.", []string{"hidden_size=256[d]", "num_heads=4[H]", "num_layers=4[L]"}},
		{"We use a 2-layer MLP with 64 hidden units.", []string{"hidden_size=64", "num_layers=2"}},
		{"The network has two hidden layers of size 100.", []string{"hidden_size=100", "num_layers=2"}},
		{"We use an embedding dimension of 512.", []string{"embedding_dim=512"}},
		{"The first 4 layers are frozen.", nil},
		{"24 of 34 layers are normalization layers.", nil},
		// Optimizer settings.
		{"We use SGD with momentum 0.9.", []string{"momentum=0.9", "optimizer='SGD"}},
		{"We apply gradient clipping at 1.0.", []string{"gradient_clip=1"}},
		{"Optimizer: AdamW", []string{"optimizer='AdamW"}},
		{"The learning rate follows a cosine schedule.", []string{"lr_schedule='cosine"}},
		{"We use the cosine learning rate decay schedule, starting at $0.1$ for CIFAR-10 and $3.2$ for ImageNet.", []string{"learning_rate=0.1", "learning_rate=3.2", "lr_schedule='cosine"}},
		{"We maintain a moving average of all model parameters with the rate of $0.999$.", []string{"ema_decay=0.999"}},
		{"We perform EMA on the weights with a decay factor of 0.7.", []string{"ema_decay=0.7"}},
		{"The network uses ReLU activations.", []string{"activation='ReLU"}},
		// Ranges and grids.
		{"We searched the learning rate between 1e-4 and 1e-3.", []string{"learning_rate=range:0.0001,0.001"}},
		{"The learning rate is tuned in 1e-4–1e-3.", []string{"learning_rate=range:0.0001,0.001"}},
		{"We tested learning rates in $\\{.005, .001, .0005\\}$.", []string{"learning_rate=list:0.005,0.001,0.0005"}},
		{"A grid search over dropout in {0.1, 0.3, 0.5} was performed.", []string{"dropout=list:0.1,0.3,0.5"}},
		{"We tried dropout rates of 0.1, 0.3 and 0.5.", []string{"dropout=list:0.1,0.3,0.5"}},
		{"We use learning rates of 0.001 and 0.0001 for the model and the scorer.", []string{"learning_rate=0.0001", "learning_rate=0.001"}},
		{"with $l \\in \\{2, 4\\}$ layers", []string{"num_layers=list:2,4[l]"}},
		// Sizes.
		{"We use images of size $224 \\times 224$.", []string{"image_size='224x224"}},
		{"Each image is decimated to 256x256 pixels.", []string{"image_size='256x256"}},
		{"the tokens have spatial size $16 \\times 16$.", nil},
		{"The model has about 6.4M parameters in total.", []string{"num_parameters=6400000"}},
		{"Every configuration is run with five seeds.", []string{"num_seeds=5"}},
		// Not settings.
		{"The domain is $\\gamma \\in [0, 1)$.", nil},
		{"Fine-tuning takes from 24 to 72 hours for 40 epochs.", []string{"epochs=40"}},
		{"We thank Adam Smith for comments.", nil},
	}
	for _, tt := range tests {
		g := newGlossary()
		g.add(`\lambda`, "lambda", prioWord)
		if strings.Contains(tt.in, "gate penalty") {
			g = newGlossary()
			g.learn("a gate penalty $\\lambda$")
		}
		if strings.Contains(tt.in, "$l \\in") {
			g.learn("We tested models with $l$ layers.")
		}
		got := describe(extractSentence(tt.in, g, ""), true)
		want := append([]string(nil), tt.want...)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s\n got %q\nwant %q", tt.in, got, want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"We use Adam. The rate is 0.1.", []string{"We use Adam.", "The rate is 0.1."}},
		{"See Fig. 3 and Eq. 2 for details. It works.", []string{"See Fig. 3 and Eq. 2 for details.", "It works."}},
		{"We use dropout (e.g. 0.1) everywhere. Then we stop.", []string{"We use dropout (e.g. 0.1) everywhere.", "Then we stop."}},
		{"As shown by J. Smith et al. in 2020. Next.", []string{"As shown by J. Smith et al. in 2020.", "Next."}},
		{"Let $x = 1. Y$ be it. Done.", []string{"Let $x = 1. Y$ be it.", "Done."}},
	}
	for _, tt := range tests {
		got := splitSentences(tt.in)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func cells(texts ...string) []doc.Cell {
	var r []doc.Cell
	for _, s := range texts {
		r = append(r, doc.Cell{Text: s})
	}
	return r
}

func header(texts ...string) []doc.Cell {
	r := cells(texts...)
	for i := range r {
		r[i].Header = true
	}
	return r
}

// TestTables checks the three layouts of hyperparameter tables.
func TestTables(t *testing.T) {
	tests := []struct {
		name string
		tab  doc.Table
		want []string // name=value@appliesTo
	}{
		{"two columns", doc.Table{Number: "1", Caption: "Hyperparameters.", Rows: [][]doc.Cell{
			header("Hyperparameter", "Value"),
			cells("Layers $L$ / hidden size $d$ / heads $H$", "4 / 256 / 4"),
			cells("$\\beta_1$, $\\beta_2$, $\\epsilon$", "0.9, 0.999, $10^{-8}$"),
			cells("Peak learning rate $\\eta_{\\max}$", "$3 \\times 10^{-4}$"),
			cells("Optimizer", "AdaFactor \\citep{x}"),
			cells("Learning rate schedule", "cosine decay"),
			cells("Training steps", "100k"),
			cells("Perceptual loss weight", "0.05"),
			cells("Optimizer momentum", "$\\beta_1{=}0.9, \\beta_2{=}0.96$"),
		}}, []string{
			"beta1=0.9@optimizer", "beta1=0.9@optimizer", "beta2=0.96@optimizer", "beta2=0.999@optimizer",
			"epsilon=1e-08@optimizer", "hidden_size=256@model", "learning_rate=0.0003@optimizer",
			"lr_schedule='cosine@optimizer", "num_heads=4@model", "num_layers=4@model", "optimizer='Adafactor@optimizer",
			"perceptual_loss_weight=0.05@method", "training_steps=100000@training",
		}},
		{"one column per model", doc.Table{Number: "2", Caption: "Training settings per model.", Rows: [][]doc.Cell{
			header("", "Base", "Large"),
			cells("Learning rate", "1e-4", "5e-5"),
			cells("Batch size", "256", "512"),
			cells("Test accuracy", "90.1", "91.2"),
		}}, []string{"batch_size=256@Base", "batch_size=512@Large", "learning_rate=0.0001@Base", "learning_rate=5e-05@Large"}},
		{"transposed", doc.Table{Number: "3", Caption: "Configuration for each scale.", Rows: [][]doc.Cell{
			header("Scale", "Learning rate", "Warmup", "Batch size", "ImageNet acc."),
			cells("small", "5e-4", "500", "4096", "0.05"),
			cells("large", "1e-3", "10000", "90112", "0.79"),
		}}, []string{
			"batch_size=4096@small", "batch_size=90112@large", "learning_rate=0.0005@small", "learning_rate=0.001@large",
			"warmup_steps=10000@large", "warmup_steps=500@small",
		}},
		{"a values row above the rule", doc.Table{Number: "4", Caption: "Training configuration.", Rows: [][]doc.Cell{
			header("# Layers", "12"),
			cells("Emb. Dim.", "768"),
			cells("Return-to-go conditioning", "6000 HalfCheetah"),
			cells("", "3600 Hopper"),
			cells("LR Warmup", "5000 steps"),
		}}, []string{
			"embedding_dim=768@model", "num_layers=12@model", "return_to_go_conditioning=3600@Hopper",
			"return_to_go_conditioning=6000@HalfCheetah", "warmup_steps=5000@optimizer",
		}},
	}
	for _, tt := range tests {
		if !isHyperTable(&tt.tab) {
			t.Errorf("%s: not read as a hyperparameter table", tt.name)
			continue
		}
		var got []string
		for _, it := range extractTable(&tt.tab, newGlossary()) {
			got = append(got, it.h.name+"="+show(it.h.val)+"@"+it.h.appliesTo)
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
	results := doc.Table{Caption: "Test results in all settings.", Rows: [][]doc.Cell{header("Model", "Acc."), cells("Ours", "90.1")}}
	if isHyperTable(&results) {
		t.Errorf("a results table is read as hyperparameters")
	}
}

// TestExtractDocument checks Extract on a document built by hand: the
// provenance of each kind of item, duplicates, and the sections skipped.
func TestExtractDocument(t *testing.T) {
	d := doc.New()
	d.Abstract = "We evaluate on CIFAR-10 and report top-1 accuracy."
	d.Sections = []doc.Section{
		{Number: "1", Title: "Related work", Level: 1, File: "main.tex", Line: 1},
		{Number: "2", Title: "Experiments", Level: 1, File: "main.tex", Line: 10},
		{Number: "", Title: "Acknowledgements", Level: 1, File: "main.tex", Line: 40},
	}
	d.Text = []doc.Paragraph{
		{Section: "1", File: "main.tex", Line: 2, Text: "Prior work trains on ImageNet with a learning rate of 0.1."},
		{Section: "2", File: "main.tex", Line: 11, Text: "We train on the TinyText dataset with a learning rate of 3e-4 and a batch size of 32. The learning rate of 3e-4 is kept. We report the FID and the perplexity."},
		{Section: "2", File: "main.tex", Line: 41, Text: "We thank the MNIST team for a learning rate of 0.5."},
	}
	d.Tables = []doc.Table{{Number: "1", Caption: "Hyperparameters.", Section: "2", File: "main.tex", Line: 20,
		Rows: [][]doc.Cell{header("Name", "Value"), cells("Dropout", "0.1"), cells("Batch size", "32")}}}
	Extract(d)
	var hp []string
	for _, h := range d.Hyperparameters {
		hp = append(hp, fmt.Sprintf("%s=%v §%s T%s %s:%d %q", h.Name, h.Value, h.Source.Section, h.Source.Table, h.Source.File, h.Source.Line, h.Source.Quote))
	}
	want := []string{
		`learning_rate=0.0003 §2 T main.tex:11 "We train on the TinyText dataset with a learning rate of 3e-4 and a batch size of 32."`,
		`batch_size=32 §2 T main.tex:11 "We train on the TinyText dataset with a learning rate of 3e-4 and a batch size of 32."`,
		`dropout=0.1 §2 T1 main.tex:20 "Dropout | 0.1"`,
	}
	if strings.Join(hp, "\n") != strings.Join(want, "\n") {
		t.Errorf("hyperparameters:\n%s\nwant:\n%s", strings.Join(hp, "\n"), strings.Join(want, "\n"))
	}
	var ds, ms []string
	for _, x := range d.Datasets {
		ds = append(ds, x.Name+"§"+x.Source.Section)
	}
	for _, x := range d.Metrics {
		hib := "?"
		if x.HigherIsBetter != nil {
			hib = fmt.Sprint(*x.HigherIsBetter)
		}
		ms = append(ms, x.Name+":"+hib)
	}
	if got := strings.Join(ds, " "); got != "CIFAR-10§ TinyText§2" {
		t.Errorf("datasets: %s", got)
	}
	if got := strings.Join(ms, " "); got != "accuracy:true FID:false perplexity:false" {
		t.Errorf("metrics: %s", got)
	}
	for _, h := range d.Hyperparameters {
		if !strings.Contains(h.Source.Quote, h.Raw) && !strings.Contains(h.Source.Quote, fmt.Sprint(h.Value)) {
			t.Errorf("%s: quote %q does not hold the value %q", h.Name, h.Source.Quote, h.Raw)
		}
	}
}

// TestMetricsAndDatasets checks names, directions and the guards against
// common words.
func TestMetricsAndDatasets(t *testing.T) {
	tests := []struct {
		in       string
		datasets string
		metrics  string
	}{
		{"We report BLEU on WMT14 En-De and ROUGE-L on CNN/DailyMail.", "WMT14 En-De CNN/Daily Mail", "BLEU ROUGE"},
		{"Top-5 error on ImageNet drops.", "ImageNet", "top-5 error"},
		{"We measure the average return on HalfCheetah in MuJoCo.", "HalfCheetah MuJoCo", "return"},
		{"We glue the parts and drop the rest; tennis is fun.", "", ""},
		{"The returns are computed with the precision of floats.", "", ""},
		{"We report precision and recall.", "", "precision recall"},
		{"Results on the Penn Treebank and WikiText-103 are in bits per character and perplexity.", "Penn Treebank WikiText-103", "bits per character perplexity"},
		{"We use a one linear map per layer.", "", ""},
	}
	for _, tt := range tests {
		toks := lex(tt.in)
		var ds, ms []string
		ds = append(ds, findDatasets(toks, strings.ToLower(tt.in))...)
		for _, e := range findMetrics(toks, false, false) {
			ms = append(ms, e.canon)
		}
		if got := strings.Join(ds, " "); got != tt.datasets {
			t.Errorf("%q: datasets %q, want %q", tt.in, got, tt.datasets)
		}
		if got := strings.Join(ms, " "); got != tt.metrics {
			t.Errorf("%q: metrics %q, want %q", tt.in, got, tt.metrics)
		}
	}
}
