package bench

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokens splits a name into lower-case words: runs of letters and digits,
// cut at everything else (spaces, punctuation, any dash, arrows, %) and at
// camelCase boundaries ("testAcc" → test, acc; "EMScore" → em, score).
// Full-width forms are folded to ASCII first, and × to x.
func tokens(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if r == '×' { // 256×256 is 256x256
			r = 'x'
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, unicode.ToLower(r))
	}
	flush()
	return out
}

// Filler words dropped from names before they are compared, unless nothing
// would be left: "Test Acc." is "acc", "F1 score" is "f1", "SST-2 (test
// set)" is "sst2".
var (
	metricFillers  = []string{"test", "eval", "evaluation", "final", "score", "epoch"}
	datasetFillers = []string{"test", "eval", "evaluation", "set", "split", "dataset", "data"}
)

// key is the comparison form of a name: its words without fillers, joined.
func key(s string, fillers []string) string {
	ts := tokens(s)
	kept := ts[:0:0]
	for _, t := range ts {
		if !slices.Contains(fillers, t) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		kept = ts
	}
	return strings.Join(kept, "")
}

// settingKey compares settings as sets of parts: "Base / dev" is "dev/base".
func settingKey(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ',' || r == ';' || r == '|' })
	var ks []string
	for _, p := range parts {
		if k := key(p, nil); k != "" {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	ks = slices.Compact(ks)
	return strings.Join(ks, "/")
}

// builtinMetrics are the spellings of common metrics, by canonical key.
// Keys are in key() form.
var builtinMetrics = map[string][]string{
	"accuracy":   {"acc", "top1", "top1acc", "top1accuracy", "acc1", "accuracy1"},
	"top5":       {"top5acc", "top5accuracy", "acc5", "accuracy5"},
	"perplexity": {"ppl", "pplx"},
	"f1":         {"f", "fscore", "fmeasure", "f1measure"},
	"exactmatch": {"em"},
	"bleu":       {"bleu4", "sacrebleu"},
	"rouge1":     {"r1"},
	"rouge2":     {"r2"},
	"rougel":     {"rl"},
	"fid":        {"frechetinceptiondistance"},
	"is":         {"inception", "inceptionscore"},
	"wer":        {"worderrorrate"},
	"cer":        {"charactererrorrate"},
	"error":      {"err", "errorrate", "top1error", "top1err", "err1"},
	"mse":        {"meansquarederror"},
	"rmse":       {"rootmeansquarederror"},
	"mae":        {"meanabsoluteerror"},
	"auc":        {"auroc", "rocauc", "aucroc"},
	"map":        {"meanaverageprecision"},
	"miou":       {"meaniou"},
	"return":     {"returns", "episodereturn", "episodicreturn", "averagereturn", "meanreturn", "avgreturn", "reward", "rewards", "episodereward", "meanreward", "averagereward", "avgreward", "cumulativereward"},
	"bpc":        {"bitspercharacter", "bitperchar", "bitsperchar"},
	"bpd":        {"bitsperdim", "bitsperdimension"},
	"nll":        {"negativeloglikelihood"},
	"precision":  {"prec"},
	"mcc":        {"matthewscorr", "matthewscorrelation", "matthews"},
	"pearson":    {"pearsonr", "pearsoncorrelation"},
	"spearman":   {"spearmanr", "spearmancorrelation"},
	"meteor":     {},
	"chrf":       {"chrf2", "chrfpp"},
	"recall":     {},
	"loss":       {},
	"kid":        {"kernelinceptiondistance"},
}

// builtinDatasets are the spellings of a few common data sets.
var builtinDatasets = map[string][]string{
	"imagenet":    {"imagenet1k", "ilsvrc2012", "ilsvrc", "in1k"},
	"wikitext103": {"wt103"},
	"ptb":         {"penntreebank"},
	"coco":        {"mscoco"},
	"wmt14ende":   {"wmt14en2de"},
}

var (
	builtinMetricIndex  = aliasIndex(builtinMetrics)
	builtinDatasetIndex = aliasIndex(builtinDatasets)
)

func aliasIndex(m map[string][]string) map[string]string {
	idx := map[string]string{}
	for canon, spellings := range m {
		idx[canon] = canon
		for _, s := range spellings {
			idx[s] = canon
		}
	}
	return idx
}

// namer turns dataset and metric names into comparison keys: normalised
// (key), then the file's aliases, then the built-in ones.
type namer struct {
	datasets, metrics map[string]string // spelling key -> canonical key
}

func newNamer(a Aliases) *namer {
	n := &namer{datasets: map[string]string{}, metrics: map[string]string{}}
	fill := func(dst map[string]string, src map[string][]string, fillers []string) {
		for _, canon := range sortedKeys(src) {
			ck := key(canon, fillers)
			for _, s := range src[canon] {
				dst[key(s, fillers)] = ck
			}
		}
	}
	fill(n.datasets, a.Datasets, datasetFillers)
	fill(n.metrics, a.Metrics, metricFillers)
	return n
}

func (n *namer) dataset(s string) string {
	k := key(s, datasetFillers)
	if c, ok := n.datasets[k]; ok {
		k = c
	}
	if c, ok := builtinDatasetIndex[k]; ok {
		k = c
	}
	return k
}

func (n *namer) metric(s string) string {
	k := key(s, metricFillers)
	if c, ok := n.metrics[k]; ok {
		k = c
	}
	return canonMetric(k)
}

func canonMetric(k string) string {
	if c, ok := builtinMetricIndex[k]; ok {
		return c
	}
	return k
}

// kind is a family of metrics that share a default tolerance.
type kind int

const (
	kindOther      kind = iota
	kindPercent         // accuracy-like: accuracy, F1, precision, EM, AUC, mAP, IoU, correlations
	kindBLEU            // BLEU, ROUGE, METEOR, chrF
	kindPerplexity      // perplexity
	kindFID             // FID, IS, KID
	kindErrorRate       // error, WER, CER
	kindLoss            // losses, MSE, MAE, NLL
	kindReturn          // RL returns and rewards
)

var canonKinds = map[string]kind{
	"accuracy": kindPercent, "top5": kindPercent, "f1": kindPercent, "exactmatch": kindPercent,
	"auc": kindPercent, "map": kindPercent, "miou": kindPercent, "precision": kindPercent,
	"recall": kindPercent, "mcc": kindPercent, "pearson": kindPercent, "spearman": kindPercent,
	"bleu": kindBLEU, "rouge1": kindBLEU, "rouge2": kindBLEU, "rougel": kindBLEU, "meteor": kindBLEU, "chrf": kindBLEU,
	"perplexity": kindPerplexity,
	"fid":        kindFID, "is": kindFID, "kid": kindFID,
	"error": kindErrorRate, "wer": kindErrorRate, "cer": kindErrorRate,
	"loss": kindLoss, "mse": kindLoss, "rmse": kindLoss, "mae": kindLoss, "nll": kindLoss,
	"return": kindReturn,
}

// metricKind classifies a metric by its name: the canonical key first, then
// its words.
func metricKind(metric string) kind {
	if k, ok := canonKinds[canonMetric(key(metric, metricFillers))]; ok {
		return k
	}
	ts := tokens(metric)
	has := func(words ...string) bool {
		for _, t := range ts {
			for _, w := range words {
				if t == w {
					return true
				}
			}
		}
		return false
	}
	prefix := func(ps ...string) bool {
		for _, t := range ts {
			for _, p := range ps {
				if strings.HasPrefix(t, p) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case prefix("perplex") || has("ppl"):
		return kindPerplexity
	case has("fid", "kid", "fvd") || prefix("inception"):
		return kindFID
	case prefix("bleu", "rouge", "meteor", "chrf", "sacrebleu"):
		return kindBLEU
	case prefix("error") || has("err", "wer", "cer"):
		return kindErrorRate
	case prefix("loss") || has("mse", "mae", "rmse", "nll"):
		return kindLoss
	case prefix("return", "reward"):
		return kindReturn
	case prefix("acc", "top", "f1", "precision", "recall", "iou", "miou", "auc", "auroc", "hits", "ndcg", "mrr", "exact", "dice", "pass", "success", "win") ||
		has("em", "ap", "map", "mcc", "pearson", "spearman") || digitsAfter(ts, "ap", "map", "hits", "r", "p"):
		return kindPercent
	}
	return kindOther
}

// digitsAfter reports whether a token is one of the prefixes followed by
// digits only: ap50, map75, hits10, r1 (recall@1), p5 (precision@5).
func digitsAfter(ts []string, prefixes ...string) bool {
	for _, t := range ts {
		for _, p := range prefixes {
			rest, ok := strings.CutPrefix(t, p)
			if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}

// direction returns the usual sense of a metric kind: true when higher is
// better, nil when unknown.
func direction(metric string) *bool {
	up, down := true, false
	switch metricKind(metric) {
	case kindPercent, kindBLEU, kindReturn:
		return &up
	case kindPerplexity, kindErrorRate, kindLoss:
		return &down
	case kindFID:
		if canonMetric(key(metric, metricFillers)) == "is" {
			return &up
		}
		return &down
	}
	return nil
}

// slug is a readable id part: lower-case words joined with dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
