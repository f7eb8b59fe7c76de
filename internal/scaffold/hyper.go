package scaffold

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
)

// kv is one line of a YAML mapping, with the comment above it.
type kv struct {
	Key, Value, Comment string
	table               bool // from a table
}

// configSection is one mapping of configs/paper.yaml.
type configSection struct {
	Name  string
	Items []kv
}

// paperConfig is what configs/paper.yaml sets: the paper's
// hyperparameters, in the sections the training loop reads (model, data,
// train, optimizer, schedule), and the others under "paper".
type paperConfig struct {
	Sections []configSection
	Count    int // hyperparameters used
	More     int // values left out of "paper"
}

// maxExtra caps the values listed under "paper".
const maxExtra = 40

// hyperKeys maps the normalised names of hyperparameters to the
// configuration key that the training loop reads.
var hyperKeys = map[string]string{}

// intKeys are configuration keys that hold integers.
var intKeys = map[string]bool{
	"model.hidden_dim": true, "model.num_layers": true, "model.num_heads": true, "model.seq_len": true,
	"model.num_classes": true, "model.ffn_dim": true, "model.vocab_size": true,
	"train.batch_size": true, "train.max_steps": true, "train.epochs": true, "schedule.warmup_steps": true,
}

func init() {
	for key, names := range map[string]string{
		"model.hidden_dim":       "hidden_size hidden_dim d_model model_dim embedding_dim embedding_size hidden_units width",
		"model.num_layers":       "num_layers layers n_layers depth num_blocks",
		"model.num_heads":        "num_heads heads attention_heads n_heads",
		"model.dropout":          "dropout dropout_rate dropout_probability",
		"model.seq_len":          "seq_len sequence_length max_length max_seq_len max_seq_length context_length max_sequence_length",
		"model.ffn_dim":          "ffn_size ffn_dim d_ff feed_forward_size intermediate_size",
		"model.vocab_size":       "vocab_size vocabulary_size",
		"model.num_classes":      "num_classes classes",
		"train.batch_size":       "batch_size",
		"train.max_steps":        "training_steps train_steps max_steps num_steps steps iterations updates",
		"train.epochs":           "epochs num_epochs training_epochs",
		"train.grad_clip":        "grad_clip gradient_clipping max_grad_norm clip_norm gradient_clip",
		"optimizer.name":         "optimizer",
		"optimizer.lr":           "learning_rate lr peak_learning_rate initial_learning_rate",
		"optimizer.weight_decay": "weight_decay",
		"optimizer.momentum":     "momentum",
		"optimizer.eps":          "epsilon adam_epsilon eps adam_eps",
		"optimizer.beta1":        "beta1 beta_1 adam_beta1",
		"optimizer.beta2":        "beta2 beta_2 adam_beta2",
		"schedule.name":          "lr_schedule learning_rate_schedule schedule scheduler",
		"schedule.warmup_steps":  "warmup_steps warmup warm_up_steps",
		"schedule.min_lr_ratio":  "min_lr_ratio",
		"schedule.min_lr":        "final_learning_rate min_learning_rate min_lr final_lr",
	} {
		for _, n := range strings.Fields(names) {
			hyperKeys[n] = key
		}
	}
}

