package results

import (
	"strings"
)

// metricWord is an entry of the metric vocabulary: a word or phrase as it
// appears in headers and captions, whether higher is better, and whether
// the metric is usually printed as a percentage.
type metricWord struct {
	word string
	// caseSensitive words are matched as written (IS, AP, EM, CLIP), the
	// others in lower case.
	caseSensitive bool
	higher        bool
	percent       bool
	// generic words (score, performance, time) name a metric only in a
	// header or when the caption names nothing more precise.
	generic bool
	// headerOnly words (IS, CLIP, EM, AP, time) are not read in captions,
	// where they are ordinary words ("CLIP models", "IS", "at the time").
	headerOnly bool
	// noDir metrics have no usual direction (an objective).
	noDir bool
}

// metricWords is searched in order: longer phrases before the words they
// contain, so that "top-1 error" is an error and not an accuracy.
var metricWords = []metricWord{
	// Lower is better.
	{word: "top-1 error", percent: true},
	{word: "top-5 error", percent: true},
	{word: "top1 error", percent: true},
	{word: "error rate", percent: true},
	{word: "test error", percent: true},
	{word: "word error rate", percent: true},
	{word: "miss rate", percent: true},
	{word: "failure rate", percent: true},
	{word: "calibration error", percent: true},
	{word: "negative log-likelihood"},
	{word: "negative log likelihood"},
	{word: "negative elbo"},
	{word: "bits/dim"},
	{word: "bits per dim"},
	{word: "bits/char"},
	{word: "episodes until solve"},
	{word: "episodes to solve"},
	{word: "timesteps until solve"},
	{word: "timesteps to solve"},
	{word: "steps to solve"},
	{word: "epochs needed"},
	{word: "epochs to"},
	{word: "kl divergence"},
	{word: "training objective", noDir: true},
	{word: "validation objective", noDir: true},
	{word: "test objective", noDir: true},
	{word: "objective", noDir: true, generic: true},
	{word: "inference time", generic: true},
	{word: "training time", generic: true},
	{word: "search time", generic: true},
	{word: "wall-clock time", generic: true},
	{word: "runtime", generic: true},
	{word: "run time", generic: true},
	{word: "latency", generic: true},
	{word: "error", percent: true},
	{word: "err", headerOnly: true, percent: true},
	{word: "errors", percent: true},
	{word: "failures", percent: true},
	{word: "timeouts", percent: true},
	{word: "perplexity"},
	{word: "perplexities"},
	{word: "ppl"},
	{word: "nll"},
	{word: "loss"},
	{word: "fid"},
	{word: "kid"},
	{word: "lpips"},
	{word: "mse"},
	{word: "rmse"},
	{word: "mae"},
	{word: "mape"},
	{word: "bpd"},
	{word: "bpc"},
	{word: "wer", percent: true},
	{word: "cer", percent: true},
	{word: "ece", percent: true},
	{word: "regret"},
	{word: "time", headerOnly: true, generic: true},
	{word: "#params", headerOnly: true, generic: true},
	{word: "# params", headerOnly: true, generic: true},
	{word: "params", headerOnly: true, generic: true},
	{word: "parameters", headerOnly: true, generic: true},
	{word: "flops", headerOnly: true, generic: true},
	{word: "memory", headerOnly: true, generic: true},

	// Higher is better.
	{word: "top-1 accuracy", higher: true, percent: true},
	{word: "top-5 accuracy", higher: true, percent: true},
	{word: "top-1 acc", higher: true, percent: true},
	{word: "top-5 acc", higher: true, percent: true},
	{word: "top-1", higher: true, percent: true},
	{word: "top-5", higher: true, percent: true},
	{word: "top1", higher: true, percent: true},
	{word: "top5", higher: true, percent: true},
	{word: "accuracy", higher: true, percent: true},
	{word: "accuracies", higher: true, percent: true},
	{word: "acc", headerOnly: true, higher: true, percent: true},
	{word: "macro-f1", higher: true, percent: true},
	{word: "micro-f1", higher: true, percent: true},
	{word: "f1", higher: true, percent: true},
	{word: "f-measure", higher: true, percent: true},
	{word: "f-score", higher: true, percent: true},
	{word: "precision", higher: true, percent: true},
	{word: "recall", higher: true, percent: true},
	{word: "success rate", higher: true, percent: true},
	{word: "success", headerOnly: true, higher: true, percent: true},
	{word: "win rate", higher: true, percent: true},
	{word: "hit rate", higher: true, percent: true},
	{word: "exact match", higher: true, percent: true},
	{word: "EM", caseSensitive: true, headerOnly: true, higher: true, percent: true},
	{word: "hits@", higher: true, percent: true},
	{word: "recall@", higher: true, percent: true},
	{word: "pass@", higher: true, percent: true},
	{word: "auroc", higher: true, percent: true},
	{word: "auprc", higher: true, percent: true},
	{word: "auc", higher: true, percent: true},
	{word: "mAP", caseSensitive: true, higher: true, percent: true},
	{word: "AP", caseSensitive: true, headerOnly: true, higher: true, percent: true},
	{word: "miou", higher: true, percent: true},
	{word: "iou", higher: true, percent: true},
	{word: "sacrebleu", higher: true},
	{word: "bleu", higher: true},
	{word: "rouge", higher: true},
	{word: "meteor", higher: true},
	{word: "cider", higher: true},
	{word: "spice", higher: true},
	{word: "chrf", higher: true},
	{word: "bertscore", higher: true},
	{word: "inception score", higher: true},
	{word: "clip score", higher: true},
	{word: "clip-score", higher: true},
	{word: "CLIP", caseSensitive: true, headerOnly: true, higher: true},
	{word: "IS", caseSensitive: true, headerOnly: true, higher: true},
	{word: "psnr", higher: true},
	{word: "ssim", higher: true},
	{word: "normalized mean return", higher: true},
	{word: "normalized return", higher: true},
	{word: "normalized score", higher: true},
	{word: "human-normalized score", higher: true},
	{word: "log-likelihood", higher: true},
	{word: "log likelihood", higher: true},
	{word: "elbo", higher: true},
	{word: "mrr", higher: true},
	{word: "ndcg", higher: true},
	{word: "spearman", higher: true},
	{word: "pearson", higher: true},
	{word: "kendall", higher: true},
	{word: "mcc", higher: true},
	{word: "R^2", caseSensitive: true, higher: true},
	{word: "R²", caseSensitive: true, higher: true},
	{word: "speedup", higher: true},
	{word: "speed-up", higher: true},
	{word: "throughput", higher: true},
	{word: "mean return", higher: true},
	{word: "average return", higher: true},
	{word: "return", higher: true},
	{word: "returns", higher: true},
	{word: "reward", higher: true},
	{word: "rewards", higher: true},
	{word: "mean score", higher: true, generic: true},
	{word: "mean scores", higher: true, generic: true},
	{word: "score", higher: true, generic: true},
	{word: "scores", higher: true, generic: true},
}

