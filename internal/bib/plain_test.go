package bib

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParsePlain(t *testing.T) {
	tests := []struct {
		in      string
		label   string
		authors []string
		title   string
		year    string
		venue   string
		arxiv   string
		doi     string
		url     string
	}{
		{
			in:      "Vaswani, A., Shazeer, N., Parmar, N., et al. Attention is all you need. In NeurIPS, pp. 5998–6008, 2017.",
			authors: []string{"A. Vaswani", "N. Shazeer", "N. Parmar"},
			title:   "Attention is all you need", year: "2017", venue: "NeurIPS",
		},
		{
			in:      "[12] A. Krizhevsky, I. Sutskever, and G. E. Hinton. ImageNet classification with deep convolutional neural networks. NIPS 2012.",
			label:   "12",
			authors: []string{"A. Krizhevsky", "I. Sutskever", "G. E. Hinton"},
			title:   "ImageNet classification with deep convolutional neural networks", year: "2012", venue: "NIPS",
		},
		{
			in:      "Kingma D P, Ba J (2015) Adam: a method for stochastic optimization. arXiv preprint arXiv:1412.6980",
			authors: []string{"Kingma D P", "Ba J"},
			title:   "Adam: a method for stochastic optimization", year: "2015", venue: "arXiv", arxiv: "1412.6980",
		},
		{
			in:      "Lee, K. and Park, S. Graph pooling revisited. In KDD, 2019. doi:10.1145/3292500.3330701",
			authors: []string{"K. Lee", "S. Park"},
			title:   "Graph pooling revisited", year: "2019", venue: "KDD", doi: "10.1145/3292500.3330701",
		},
		{
			in:      "Quill, M. Sparse routers for tiny models. Journal of Imaginary Results, 12(3):45–67, 2021. https://doi.org/10.5555/jir.2021.0042",
			authors: []string{"M. Quill"},
			title:   "Sparse routers for tiny models", year: "2021", venue: "Journal of Imaginary Results",
			doi: "10.5555/jir.2021.0042", url: "https://doi.org/10.5555/jir.2021.0042",
		},
		{
			in:      "Nobody, A., Somebody, B. Proximal things. CoRR, abs/1707.06347, 2017.",
			authors: []string{"A. Nobody", "B. Somebody"},
			title:   "Proximal things", year: "2017", venue: "CoRR", arxiv: "1707.06347",
		},
		{
			in:      "Rowe, T. Policy gradients again. arXiv 1707.06347, 2017.",
			authors: []string{"T. Rowe"},
			title:   "Policy gradients again", year: "2017", venue: "arXiv", arxiv: "1707.06347",
		},
		{
			in:      "12. Tanaka, H., Ito, Y.: Contrastive pretraining for tabular data. In: Proceedings of ICML, pp. 100–110 (2022)",
			label:   "12",
			authors: []string{"H. Tanaka", "Y. Ito"},
			title:   "Contrastive pretraining for tabular data", year: "2022", venue: "ICML",
		},
		{
			in:      "[3] J. Doe and R. Roe, “Learning to rank with noisy labels,” in Proc. CVPR, 2018, pp. 1–9.",
			label:   "3",
			authors: []string{"J. Doe", "R. Roe"},
			title:   "Learning to rank with noisy labels", year: "2018", venue: "Proc. CVPR",
		},
		{
			in:      "[Smith et al., 2020] Smith, J., Jones, K., and Brown, L. (2020). Scaling laws for toy models. Transactions on Made-Up Learning, 4:1–20.",
			label:   "Smith et al., 2020",
			authors: []string{"J. Smith", "K. Jones", "L. Brown"},
			title:   "Scaling laws for toy models", year: "2020", venue: "Transactions on Made-Up Learning",
		},
		{
			in:      "Alice Example, Bob Sample, and Carol Test. 2019. Efficient widgets for sequence labelling. In Proceedings of the Conference on Widgets. 1097–1105.",
			authors: []string{"Alice Example", "Bob Sample", "Carol Test"},
			title:   "Efficient widgets for sequence labelling", year: "2019", venue: "Conference on Widgets",
		},
		{
			in:      "Garcia, M. Is depth all you need? In ICLR, 2023.",
			authors: []string{"M. Garcia"},
			title:   "Is depth all you need?", year: "2023", venue: "ICLR",
		},
		{
			in:      "Hopper, G. M. and van der Berg, J. Tiny language models, 2024. URL https://example.org/tiny.",
			authors: []string{"G. M. Hopper", "J. van der Berg"},
			title:   "Tiny language models", year: "2024", url: "https://example.org/tiny",
		},
		{
			in:      "Zhou, L. Diffusion for cats. arXiv:2301.01234v2, 2023.",
			authors: []string{"L. Zhou"},
			title:   "Diffusion for cats", year: "2023", venue: "arXiv", arxiv: "2301.01234",
		},
		{
			in:      "Ng, P. Sparse attention. https://arxiv.org/abs/2104.00001",
			authors: []string{"P. Ng"},
			title:   "Sparse attention", venue: "arXiv", arxiv: "2104.00001", url: "https://arxiv.org/abs/2104.00001",
		},
		{
			in:      "[7] Vance R, Oduya T. Federated averaging under drift. Med Learn J. 2020;5(2):12-19. doi: 10.1000/mlj.2020.5",
			label:   "7",
			authors: []string{"Vance R", "Oduya T"},
			title:   "Federated averaging under drift", year: "2020", venue: "Med Learn J", doi: "10.1000/mlj.2020.5",
		},
		{
			in:      "Kim, S. & Park, J. (2018a). Curriculum tricks. Machine Learning Letters, 3, 1–10.",
			authors: []string{"S. Kim", "J. Park"},
			title:   "Curriculum tricks", year: "2018", venue: "Machine Learning Letters",
		},
		{
			in:      "Ada Lovelace and Charles Babbage. Notes on the analytical engine. Scientific Memoirs, 1843.",
			authors: []string{"Ada Lovelace", "Charles Babbage"},
			title:   "Notes on the analytical engine", venue: "Scientific Memoirs",
		},
		{
			in:      "Brown, T., et al. (2020). Language models are few-shot learners. In NeurIPS.",
			authors: []string{"T. Brown"},
			title:   "Language models are few-shot learners", year: "2020", venue: "NeurIPS",
		},
		{
			in:      "[4] Wu, Y., Chen, Q.: Semi-supervised segmentation. Pattern Recognit. 99, 107–118 (2020)",
			label:   "4",
			authors: []string{"Y. Wu", "Q. Chen"},
			title:   "Semi-supervised segmentation", year: "2020", venue: "Pattern Recognit",
		},
		{
			in:      "OpenThing Team. A technical report on open things. 2024.",
			authors: []string{"OpenThing Team"},
			title:   "A technical report on open things", year: "2024",
		},
		{
			in:      "(5) Patel, R. Robust PCA, revisited. SIAM J. Imaginary Anal., 2011.",
			label:   "5",
			authors: []string{"R. Patel"},
			title:   "Robust PCA, revisited", year: "2011", venue: "SIAM J. Imaginary Anal",
		},
		{
			in:      "Müller, J., Øster, K. Gradient noise e.g. in small batches. In ECML, 2016.",
			authors: []string{"J. Müller", "K. Øster"},
			title:   "Gradient noise e.g. in small batches", year: "2016", venue: "ECML",
		},
		{
			in:      "Jane Q. Public. Bayesian widgets. PhD thesis, Nowhere University, 2015.",
			authors: []string{"Jane Q. Public"},
			title:   "Bayesian widgets", year: "2015", venue: "PhD thesis, Nowhere University",
		},
		{
			in:      "[21] M. Jordan, \"Serial order: a parallel approach,\" Tech. Rep. 8604, Institute for Made-Up Science, 1986.",
			label:   "21",
			authors: []string{"M. Jordan"},
			title:   "Serial order: a parallel approach", year: "1986", venue: "Tech. Rep. 8604, Institute for Made-Up Science",
		},
		{
			in:    "Deep learning for everyone. Blog post, 2021.",
			title: "Deep learning for everyone", year: "2021", venue: "Blog post",
		},
		{in: "", authors: []string{}},
	}
	for _, tt := range tests {
		label, r := ParsePlainLabel(tt.in)
		if tt.authors == nil {
			tt.authors = []string{}
		}
		got := []string{label, r.Title, r.Year, r.Venue, r.ArxivID, r.DOI, r.URL}
		want := []string{tt.label, tt.title, tt.year, tt.venue, tt.arxiv, tt.doi, tt.url}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(r.Authors, tt.authors) {
			t.Errorf("ParsePlainLabel(%q):\n got %q %q\nwant %q %q", tt.in, got, r.Authors, want, tt.authors)
		}
		if r.Source != "text" || r.CitedIn == nil {
			t.Errorf("ParsePlainLabel(%q): Source %q, CitedIn %v", tt.in, r.Source, r.CitedIn)
		}
	}
}

