package facts

// datasetLines are well-known data sets, benchmarks and environments:
// "Canonical|alias|...", '!' marking an alias that must match with its
// case because it is also an English word.
var datasetLines = []string{
	// Images.
	"MNIST", "Fashion-MNIST|FashionMNIST|Fashion MNIST", "EMNIST", "KMNIST", "QMNIST",
	"binarized MNIST|Binarized MNIST|dynamically binarized MNIST", "CIFAR-10|CIFAR10|CIFAR 10",
	"CIFAR-100|CIFAR100|CIFAR 100", "CIFAR-10-C|CIFAR10-C", "CIFAR-100-C", "CINIC-10",
	"SVHN|Street View House Numbers", "STL-10|STL10", "ImageNet|ILSVRC|ILSVRC-2012|ILSVRC2012|ImageNet-1k|ImageNet-1K|ImageNet1k",
	"ImageNet-21k|ImageNet-22k|ImageNet-21K|ImageNet-22K", "ImageNet-C", "ImageNet-A", "ImageNet-R",
	"ImageNet-V2|ImageNetV2", "ImageNet-Sketch", "Tiny ImageNet|Tiny-ImageNet|TinyImageNet",
	"Downsampled ImageNet|ImageNet 32x32|ImageNet32|ImageNet64", "Omniglot|OMNIGLOT", "miniImageNet|mini-ImageNet",
	"tieredImageNet", "CUB-200-2011|!CUB|CUB-200|Caltech-UCSD Birds", "Caltech-101|Caltech101",
	"Caltech-256|Caltech256", "Oxford Flowers|Flowers-102|Oxford-102 Flowers|Oxford 102 Flowers",
	"Oxford-IIIT Pets|Oxford Pets|Oxford-IIIT Pet", "Stanford Cars", "FGVC Aircraft|FGVC-Aircraft",
	"Food-101|Food101", "DTD|Describable Textures Dataset", "EuroSAT", "PatchCamelyon|PCam",
	"SUN397|SUN-397", "Places365|Places-365|Places205", "LSUN", "LSUN Bedroom|LSUN bedrooms",
	"LSUN Church|LSUN churches", "CelebA|CelebFaces", "CelebA-HQ|CelebAHQ", "FFHQ|Flickr-Faces-HQ",
	"AFHQ", "MS-COCO|COCO|MS COCO|MSCOCO|Microsoft COCO", "PASCAL VOC|Pascal VOC|VOC2007|VOC2012|VOC 2007|VOC 2012",
	"Cityscapes", "ADE20K|ADE20k|ADE-20K", "KITTI", "NYU Depth|NYUv2|NYU-Depth V2", "ShapeNet",
	"ModelNet40|ModelNet", "ScanNet", "!Visual Genome", "!Open Images|OpenImages", "LAION-400M",
	"LAION-5B", "LAION|!LAION-2B", "CC3M|Conceptual Captions|CC-3M", "CC12M|CC-12M", "YFCC100M|YFCC",
	"DataComp", "JFT-300M|JFT", "Flickr30k|Flickr30K", "Flickr8k", "VQA|VQAv2|VQA v2",
	"GQA", "CLEVR", "dSprites", "3D Shapes|3DShapes", "!Kinetics|Kinetics-400|Kinetics-600|Kinetics-700",
	"UCF101|UCF-101", "HMDB51|HMDB-51", "Something-Something|Something-Something v2",
	"ObjectNet", "!WILDS", "Waterbirds", "Colored MNIST|ColoredMNIST", "Rotated MNIST",
	"!PACS", "Office-31|Office31", "Office-Home|OfficeHome", "VisDA", "DomainNet", "MPII",
	"Human3.6M", "!DAVIS", "SA-1B", "LVIS", "Objects365", "!Middlebury", "Sintel|MPI Sintel",
	"FlyingChairs", "BSDS500|BSD500", "Set5", "Set14", "DIV2K", "Urban100", "Tiny Images|80 Million Tiny Images",
	// Text.
	"SST-2|SST2|!SST|Stanford Sentiment Treebank", "SST-5", "IMDb|!IMDB|IMDb reviews|IMDb movie reviews",
	"AG News|AG's News|AGNews|AG-News", "Yelp|Yelp reviews|Yelp-2|Yelp-5|Yelp Review Polarity",
	"Amazon reviews|Amazon Reviews|Amazon-2|Amazon-5", "DBpedia|DBPedia", "Yahoo Answers|Yahoo! Answers",
	"20 Newsgroups|20Newsgroups|20NG|20 newsgroups", "!Reuters|Reuters-21578|RCV1", "!TREC|TREC-6",
	"!GLUE", "SuperGLUE", "!CoLA", "!MRPC", "!QQP", "MNLI|MultiNLI|Multi-NLI", "QNLI", "!RTE",
	"!WNLI", "STS-B|STSB", "SNLI", "ANLI", "XNLI", "SciTail", "SQuAD|SQuAD 1.1|SQuAD v1.1|SQuAD1.1",
	"SQuAD 2.0|SQuAD v2.0|SQuAD2.0", "!Natural Questions|NaturalQuestions", "TriviaQA", "HotpotQA",
	"MS MARCO|MSMARCO|MS-MARCO", "!RACE", "CoQA", "QuAC", "!DROP", "BoolQ", "HellaSwag", "PIQA",
	"WinoGrande", "Winograd Schema Challenge|WSC", "!ARC|AI2 Reasoning Challenge", "OpenBookQA",
	"CommonsenseQA", "LAMBADA", "MMLU", "BIG-bench|BIG-Bench|BigBench", "GSM8K|GSM8k", "!MATH",
	"HumanEval", "MBPP", "TruthfulQA", "WikiText-103|WikiText103|Wikitext-103", "WikiText-2|WikiText2|Wikitext-2",
	"Penn Treebank|PTB|Penn TreeBank", "enwik8", "text8", "One Billion Word|1B Word|LM1B|Billion Word",
	"BookCorpus|Toronto BookCorpus", "!Wikipedia|English Wikipedia", "C4|Colossal Clean Crawled Corpus",
	"The Pile", "Common Crawl|CommonCrawl", "OpenWebText", "WebText", "RedPajama", "RefinedWeb",
	"CoNLL-2003|CoNLL 2003|CoNLL03", "CoNLL-2012|OntoNotes|OntoNotes 5.0", "WMT14|WMT'14|WMT 2014|WMT-14",
	"WMT16|WMT'16|WMT 2016", "WMT17", "WMT19", "WMT14 En-De|WMT'14 En-De|WMT 2014 English-German",
	"WMT14 En-Fr|WMT 2014 English-French", "IWSLT|IWSLT14|IWSLT'14|IWSLT 2014|IWSLT15|IWSLT17",
	"TED talks|!TED|!TED Talks", "!Europarl", "Multi30k|Multi30K", "!OPUS", "FLORES|FLORES-101|FLORES-200",
	"CNN/Daily Mail|CNN/DailyMail|CNN-DailyMail|CNN/DM", "XSum", "!Gigaword", "arXiv summarization",
	"!PubMed", "Yelp Polarity", "MovieLens|MovieLens-1M|MovieLens-100K|ML-1M|ML-20M", "Netflix Prize",
	"Amazon Product Data", "!Last.fm", "!Criteo", "!Avazu", "LibriSpeech|Librispeech", "LibriLight|Libri-Light",
	"TIMIT", "!Switchboard", "WSJ|Wall Street Journal corpus", "!Common Voice|CommonVoice",
	"VoxCeleb|VoxCeleb1|VoxCeleb2", "AudioSet", "ESC-50", "!Speech Commands", "LJSpeech|LJ Speech",
	"VCTK", "MAESTRO", "NSynth", "UrbanSound8K",
	// Graphs, tabular, science.
	"!Cora", "CiteSeer|Citeseer", "PubMed Diabetes", "OGB|Open Graph Benchmark", "ogbn-arxiv",
	"ogbn-products", "ogbn-proteins", "ogbg-molhiv", "ogbg-molpcba", "QM9", "!ZINC", "MUTAG",
	"!PROTEINS", "NCI1", "!ENZYMES", "D&D|!DD", "IMDB-BINARY|IMDB-B", "IMDB-MULTI|IMDB-M",
	"REDDIT-BINARY|REDDIT-B", "REDDIT-MULTI-5K", "!COLLAB", "PTC_MR|!PTC", "TUDataset|TU datasets",
	"!Reddit", "!PPI", "!Flickr", "Yelp graph", "Amazon Computers", "Amazon Photo", "Coauthor CS",
	"Coauthor Physics", "METR-LA", "PEMS-BAY|PeMS-Bay", "PeMS|PEMS", "UCI|UCI datasets|UCI repository",
	"UCI Adult|Adult Census", "Covertype|CoverType|Forest Cover Type", "!HIGGS",
	"Boston Housing|Boston housing", "California Housing", "Wine Quality", "!Iris", "Breast Cancer Wisconsin",
	"MIMIC-III|!MIMIC", "eICU", "UK Biobank", "Protein Data Bank|PDB", "CATH", "ChEMBL", "MoleculeNet",
	"OC20", "Materials Project", "ERA5", "WeatherBench", "!M4", "!Electricity|!ECL", "ETTh1|ETTh2|ETTm1|ETTm2|ETT",
	"!Traffic", "!Exchange-Rate|!Exchange Rate", "!ILI",
	// Program and compiler benchmarks.
	"CodeSearchNet", "POJ-104", "SPEC CPU|SPEC CPU2006|SPEC2006", "Rodinia", "Parboil", "PolyBench",
	"NAS Parallel Benchmarks|NPB", "SHOC", "AMD SDK|AMD APP SDK", "NVIDIA SDK|NVIDIA CUDA SDK",
	// Reinforcement learning.
	"!ALE|Arcade Learning Environment|Atari 2600|Atari|Atari games|Atari-57|Atari 100k|Atari100k",
	"MuJoCo|Mujoco|MUJOCO", "D4RL", "DeepMind Control Suite|DM Control|!DMC|dm_control|DeepMind Control",
	"Procgen|ProcGen", "Meta-World|MetaWorld", "MineRL", "NetHack|!NLE", "StarCraft II|!SC2|!SMAC",
	"!CARLA", "!Habitat", "VizDoom|ViZDoom", "DMLab|DeepMind Lab", "Minigrid|MiniGrid|gym-minigrid",
	"BabyAI", "CoinRun", "!Sokoban", "CartPole|Cart-Pole|cartpole|CartPole-v0|CartPole-v1",
	"LunarLander|!Lunar Lander|LunarLander-v2", "MountainCar|!Mountain Car|MountainCar-v0",
	"!Acrobot|Acrobot-v1", "!Pendulum|Pendulum-v0", "RoboSuite|robosuite", "RLBench", "!Crafter",
	"highway-env|highway env",
}