// metricMatch is what the vocabulary says about a piece of text.
type metricMatch struct {
	ok      bool
	noDir   bool
	higher  bool
	percent bool
	generic bool
	at      int    // where the word starts in the text
	word    string // the words as the text has them
}

// findMetric looks for the first vocabulary word of s (in vocabulary
// order: the most specific phrase wins). lower is s in lower case.
func findMetric(s, lower string) metricMatch {
	// The bytes of the text, to skip the words that cannot occur in it.
	var present [256]bool
	for i := 0; i < len(lower); i++ {
		present[lower[i]] = true
	}
	for _, w := range metricWords {
		if len(w.word) > len(s) || !present[lowerByte(w.word[0])] {
			continue
		}
		var i int
		if w.caseSensitive {
			i = wordIndex(s, w.word, true)
		} else {
			i = wordIndex(lower, w.word, false)
		}
		if i >= 0 {
			return metricMatch{ok: true, noDir: w.noDir, higher: w.higher, percent: w.percent, generic: w.generic, at: i, word: s[i : i+len(w.word)]}
		}
	}
	return metricMatch{}
}

// captionMetrics lists the metrics a caption names, in the order it names
// them, one per vocabulary entry; a generic word ("scores") only when
// nothing more precise is named.
func captionMetrics(caption string) []metricMatch {
	if caption == "" {
		return nil
	}
	lower := lowerASCII(caption)
	var found, generic []metricMatch
	covered := func(at, n int) bool {
		for _, f := range append(found, generic...) {
			if at < f.at+len(f.word) && f.at < at+n {
				return true
			}
		}
		return false
	}
	var present [256]bool
	for i := 0; i < len(lower); i++ {
		present[lower[i]] = true
	}
	for _, w := range metricWords {
		if w.headerOnly || !present[lowerByte(w.word[0])] {
			continue
		}
		var i int
		if w.caseSensitive {
			i = wordIndex(caption, w.word, true)
		} else {
			i = wordIndex(lower, w.word, false)
		}
		if i < 0 || covered(i, len(w.word)) {
			continue
		}
		m := metricMatch{ok: true, noDir: w.noDir, higher: w.higher, percent: w.percent, generic: w.generic, at: i, word: caption[i : i+len(w.word)]}
		if w.generic {
			generic = append(generic, m)
		} else {
			found = append(found, m)
		}
	}
	if len(found) == 0 {
		found = generic
	}
	// In the caption's order.
	for i := 1; i < len(found); i++ {
		for j := i; j > 0 && found[j].at < found[j-1].at; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	return found
}

// arrow finds a direction mark in a header: ↑ or ↓ ($\uparrow$ in the
// source), or the words "higher/lower is better".
func arrow(s string) (higher bool, ok bool) {
	up := strings.Contains(s, "↑") || strings.Contains(s, `\uparrow`) || strings.Contains(s, `\Uparrow`)
	down := strings.Contains(s, "↓") || strings.Contains(s, `\downarrow`) || strings.Contains(s, `\Downarrow`)
	if up != down {
		return up, true
	}
	if up {
		return false, false
	}
	return betterWords(lowerASCII(s))
}

// betterWords finds "higher is better" or "lower is better" (or "the
// higher the better") in lower-case text, when it says only one of them.
func betterWords(lower string) (higher bool, ok bool) {
	h := strings.Contains(lower, "higher is better") || strings.Contains(lower, "higher the better") || strings.Contains(lower, "larger is better")
	l := strings.Contains(lower, "lower is better") || strings.Contains(lower, "lower the better") || strings.Contains(lower, "smaller is better")
	if h != l {
		return h, true
	}
	return false, false
}

// stripArrows removes direction marks from a header for the metric's name.
var arrowStripper = strings.NewReplacer("$\\uparrow$", "", "$\\downarrow$", "", `\uparrow`, "", `\downarrow`, "",
	"↑", "", "↓", "", "(higher is better)", "", "(lower is better)", "", "()", "")

func stripArrows(s string) string {
	return collapseSpace(arrowStripper.Replace(s))
}

// settingWords mark a label as a setting (a split, a size, a number of
// shots, a statistic) rather than a dataset.
var settingWords = []string{
	"zero-shot", "few-shot", "one-shot", "shot", "shots", "test", "val", "valid", "validation", "dev",
	"train", "training", "layer", "layers", "seed", "seeds", "small", "base", "large", "xl", "tiny",
	"full", "steps", "epochs", "frames", "samples", "resolution", "w/", "with", "without",
	"in-domain", "out-of-domain", "iid", "ood", "average", "avg", "mean", "overall", "all",
}

// aggregateWords are column headers that say which statistic of the
// metric a column holds.
var aggregateWords = map[string]bool{
	"min": true, "max": true, "avg": true, "mean": true, "median": true, "best": true,
	"worst": true, "final": true, "average": true, "minimum": true, "maximum": true, "last": true,
}

// isAggregate reports whether a header is only a statistic ("min", "avg
// ± std", "Mean").
func isAggregate(lower string) bool {
	f := strings.FieldsFunc(lower, func(r rune) bool {
		return r == ' ' || r == '(' || r == ')' || r == '.' || r == ',' || r == '±' || r == '/' || r == '+' || r == '-'
	})
	if len(f) == 0 {
		return false
	}
	agg := false
	for _, w := range f {
		switch {
		case aggregateWords[w]:
			agg = true
		case w == "std" || w == "sd" || w == "stdev" || w == "pm" || w == "±":
		default:
			return false
		}
	}
	return agg
}

// settingLike reports whether a label reads as a setting: a number
// ("10M", "50"), an assignment ("k = 2"), a resolution, or a setting word.
func settingLike(s, lower string) bool {
	if s == "" {
		return false
	}
	digits, letters := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digits++
		case isLetterByte(c):
			letters++
		}
	}
	if digits > 0 && letters <= 2 {
		return true
	}
	if strings.ContainsAny(s, "=×") || strings.Contains(s, `\times`) {
		return true
	}
	var present [256]bool
	for i := 0; i < len(lower); i++ {
		present[lower[i]] = true
	}
	for _, w := range settingWords {
		if len(w) <= len(lower) && present[w[0]] && containsWord(lower, w) {
			return true
		}
	}
	return false
}

