package bench

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SST-2", []string{"sst", "2"}},
		{"Top-1 Acc. (%)", []string{"top", "1", "acc"}},
		{"testAcc", []string{"test", "acc"}},
		{"EMScore", []string{"em", "score"}},
		{"mIoU", []string{"m", "io", "u"}},
		{"WMT14 En–De", []string{"wmt14", "en", "de"}},
		{"PPL ↓", []string{"ppl"}},
		{"ＳＳＴ－２", []string{"sst", "2"}},
		{"", nil},
		{"β-VAE", []string{"β", "vae"}},
	}
	for _, tt := range tests {
		if got := tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNamerNormalises(t *testing.T) {
	nm := newNamer(Aliases{
		Datasets: map[string][]string{"SST-2": {"stanford sentiment"}},
		Metrics:  map[string][]string{"accuracy": {"val_top1"}, "Macro F1": {"mf1"}},
	})
	same := []struct {
		kind string
		a, b string
	}{
		{"dataset", "SST-2", "sst2"},
		{"dataset", "SST–2", "sst 2"},
		{"dataset", "SST-2 (test set)", "sst2"},
		{"dataset", "CIFAR-10", "cifar_10"},
		{"dataset", "Stanford Sentiment", "SST-2"},
		{"dataset", "ImageNet-1k", "ILSVRC 2012"},
		{"dataset", "", ""},
		{"dataset", "COCO 256×256", "coco 256x256"},
		{"metric", "Acc.", "accuracy"},
		{"metric", "Top-1", "acc"},
		{"metric", "Test Acc. (%)", "accuracy"},
		{"metric", "val_top1", "accuracy"},
		{"metric", "PPL ↓", "perplexity"},
		{"metric", "F1 score", "f1"},
		{"metric", "F-score", "F1"},
		{"metric", "EM", "exact match"},
		{"metric", "mf1", "macro-F1"},
		{"metric", "FID", "Frechet Inception Distance"},
		{"metric", "Avg. return", "episode reward"},
		{"metric", "epoch_accuracy", "acc"},
	}
	for _, tt := range same {
		f := nm.metric
		if tt.kind == "dataset" {
			f = nm.dataset
		}
		if f(tt.a) != f(tt.b) {
			t.Errorf("%s %q (%s) and %q (%s) should match", tt.kind, tt.a, f(tt.a), tt.b, f(tt.b))
		}
	}
	differ := []struct {
		kind string
		a, b string
	}{
		{"dataset", "CIFAR-10", "CIFAR-100"},
		{"dataset", "MNLI-m", "MNLI-mm"},
		{"dataset", "cifar10/val", "cifar10"},
		{"metric", "Top-1", "Top-5"},
		{"metric", "ROUGE-1", "ROUGE-L"},
		{"metric", "val_acc", "acc"},
		{"metric", "BLEU", "ROUGE-L"},
		{"metric", "mAP", "AP"},
	}
	for _, tt := range differ {
		f := nm.metric
		if tt.kind == "dataset" {
			f = nm.dataset
		}
		if f(tt.a) == f(tt.b) {
			t.Errorf("%s %q and %q should not match (both %s)", tt.kind, tt.a, tt.b, f(tt.a))
		}
	}
}

func TestSettingKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Base / dev", "dev/base"},
		{"Base", "base"},
		{"12 layers, dev", "dev / 12-layers"},
		{"", " / "},
	}
	for _, tt := range tests {
		if settingKey(tt.a) != settingKey(tt.b) {
			t.Errorf("settings %q (%s) and %q (%s) should match", tt.a, settingKey(tt.a), tt.b, settingKey(tt.b))
		}
	}
	if settingKey("Base") == settingKey("Large") {
		t.Error("Base and Large match")
	}
}

func TestMetricKindAndDirection(t *testing.T) {
	tests := []struct {
		metric string
		kind   kind
		higher *bool
	}{
		{"Acc.", kindPercent, bp(true)},
		{"Top-1 Acc. (%)", kindPercent, bp(true)},
		{"F1", kindPercent, bp(true)},
		{"EM", kindPercent, bp(true)},
		{"mIoU", kindPercent, bp(true)},
		{"AP50", kindPercent, bp(true)},
		{"MCC", kindPercent, bp(true)},
		{"BLEU", kindBLEU, bp(true)},
		{"ROUGE-L", kindBLEU, bp(true)},
		{"PPL", kindPerplexity, bp(false)},
		{"Perplexity ↓", kindPerplexity, bp(false)},
		{"FID", kindFID, bp(false)},
		{"IS", kindFID, bp(true)},
		{"Inception Score", kindFID, bp(true)},
		{"Top-1 error", kindErrorRate, bp(false)},
		{"WER", kindErrorRate, bp(false)},
		{"test loss", kindLoss, bp(false)},
		{"MSE", kindLoss, bp(false)},
		{"Average return", kindReturn, bp(true)},
		{"Episode reward", kindReturn, bp(true)},
		{"Params (M)", kindOther, nil},
		{"bpd", kindOther, nil},
		{"", kindOther, nil},
	}
	for _, tt := range tests {
		if got := metricKind(tt.metric); got != tt.kind {
			t.Errorf("metricKind(%q) = %d, want %d", tt.metric, got, tt.kind)
		}
		got := direction(tt.metric)
		if (got == nil) != (tt.higher == nil) || got != nil && *got != *tt.higher {
			t.Errorf("direction(%q) = %v, want %v", tt.metric, ptrStr(got), ptrStr(tt.higher))
		}
	}
}

func ptrStr(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "higher"
	}
	return "lower"
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SST-2", "sst-2"},
		{"WMT14 En–De", "wmt14-en-de"},
		{"Acc. (%)", "acc"},
		{"  ", ""},
		{"β-VAE", "β-vae"},
		{"ＳＳＴ", "sst"},
	}
	for _, tt := range tests {
		if got := slug(tt.in); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