// mujocoLines are MuJoCo and D4RL tasks, read only when the paper speaks of
// MuJoCo, Gym or D4RL.
var mujocoLines = []string{
	"HalfCheetah|halfcheetah|Half-Cheetah|Half Cheetah|HalfCheetah-v2|HalfCheetah-v3", "!Hopper|!hopper|Hopper-v2|Hopper-v3",
	"Walker2d|Walker2D|walker2d|Walker 2D|Walker-2D|Walker2d-v2|Walker2d-v3|!Walker", "!Ant|Ant-v2|Ant-v3",
	"!Humanoid|Humanoid-v2|Humanoid-v3", "!Swimmer|Swimmer-v2", "!Reacher|Reacher-v2",
	"InvertedPendulum|Inverted Pendulum", "InvertedDoublePendulum|Inverted Double Pendulum",
	"AntMaze|antmaze", "!Adroit", "Franka Kitchen|FrankaKitchen",
}

// atariLines are Atari 2600 games, read only when the paper speaks of
// Atari or the ALE.
var atariLines = []string{
	"Alien", "Amidar", "Assault", "Asterix", "Asteroids", "Atlantis", "Bank Heist|BankHeist",
	"Battle Zone|BattleZone", "Beam Rider|BeamRider", "Berzerk", "Bowling", "Boxing", "Breakout",
	"Centipede", "Chopper Command|ChopperCommand", "Crazy Climber|CrazyClimber", "Defender",
	"Demon Attack|DemonAttack", "Double Dunk|DoubleDunk", "Enduro", "Fishing Derby|FishingDerby",
	"Freeway", "Frostbite", "Gopher", "Gravitar", "H.E.R.O.|Hero|!HERO|HERO", "Ice Hockey|IceHockey",
	"James Bond|Jamesbond|JamesBond", "Kangaroo", "Krull", "Kung-Fu Master|KungFuMaster|Kung Fu Master",
	"Montezuma's Revenge|MontezumaRevenge|Montezuma’s Revenge|Montezuma", "Ms. Pac-Man|MsPacman|Ms Pac-Man|Ms. Pacman|MsPacMan",
	"Name This Game|NameThisGame", "Phoenix", "Pitfall|Pitfall!", "Pong", "Private Eye|PrivateEye",
	"Q*bert|Qbert|Q*Bert", "River Raid|Riverraid|RiverRaid", "Road Runner|RoadRunner", "Robotank",
	"Seaquest", "Skiing", "Solaris", "Space Invaders|SpaceInvaders", "Star Gunner|StarGunner",
	"Surround", "Tennis", "Time Pilot|TimePilot", "Tutankham", "Up'n Down|UpNDown|Up and Down",
	"Venture", "Video Pinball|VideoPinball", "Wizard of Wor|WizardOfWor", "Yars' Revenge|YarsRevenge",
	"Zaxxon",
}