// Column kinds, from the header of a label column ("Method", "Dataset",
// "Metric").
const (
	kindNone = iota
	kindMethod
	kindDataset
	kindMetric
)

var kindWords = map[string]int{
	"method": kindMethod, "methods": kindMethod, "model": kindMethod, "models": kindMethod,
	"approach": kindMethod, "approaches": kindMethod, "algorithm": kindMethod, "algorithms": kindMethod,
	"architecture": kindMethod, "baseline": kindMethod, "baselines": kindMethod, "agent": kindMethod,
	"system": kindMethod, "systems": kindMethod, "variant": kindMethod, "estimator": kindMethod,
	"technique": kindMethod, "policy": kindMethod, "network": kindMethod, "filtering": kindMethod,
	"dataset": kindDataset, "datasets": kindDataset, "data": kindDataset, "task": kindDataset,
	"tasks": kindDataset, "game": kindDataset, "games": kindDataset, "environment": kindDataset,
	"environments": kindDataset, "env": kindDataset, "env.": kindDataset, "benchmark": kindDataset,
	"domain": kindDataset, "language": kindDataset, "languages": kindDataset, "corpus": kindDataset,
	"metric": kindMetric, "metrics": kindMetric, "measure": kindMetric, "performance": kindMetric,
}

// columnKind reads the header of a label column: the first word decides
// ("Method/Data" lists methods).
func columnKind(header string) int {
	lower := lowerASCII(header)
	f := strings.FieldsFunc(lower, func(r rune) bool {
		return r == ' ' || r == '/' || r == '\\' || r == '(' || r == ')' || r == ':' || r == ','
	})
	if len(f) == 0 {
		return kindNone
	}
	return kindWords[f[0]]
}