// paperHyperparameters maps the paper's hyperparameters onto the
// configuration. When the paper gives a value twice, a table of
// hyperparameters wins over the text, else the first; the others are
// kept under "paper".
func paperHyperparameters(hs []doc.Hyperparameter) paperConfig {
	hs = slices.Clone(hs)
	slices.SortStableFunc(hs, func(a, b doc.Hyperparameter) int {
		return cmp.Compare(boolInt(a.Source.Table == ""), boolInt(b.Source.Table == ""))
	})
	order := []string{"model", "data", "train", "optimizer", "schedule", "paper"}
	items := map[string][]kv{}
	set := map[string]bool{}
	var beta [2]*kv
	var pc paperConfig
	extra := map[string]bool{}
	for _, h := range hs {
		name := strings.ToLower(strings.TrimSpace(h.Name))
		comment := provenance(h)
		key, ok := hyperKeys[name]
		value, first, note := yamlHyper(h)
		numeric := first != nil
		if note != "" {
			comment += "\n" + note
		}
		switch {
		case !ok || set[key]:
		case key == "optimizer.name":
			if v := optimizerName(h); v != "" {
				value = v
			} else {
				ok = false
			}
		case key == "schedule.name":
			if v := scheduleName(h); v != "" {
				value = v
			} else {
				ok = false
			}
		case !numeric:
			ok = false
		case intKeys[key]:
			if *first != math.Trunc(*first) || *first < 0 {
				ok = false
			}
		}
		if ok && !set[key] {
			set[key] = true
			pc.Count++
			if key == "optimizer.beta1" || key == "optimizer.beta2" {
				i := 0
				if key == "optimizer.beta2" {
					i = 1
				}
				beta[i] = &kv{Value: value, Comment: comment}
				continue
			}
			sec, k, _ := strings.Cut(key, ".")
			items[sec] = append(items[sec], kv{Key: k, Value: value, Comment: comment})
			continue
		}
		// Not used by the training loop (or a second value): kept for
		// reference under "paper".
		k := firstNonEmpty(identifier(name), "value")
		base := k
		for n := 2; extra[k]; n++ {
			k = base + "_" + itoa(n)
		}
		extra[k] = true
		if value == "" {
			value = yamlString(h.Raw)
		}
		items["paper"] = append(items["paper"], kv{Key: k, Value: value, Comment: comment, table: h.Source.Table != ""})
	}
	// Under "paper", the values from the text first: tables of results
	// pass for tables of hyperparameters too often.
	slices.SortStableFunc(items["paper"], func(a, b kv) int { return cmp.Compare(boolInt(a.table), boolInt(b.table)) })
	// The final learning rate as the schedule's ratio.
	for i, it := range items["schedule"] {
		if it.Key != "min_lr" {
			continue
		}
		items["schedule"] = slices.Delete(items["schedule"], i, i+1)
		lr := lookup(items["optimizer"], "lr")
		minLR, err1 := strconv.ParseFloat(it.Value, 64)
		peak, err2 := strconv.ParseFloat(lr, 64)
		if err1 == nil && err2 == nil && peak > 0 {
			ratio, _ := strconv.ParseFloat(strconv.FormatFloat(minLR/peak, 'g', 6, 64), 64)
			it.Key, it.Value = "min_lr_ratio", yamlNumber(ratio)
			it.Comment += "\nthe final learning rate " + yamlNumber(minLR) + " over the peak " + lr
			items["schedule"] = append(items["schedule"], it)
		} else {
			it.Key = "final_learning_rate"
			items["paper"] = append(items["paper"], it)
		}
		break
	}
	if beta[0] != nil || beta[1] != nil {
		b := [2]string{"0.9", "0.999"}
		var comments []string
		for i := range beta {
			if beta[i] != nil {
				b[i] = beta[i].Value
				comments = append(comments, beta[i].Comment)
			}
		}
		items["optimizer"] = append(items["optimizer"], kv{Key: "betas", Value: "[" + b[0] + ", " + b[1] + "]", Comment: strings.Join(comments, "\n")})
	}
	if n := len(items["paper"]); n > maxExtra {
		items["paper"] = items["paper"][:maxExtra]
		pc.More = n - maxExtra
	}
	for _, s := range order {
		if len(items[s]) > 0 {
			pc.Sections = append(pc.Sections, configSection{Name: s, Items: items[s]})
		}
	}
	return pc
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func lookup(items []kv, key string) string {
	for _, it := range items {
		if it.Key == key {
			return it.Value
		}
	}
	return ""
}

// provenance is the comment naming where a hyperparameter was found.
func provenance(h doc.Hyperparameter) string {
	s := where(h.Source)
	if q := oneLine(h.Source.Quote, 160); q != "" {
		s += ": " + strings.ReplaceAll(q, "\n", " ")
	}
	if raw := oneLine(h.Raw, 60); raw != "" {
		s += " (as written: " + raw + ")"
	}
	return s
}

// yamlHyper formats the value of a hyperparameter as YAML: numbers as
// numbers, the first of several values (with a note listing them),
// anything else as a string. first is the number used, nil for text.
func yamlHyper(h doc.Hyperparameter) (value string, first *float64, note string) {
	switch v := h.Value.(type) {
	case float64:
		return yamlNumber(v), &v, ""
	case int:
		f := float64(v)
		return yamlNumber(f), &f, ""
	case []float64:
		if len(v) == 0 {
			break
		}
		var all []string
		for _, f := range v {
			all = append(all, yamlNumber(f))
		}
		what := "several values"
		if h.Kind == "range" {
			what = "a range"
		}
		return all[0], &v[0], "the paper gives " + what + ": " + strings.Join(all, ", ") + "; TODO: choose"
	case []any:
		var fs []float64
		for _, x := range v {
			if f, ok := x.(float64); ok {
				fs = append(fs, f)
			}
		}
		if len(fs) > 0 {
			return yamlHyper(doc.Hyperparameter{Value: fs, Kind: h.Kind})
		}
	case string:
		return yamlString(v), nil, ""
	}
	return yamlString(h.Raw), nil, ""
}

// yamlNumber formats f so that YAML 1.1 (PyYAML) reads it as a number:
// integers without a point, other numbers with a point and, in exponent
// form, a signed exponent ("3.0e-04").
func yamlNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if exp[0] != '-' && exp[0] != '+' {
		exp = "+" + exp
	}
	return mant + "e" + exp
}