var datasetMatcher = func() *nameMatcher {
	m := newMatcher(datasetLines, nil)
	for _, set := range []struct {
		lines []string
		gate  []string
	}{{mujocoLines, []string{"mujoco", "gym", "d4rl"}}, {atariLines, []string{"atari", "ale", "arcade"}}} {
		sub := newMatcher(set.lines, set.gate)
		m.entries = append(m.entries, sub.entries...)
	}
	// Atari and MuJoCo games match only with their case: "Pong" and
	// "Tennis" are games, "tennis" is not.
	for i := range m.entries {
		if m.entries[i].gate != nil {
			for j := range m.entries[i].exact {
				m.entries[i].exact[j] = true
			}
		}
	}
	m.index()
	return m
}()

// datasetNouns follow a data set's name: "the TED dataset".
var datasetNouns = map[string]bool{
	"dataset": true, "datasets": true, "corpus": true, "corpora": true, "benchmark": true,
	"benchmarks": true, "data-set": true, "database": true,
}

// datasetLead may come before a data set's name in "the X dataset".
var datasetLead = map[string]bool{
	"the": true, "a": true, "an": true, "our": true, "on": true, "of": true, "from": true, "in": true,
	"using": true, "use": true, "with": true, "and": true, "large": true, "public": true, "popular": true,
}