// oursMarkers say that a label is the paper's own method.
var oursMarkers = []string{"ours", "our", "proposed", "this work", "this paper"}

// hasOurs reports whether a lower-case label says the row is the paper's own.
func hasOurs(lower string) bool {
	for _, w := range oursMarkers {
		if containsWord(lower, w) {
			return true
		}
	}
	return false
}

// bareMarker reports whether a label is nothing but an "ours" marker
// ("Ours", "(ours)", "Our method", "Proposed"), so that a more specific
// label of the same row should name the method.
func bareMarker(lower string) bool {
	s := strings.Trim(lower, " ()[]:.*,")
	switch s {
	case "ours", "our", "our method", "our methods", "our approach", "our model", "our models",
		"proposed", "proposed method", "proposed methods", "proposed approach", "this work", "this paper",
		"our work", "ours (this work)":
		return true
	}
	return false
}

// groupWords are labels that group rows ("Baselines", "Ours") rather than
// describe them; they are left out of Setting.
var groupWords = map[string]bool{
	"baseline": true, "baselines": true, "ours": true, "our method": true, "our methods": true,
	"proposed": true, "prior work": true, "previous work": true, "existing methods": true,
	"kernel": true, "kernels": true, "gnn": true, "gnns": true, "others": true, "other methods": true,
}

// isAblation reports whether a lower-case label names an ablated variant
// ("w/o gate", "without X", "- X", "no X", "TinyFormer w/o gate").
func isAblation(lower string) bool {
	s := strings.TrimSpace(strings.Trim(lower, "()[]*"))
	if strings.Contains(s, "w/o") || containsWord(s, "without") || containsWord(s, "ablated") || containsWord(s, "minus") {
		return true
	}
	for _, p := range []string{"no ", "- ", "-", "−", "–", "remove ", "removing ", "w/o"} {
		if strings.HasPrefix(s, p) {
			if p == "-" && len(s) > 1 && ('0' <= s[1] && s[1] <= '9' || s[1] == '.') {
				return false // a negative number
			}
			return true
		}
	}
	return false
}

