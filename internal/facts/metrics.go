package facts

// metricDef is an evaluation metric: its aliases (as for data sets),
// whether higher is better (nil when it depends), and whether the name is
// too common a word to count without a reporting verb nearby.
type metricDef struct {
	line      string
	hib       *bool
	context   bool
	tableOnly bool
}

var (
	higher = ptr(true)
	lower  = ptr(false)
)

var metricDefs = []metricDef{
	{"accuracy|accuracies|acc|classification accuracy|test accuracy|validation accuracy|top-1 accuracy|top1 accuracy|top-1 acc|dev. acc|dev acc", higher, false, false},
	{"top-5 accuracy|top5 accuracy|top-5 acc", higher, false, false},
	{"top-1 error|top1 error|top-1 error rate", lower, false, false},
	{"top-5 error|top5 error|top-5 error rate", lower, false, false},
	{"error rate|error rates|test error|classification error|misclassification rate|test error rate|validation error", lower, false, false},
	{"F1|F1 score|F1-score|F-score|F1 scores|F-measure|F_1|f1", higher, false, false},
	{"macro-F1|macro F1|Macro-F1|macro-averaged F1|macro F1 score|macro-F1 score|F1-macro", higher, false, false},
	{"micro-F1|micro F1|Micro-F1|micro-averaged F1", higher, false, false},
	{"precision", higher, true, false},
	{"recall", higher, true, false},
	{"!BLEU|BLEU score|BLEU scores|sacreBLEU|SacreBLEU", higher, false, false},
	{"!ROUGE|!ROUGE-1|!ROUGE-2|!ROUGE-L|!ROUGE-Lsum|ROUGE score", higher, false, false},
	{"!METEOR", higher, false, false},
	{"!CIDEr|CIDEr-D", higher, false, false},
	{"!SPICE", higher, false, false},
	{"!chrF|chrF++", higher, false, false},
	{"perplexity|perplexities|!PPL|test perplexity|validation perplexity", lower, false, false},
	{"!FID|Fréchet Inception Distance|Frechet Inception Distance|!FID-30K|FID score|FID scores|!FID-50K|!FID-10K", lower, false, false},
	{"Inception score|Inception Score|IS score", higher, false, false},
	{"CLIP score|CLIP-score|CLIPScore|CLIP scores", higher, false, false},
	{"!KID|Kernel Inception Distance", lower, false, false},
	{"AUC|AUROC|ROC-AUC|ROC AUC|area under the ROC curve|area under the curve|AUC-ROC", higher, false, false},
	{"AUPRC|PR-AUC|area under the precision-recall curve|AUC-PR", higher, false, false},
	{"average precision|!AP", higher, false, false},
	{"!mAP|mean average precision|!MAP", higher, false, false},
	{"!IoU|intersection over union", higher, false, false},
	{"!mIoU|mean IoU|mean intersection over union", higher, false, false},
	{"MSE|mean squared error|mean square error|mean-squared error", lower, false, false},
	{"RMSE|root mean squared error|root mean square error|root-mean-square error", lower, false, false},
	{"MAE|mean absolute error", lower, false, false},
	{"MAPE|mean absolute percentage error", lower, false, false},
	{"log-likelihood|log likelihood|test log-likelihood|log-likelihoods|marginal likelihood|held-out log-likelihood", higher, false, false},
	{"!ELBO|evidence lower bound|variational lower bound|variational lower-bound", higher, false, false},
	{"NLL|negative log-likelihood|negative log likelihood|test NLL", lower, false, false},
	{"bits per dim|bits/dim|bits per dimension|bpd|!BPD|bits-per-dim", lower, false, false},
	{"bits per character|bits/char|!BPC|bpc|bits-per-character", lower, false, false},
	{"!WER|word error rate|word error rates", lower, false, false},
	{"!CER|character error rate", lower, false, false},
	{"=return|returns|average return|mean return|episode return|episodic return|cumulative return|undiscounted return|average returns|mean returns|episode returns|expected return", higher, true, false},
	{"normalized score|normalized return|human-normalized score|human normalized score|normalized mean return|D4RL score|normalized scores|expert-normalized score", higher, false, false},
	{"cumulative reward|average reward|mean reward|total reward|episode reward|episodic reward", higher, true, false},
	{"game score|average score|mean score|game scores", higher, true, false},
	{"regret|cumulative regret|average regret|simple regret", lower, true, false},
	{"success rate|success rates|success ratio", higher, false, false},
	{"exact match|!EM|exact-match", higher, false, false},
	{"Spearman correlation|Spearman's rank correlation|Spearman's correlation|Spearman rank correlation|Spearman's rho", higher, false, false},
	{"Pearson correlation|Pearson's correlation|Pearson correlation coefficient", higher, false, false},
	{"Matthews correlation|Matthews correlation coefficient|!MCC", higher, false, false},
	{"!MRR|mean reciprocal rank", higher, false, false},
	{"!NDCG|nDCG", higher, false, false},
	{"Hits@1|Hits@10|Hits@k|hits@10", higher, false, false},
	{"KL divergence|Kullback-Leibler divergence|KL-divergence", lower, false, false},
	{"effective sample size|!ESS", higher, false, false},
	{"speedup|speed-up", higher, true, false},
	{"inference time|wall-clock time|wall clock time|sampling time|per-batch inference time", lower, false, true},
	{"episodes to solve|episodes until solve|timesteps to solve|timesteps until solve|episodes to solve the task", lower, false, false},
	{"gradient variance|variance of the gradient|variance of the gradients|gradient estimator variance|log-variance of the gradient", lower, false, false},
	{"calibration error|expected calibration error|!ECE", lower, false, false},
	{"negative ELBO", lower, false, false},
	{"test loss|validation loss|held-out loss", lower, false, false},
	{"R^2|coefficient of determination", higher, false, false},
	{"win rate|win-rate", higher, false, false},
	{"pass@1|pass@k|pass@10", higher, false, false},
	{"area under the learning curve", higher, false, false},
}

var metricMatcher = func() *nameMatcher {
	lines := make([]string, len(metricDefs))
	for i, d := range metricDefs {
		lines[i] = d.line
	}
	m := newMatcher(lines, nil)
	for i := range m.entries {
		m.entries[i].hib = metricDefs[i].hib
		m.entries[i].context = metricDefs[i].context
		m.entries[i].tableOnly = metricDefs[i].tableOnly
	}
	return m
}()

// reportWords make a common word a metric: "we report precision", "in
// terms of return", "achieves a higher score".
var reportWords = map[string]bool{
	"report": true, "reports": true, "reported": true, "evaluate": true, "evaluated": true,
	"evaluation": true, "measure": true, "measured": true, "measures": true, "metric": true,
	"metrics": true, "achieve": true, "achieves": true, "achieved": true, "obtain": true,
	"obtains": true, "obtained": true, "higher": true, "lower": true, "better": true, "worse": true,
	"improve": true, "improves": true, "improved": true, "outperform": true, "outperforms": true,
	"compare": true, "compared": true, "terms": true, "average": true, "averaged": true, "mean": true,
	"median": true, "best": true, "performance": true, "normalized": true, "results": true,
}