func FuzzParsePlain(f *testing.F) {
	for _, s := range []string{
		"Vaswani, A., Shazeer, N. Attention is all you need. In NeurIPS, 2017.",
		"[1] A. B. C. D. E. F. “Quoted,” in X (2020).",
		"Kingma D P, Ba J (2015) Adam. arXiv preprint arXiv:1412.6980",
		"Doe, J.: Title: sub. In: Venue (2019) doi:10.1/x",
		"12. ....... ((((2020)))) “",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		label, r := ParsePlainLabel(s)
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
		if r.Authors == nil || r.CitedIn == nil {
			t.Error("nil slices")
		}
		_ = label
	})
}

func TestParsePlainLong(t *testing.T) {
	s := strings.Repeat("A. B. ", 200000) + strings.Repeat("x.y ", 100000)
	start := time.Now()
	ParsePlain(s)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func BenchmarkParsePlain(b *testing.B) {
	refs := []string{
		"Vaswani, A., Shazeer, N., Parmar, N., et al. Attention is all you need. In NeurIPS, pp. 5998–6008, 2017.",
		"[12] A. Krizhevsky, I. Sutskever, and G. E. Hinton. ImageNet classification with deep convolutional neural networks. NIPS 2012.",
		"Kingma D P, Ba J (2015) Adam: a method for stochastic optimization. arXiv preprint arXiv:1412.6980",
		"[3] J. Doe and R. Roe, “Learning to rank with noisy labels,” in Proc. CVPR, 2018, pp. 1–9.",
	}
	n := 0
	for _, r := range refs {
		n += len(r)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, r := range refs {
			ParsePlain(r)
		}
	}
}