// skipCaption words in a caption's first sentence mark a table that is
// not a results table: hyperparameters, settings, statistics, notation.
var skipCaption = []string{
	"hyperparameter", "hyper-parameter", "hyper parameter", "configuration", "statistics of",
	"dataset statistics", "data statistics", "notation", "summary of the data", "description of",
	"architecture details", "network architecture", "parameters for", "parameters used",
	"experimental setup", "experimental settings", "training settings", "training details",
	"implementation details", "features used", "grammar", "platforms", "benchmark programs",
	"license", "examples of", "example of", "prompt", "symbols", "glossary",
}

// skipHeaders in the header of a table's label column mark a settings table.
var skipHeaders = map[string]bool{
	"hyperparameter": true, "hyperparameters": true, "hyper-parameter": true, "hyper-parameters": true,
	"parameter": true, "parameters": true, "setting": true, "settings": true, "configuration": true,
	"symbol": true, "notation": true, "name": true, "value": true, "values": true, "feature": true,
	"features": true, "statistic": true, "statistics": true, "property": true, "properties": true,
}

// skipColumns are numeric columns that are not results: p-values, years,
// and the sizes of the data a row was trained on.
func skipColumn(lower string) bool {
	s := strings.Trim(lower, " $()")
	switch s {
	case "p", "p-value", "p-values", "p value", "year", "#", "id", "ref", "ref.", "rank", "std", "sd", "±", "± std", "stdev", "std.":
		return true
	}
	for _, w := range []string{"dataset size", "data size", "pool size", "samples seen", "# samples", "#samples", "compute", "macs", "year", "p-value"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// commonNames are words and acronyms that are never a paper's own method
// name, even when a sentence seems to introduce them.
var commonNames = map[string]bool{
	"rl": true, "ml": true, "ai": true, "dl": true, "nn": true, "nns": true, "dnn": true, "dnns": true,
	"cnn": true, "cnns": true, "rnn": true, "rnns": true, "gnn": true, "gnns": true, "lstm": true,
	"lstms": true, "gru": true, "mlp": true, "mlps": true, "gan": true, "gans": true, "vae": true,
	"vaes": true, "sgd": true, "mdp": true, "mdps": true, "pomdp": true, "gp": true, "gps": true,
	"mcmc": true, "kl": true, "pca": true, "gpu": true, "gpus": true, "cpu": true, "cpus": true,
	"tpu": true, "tpus": true, "nlp": true, "cv": true, "llm": true, "llms": true, "rlhf": true,
	"mse": true, "api": true, "sota": true, "iid": true, "ode": true, "odes": true, "sde": true,
	"sdes": true, "pde": true, "pdes": true, "mle": true, "map": true, "em": true, "elbo": true,
	"td": true, "ours": true, "appendix": true, "section": true, "table": true, "figure": true,
	"algorithm": true, "theorem": true, "lemma": true, "eq": true, "equation": true, "we": true,
	"our": true, "the": true, "this": true, "a": true, "an": true, "in": true, "it": true,
	"github": true, "python": true, "pytorch": true, "tensorflow": true, "jax": true, "latex": true,
	"arxiv": true, "url": true, "http": true, "https": true, "ii": true, "iii": true, "iv": true,
	"usa": true, "uk": true, "ieee": true, "acm": true, "nips": true, "neurips": true, "icml": true,
	"iclr": true, "cvpr": true, "aaai": true, "ijcai": true, "uai": true, "acl": true, "emnlp": true,
	"roc": true, "auc": true, "fid": true, "bleu": true, "rmse": true, "mae": true, "nll": true,
	"relu": true, "adam": true, "adamw": true, "rgb": true, "fc": true, "id": true, "ood": true,
	"alg": true, "fig": true, "sec": true, "tab": true, "app": true, "eqn": true, "thm": true, "def": true,
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