// notNames are capitalised words that do not name a data set on their own.
var notNames = map[string]bool{
	"the": true, "this": true, "our": true, "each": true, "both": true, "all": true, "training": true,
	"test": true, "validation": true, "full": true, "same": true, "new": true, "real": true,
	"synthetic": true, "toy": true, "standard": true, "benchmark": true, "large": true, "small": true,
	"original": true, "public": true, "medium": true, "expert": true, "random": true, "a": true,
	"an": true, "these": true, "that": true, "those": true, "its": true, "their": true, "we": true,
	"in": true, "on": true, "for": true, "of": true, "from": true, "with": true, "any": true,
	"such": true, "other": true, "entire": true, "whole": true, "clean": true, "noisy": true,
	"target": true, "source": true, "offline": true, "online": true, "text": true, "image": true,
	"dev": true, "development": true, "held-out": true, "reduced": true, "given": true, "resulting": true,
	"proposed": true, "following": true, "above": true, "first": true, "second": true, "third": true,
	"final": true, "larger": true, "smaller": true, "big": true, "multilingual": true, "different": true,
	"several": true, "many": true, "some": true, "various": true, "two": true, "three": true, "four": true,
	"additional": true, "existing": true, "common": true, "popular": true, "well-known": true,
	"challenging": true, "classic": true, "classical": true, "simple": true, "simulated": true,
	"mixed": true, "combined": true, "labeled": true, "unlabeled": true, "pre-training": true,
	"pretraining": true, "fine-tuning": true, "finetuning": true, "evaluation": true, "downstream": true,
	"internal": true, "private": true, "curated": true, "filtered": true, "raw": true,
	"rl": true, "ml": true, "nlp": true, "nmt": true, "mt": true, "qa": true, "lm": true, "llm": true,
	"cv": true, "ai": true, "gpu": true, "cpu": true, "tpu": true, "asr": true, "tts": true, "vae": true,
	"gan": true, "cnn": true, "rnn": true, "ood": true, "iid": true, "i.i.d": true, "sota": true,
	"image-text": true, "text-image": true, "our.": true, "my": true, "his": true, "her": true,
}

// patternDataset finds "the X dataset", "X data set", "X corpus", "X
// benchmark": X is one to three capitalised or numbered words.
func patternDataset(toks []token) []match {
	var out []match
	for i, t := range toks {
		isNoun := t.kind == kWord && datasetNouns[t.low]
		if t.kind == kWord && t.low == "data" && i+1 < len(toks) && isWord(toks[i+1], "set") {
			isNoun = true
		}
		if !isNoun || i == 0 {
			continue
		}
		from := i
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			w := toks[k]
			if w.kind != kWord && w.kind != kNum {
				break
			}
			if notNames[w.low] || !hasUpperOrDigit(w.text) {
				break
			}
			from = k
		}
		if from == i || !hasLetter(toks[from:i]) {
			continue
		}
		// "on the TED dataset", "of the Imagen dataset": a determiner or a
		// preposition comes first ("LDM benchmark" alone is not a data set).
		if from == 0 || !(toks[from-1].kind == kWord && datasetLead[toks[from-1].low]) {
			continue
		}
		// A sentence's first word is capitalised anyway.
		if from == 0 && i-from == 1 && !hasInnerUpperOrDigit(toks[0].text) {
			continue
		}
		out = append(out, match{entry: -1, from: from, to: i})
	}
	return out
}

func hasUpperOrDigit(s string) bool {
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

func hasInnerUpperOrDigit(s string) bool {
	for i, r := range s {
		if i > 0 && (r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return true
		}
	}
	return false
}

func hasLetter(toks []token) bool {
	for _, t := range toks {
		if t.kind == kWord {
			return true
		}
	}
	return false
}