// yamlString is s as a double-quoted YAML string.
func yamlString(s string) string { return pyStr(oneLine(s, 200)) }

// optimizerName is the training loop's name of the paper's optimizer.
func optimizerName(h doc.Hyperparameter) string {
	s, _ := h.Value.(string)
	s = strings.ToLower(firstNonEmpty(s, h.Raw))
	switch {
	case strings.Contains(s, "adamw"):
		return "adamw"
	case strings.Contains(s, "adam"):
		return "adam"
	case strings.Contains(s, "sgd"), strings.Contains(s, "gradient descent"), strings.Contains(s, "momentum"):
		return "sgd"
	}
	return ""
}

// scheduleName is the training loop's name of the paper's schedule.
func scheduleName(h doc.Hyperparameter) string {
	s, _ := h.Value.(string)
	s = strings.ToLower(firstNonEmpty(s, h.Raw))
	for _, n := range []string{"cosine", "constant", "linear"} {
		if strings.Contains(s, n) {
			return n
		}
	}
	return ""
}

// testShapes are the shapes of the generated tests: the paper's hidden
// size and sequence length when it gives them (kept small), else small
// defaults.
func testShapes(hs []doc.Hyperparameter) shapes {
	s := shapes{Batch: 2, Seq: 8, Dim: 16}
	var src []string
	for _, h := range hs {
		f, ok := h.Value.(float64)
		if !ok || f != math.Trunc(f) || f < 1 {
			continue
		}
		switch hyperKeys[strings.ToLower(h.Name)] {
		case "model.hidden_dim":
			if s.Dim == 16 && f <= 1024 {
				s.Dim = int(f)
				src = append(src, fmt.Sprintf("DIM = %s from %s", yamlNumber(f), where(h.Source)))
			}
		case "model.seq_len":
			if s.Seq == 8 {
				s.Seq = min(int(f), 16)
				src = append(src, fmt.Sprintf("SEQ = min(%s, 16) from %s", yamlNumber(f), where(h.Source)))
			}
		}
	}
	if len(src) == 0 {
		s.Source = "small defaults: no model sizes were extracted from the paper"
	} else {
		s.Source = "the paper's sizes: " + strings.Join(src, "; ") + "; BATCH kept small"
	}
	return s
}
