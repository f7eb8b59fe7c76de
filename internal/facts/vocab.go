package facts

import (
	"sort"
	"strings"
)

// What a hyperparameter applies to.
const (
	toOptimizer = "optimizer"
	toTraining  = "training"
	toModel     = "model"
	toData      = "data"
	toMethod    = "method"
)

// nameDef is a normalised hyperparameter name with the phrases that name
// it in papers.
type nameDef struct {
	name      string
	appliesTo string
	text      bool // its value is a word (an optimizer, a schedule)
	integer   bool // its value is a count: fractions are not its values
	phrases   []string
}

// names is the vocabulary of hyperparameter names. Phrases are lower case;
// a hyphen and a space are the same ("warm-up" matches "warm up").
var names = []nameDef{
	{name: "learning_rate", appliesTo: toOptimizer, phrases: []string{
		"learning rate", "learning rates", "lr", "base learning rate", "peak learning rate",
		"initial learning rate", "maximum learning rate", "max learning rate", "base lr",
		"global learning rate", "generator learning rate", "discriminator learning rate",
		"initial lr", "peak lr", "max lr", "learning rate eta", "constant learning rate",
		"fixed learning rate", "starting learning rate",
	}},
	{name: "final_learning_rate", appliesTo: toOptimizer, phrases: []string{
		"final learning rate", "minimum learning rate", "min learning rate", "end learning rate",
		"minimal learning rate", "final lr", "min lr",
	}},
	{name: "lr_decay", appliesTo: toOptimizer, phrases: []string{
		"learning rate decay factor", "decay factor", "lr decay", "decay rate", "learning rate decay rate",
	}},
	{name: "batch_size", appliesTo: toTraining, integer: true, phrases: []string{
		"batch size", "batch sizes", "batchsize", "minibatch size", "minibatch sizes", "mini batch size",
		"training batch size", "global batch size", "minibatches of", "mini batches of", "batches of",
		"minibatch of", "mini batch of", "batch of", "batch size per gpu",
	}},
	{name: "weight_decay", appliesTo: toOptimizer, phrases: []string{
		"weight decay", "l2 regularization", "l2 regularisation", "l2 penalty", "l2 weight decay",
		"weight decay coefficient", "regularization parameter", "regularization term",
		"regularization coefficient", "regularization weight", "regularization strength",
		"weighted regularization parameter", "l2 regularization coefficient", "l2 coefficient",
		"l2 weight",
	}},
	{name: "dropout", appliesTo: toModel, phrases: []string{
		"dropout", "dropout rate", "dropout rates", "dropout probability", "dropout ratio", "drop rate",
		"dropout of", "attention dropout", "residual dropout", "dropout prob",
	}},
	{name: "momentum", appliesTo: toOptimizer, phrases: []string{
		"momentum", "momentum rate", "momentum coefficient", "momentum term", "nesterov momentum",
		"momentum parameter",
	}},
	{name: "beta1", appliesTo: toOptimizer, phrases: []string{"beta1", "adam beta1"}},
	{name: "beta2", appliesTo: toOptimizer, phrases: []string{"beta2", "adam beta2"}},
	{name: "epsilon", appliesTo: toOptimizer, phrases: []string{"adam epsilon", "epsilon"}},
	{name: "warmup_steps", appliesTo: toOptimizer, integer: true, phrases: []string{
		"warmup steps", "warm up steps", "warmup", "warm up", "linear warmup", "linear warm up",
		"warmup period", "warm up period", "warmup iterations", "warm up iterations",
		"learning rate warmup", "learning rate warm up", "warmup updates", "warmup epochs",
		"number of warmup steps", "lr warmup", "lr warm up",
	}},
	{name: "training_steps", appliesTo: toTraining, integer: true, phrases: []string{
		"training steps", "train steps", "total steps", "number of steps", "training iterations",
		"number of iterations", "total training steps", "number of training steps",
		"number of updates", "gradient steps", "optimization steps", "total iterations",
		"max steps", "maximum steps", "number of gradient steps", "training updates",
	}},
	{name: "steps_per_epoch", appliesTo: toTraining, integer: true, phrases: []string{
		"steps per epoch", "iterations per epoch", "updates per epoch",
	}},
	{name: "epochs", appliesTo: toTraining, integer: true, phrases: []string{
		"epochs", "training epochs", "number of epochs", "num epochs", "number of training epochs",
		"max epochs", "maximum epochs", "total epochs", "epoch",
	}},
	{name: "hidden_size", appliesTo: toModel, integer: true, phrases: []string{
		"hidden size", "hidden dimension", "hidden dim", "hidden dimensions", "hidden state size",
		"hidden layer size", "hidden layer sizes", "model dimension", "model size", "d model",
		"transformer hidden dimension", "hidden dimensionality", "hidden units", "hidden unit size",
		"hidden sizes", "width", "hidden state dimension", "dimension of the hidden state",
		"dimension of the hidden layers", "latent dimension", "latent size", "latent dim",
	}},
	{name: "ffn_size", appliesTo: toModel, integer: true, phrases: []string{
		"feed forward size", "feedforward size", "ffn size", "feed forward dimension",
		"feedforward dimension", "mlp dimension", "transformer mlp dimension", "intermediate size",
		"inner dimension", "ffn dimension", "mlp size", "ffn hidden size", "mlp hidden dimension",
		"feed forward hidden size", "mlp ratio",
	}},
	{name: "embedding_dim", appliesTo: toModel, integer: true, phrases: []string{
		"embedding dimension", "embedding size", "embedding dim", "word embedding size",
		"embedding dimensionality", "embeddings of size", "word embedding", "word embeddings",
		"embedding", "token embedding size", "word embedding dimension", "emb dim", "embedding dim",
	}},
	{name: "num_layers", appliesTo: toModel, integer: true, phrases: []string{
		"number of layers", "num layers", "depth", "number of transformer layers",
		"transformer layers", "number of hidden layers", "layers", "number of blocks",
	}},
	{name: "num_heads", appliesTo: toModel, integer: true, phrases: []string{
		"number of heads", "number of attention heads", "attention heads", "heads", "num heads",
	}},
	{name: "vocab_size", appliesTo: toData, integer: true, phrases: []string{
		"vocabulary size", "vocab size", "vocabulary of", "size of the vocabulary",
		"wordpiece vocabulary of", "bpe vocabulary of", "sentencepiece vocabulary of",
	}},
	{name: "codebook_size", appliesTo: toModel, integer: true, phrases: []string{"codebook size", "codebook of"}},
	{name: "max_seq_length", appliesTo: toData, integer: true, phrases: []string{
		"sequence length", "max length", "maximum length", "context length", "maximum sequence length",
		"max sequence length", "context size", "truncated to", "context window", "input length",
		"max seq length", "context length k", "context",
	}},
	{name: "image_size", appliesTo: toData, phrases: []string{
		"image size", "image resolution", "input resolution", "input size", "resolution",
	}},
	{name: "label_smoothing", appliesTo: toTraining, phrases: []string{"label smoothing"}},
	{name: "gradient_clip", appliesTo: toOptimizer, phrases: []string{
		"gradient clipping", "gradient norm clipping", "clip norm", "clipping norm", "max grad norm",
		"gradient clip", "gradient norm", "clipped to", "clipped at", "clip gradients",
		"maximum gradient norm", "gradient clipping threshold", "clip value", "clip the gradients",
		"gradients are clipped to", "clipping threshold", "global norm",
	}},
	{name: "temperature", appliesTo: toMethod, phrases: []string{"temperature", "softmax temperature", "sampling temperature"}},
	{name: "discount", appliesTo: toMethod, phrases: []string{"discount factor", "discount", "discount rate"}},
	{name: "entropy_coef", appliesTo: toMethod, phrases: []string{
		"entropy coefficient", "entropy bonus", "entropy regularization coefficient", "entropy weight",
	}},
	{name: "replay_buffer_size", appliesTo: toTraining, integer: true, phrases: []string{
		"replay buffer size", "buffer size", "replay memory size", "replay buffer of", "replay memory of",
		"experience replay buffer size",
	}},
	{name: "target_update", appliesTo: toTraining, phrases: []string{
		"target update frequency", "target network update frequency", "target update period",
		"target update interval", "target network update period",
	}},
	{name: "beam_size", appliesTo: toMethod, integer: true, phrases: []string{"beam size", "beam width"}},
	{name: "ema_decay", appliesTo: toTraining, phrases: []string{
		"moving average", "ema decay", "exponential moving average", "ema rate", "ema",
	}},
	{name: "kernel_size", appliesTo: toModel, integer: true, phrases: []string{"kernel size", "filter size", "kernel sizes"}},
	{name: "num_filters", appliesTo: toModel, integer: true, phrases: []string{"number of filters", "number of channels"}},
	{name: "num_seeds", appliesTo: toTraining, integer: true, phrases: []string{"number of seeds", "random seeds", "number of runs"}},
	{name: "num_parameters", appliesTo: toModel, phrases: []string{"number of parameters", "parameter count"}},
	{name: "step_size", appliesTo: toMethod, phrases: []string{"step size", "step sizes", "proposal step size"}},
	{name: "num_samples", appliesTo: toMethod, integer: true, phrases: []string{"number of samples", "samples per step"}},
	{name: "guidance_scale", appliesTo: toMethod, phrases: []string{"guidance scale", "classifier free guidance scale", "guidance weight"}},
	{name: "lr_multiplier", appliesTo: toOptimizer, phrases: []string{
		"learning rate scaling", "learning rate multiplier", "learning rate scale", "lr multiplier", "lr scale",
		"lr scaling",
	}},
	{name: "width_factor", appliesTo: toModel, integer: true, phrases: []string{"width factor", "widening factor", "widen factor", "width multiplier"}},
	{name: "top_k", appliesTo: toMethod, integer: true, phrases: []string{"top k"}},
	{name: "sampling_steps", appliesTo: toMethod, integer: true, phrases: []string{
		"sampling steps", "decoding steps", "denoising steps", "diffusion steps", "number of sampling steps",
		"inference steps",
	}},
	{name: "optimizer", appliesTo: toOptimizer, text: true, phrases: []string{"optimizer", "optimiser", "optimization algorithm"}},
	{name: "lr_schedule", appliesTo: toOptimizer, text: true, phrases: []string{
		"learning rate schedule", "lr schedule", "learning rate decay schedule", "schedule",
		"learning rate scheduler", "scheduler", "learning rate decay", "decay schedule",
	}},
	{name: "activation", appliesTo: toModel, text: true, phrases: []string{"activation", "activation function", "nonlinearity", "non linearity"}},
}

// countNouns name a hyperparameter from the noun that follows a count:
// "4 layers", "8 heads", "100 epochs".
var countNouns = map[string]string{
	"layer": "num_layers", "layers": "num_layers",
	"head": "num_heads", "heads": "num_heads",
	"epoch": "epochs", "epochs": "epochs",
	"step": "training_steps", "steps": "training_steps",
	"iteration": "training_steps", "iterations": "training_steps",
	"update": "training_steps", "updates": "training_steps",
	"timestep": "training_steps", "timesteps": "training_steps",
	"unit": "hidden_size", "units": "hidden_size", "neurons": "hidden_size",
	"filters": "num_filters", "channels": "num_filters",
	"seed": "num_seeds", "seeds": "num_seeds", "runs": "num_seeds", "trials": "num_seeds",
	"episode": "episodes", "episodes": "episodes",
	"frame": "training_frames", "frames": "training_frames",
	"parameter": "num_parameters", "parameters": "num_parameters", "params": "num_parameters",
	"block": "num_layers", "blocks": "num_layers",
}

// countModifiers may stand between a count and its noun ("4 attention
// heads", "256 hidden units").
var countModifiers = map[string]bool{
	"hidden": true, "attention": true, "transformer": true, "residual": true, "convolutional": true,
	"conv": true, "fully": true, "connected": true, "training": true, "gradient": true, "random": true,
	"encoder": true, "decoder": true, "self": true, "independent": true, "recurrent": true,
	"lstm": true, "dense": true, "linear": true, "environment": true, "additional": true,
	"identical": true, "stacked": true, "different": false, "total": true, "optimization": true,
	"warmup": true, "warm": true, "up": true, "warm-up": true, "evaluation": true, "test": true, "bernoulli": true,
	"relu": true, "intermediate": true, "mlp": true, "gru": true, "more": false, "time": true,
	"environment-": false, "decoding": true, "sampling": true, "denoising": true, "diffusion": true,
	"inference": true, "residual-": false, "multi": true, "axis": true, "feed-forward": true,
}

// samplingModifiers turn steps into sampling steps: "24 decoding steps".
var samplingModifiers = map[string]bool{
	"decoding": true, "sampling": true, "denoising": true, "diffusion": true, "inference": true,
}

// phraseIndex maps the first word of every phrase to the phrases starting
// with it, longest first.
var phraseIndex = func() map[string][]phraseRef {
	m := map[string][]phraseRef{}
	for i := range names {
		for _, p := range names[i].phrases {
			w := strings.Fields(strings.ReplaceAll(p, "-", " "))
			m[w[0]] = append(m[w[0]], phraseRef{words: w, def: &names[i]})
		}
	}
	for k := range m {
		sort.SliceStable(m[k], func(a, b int) bool { return len(m[k][a].words) > len(m[k][b].words) })
	}
	return m
}()

type phraseRef struct {
	words []string
	def   *nameDef
}

// defByName returns the vocabulary entry of a normalised name.
func defByName(name string) *nameDef {
	for i := range names {
		if names[i].name == name {
			return &names[i]
		}
	}
	return nil
}

// strongSymbols mean the same in every paper that writes them: Adam's
// \beta_1 and \beta_2, a schedule's \eta_{\max}.
var strongSymbols = map[string]string{
	`\beta_1`: "beta1", `\beta_2`: "beta2", `\eta_{\max}`: "learning_rate", `\eta_{\min}`: "final_learning_rate",
	`\epsilon_{\mathrm{adam}}`: "epsilon",
}

// symbolNames name the symbols that usually mean one setting: the strong
// ones, and \epsilon and \eta, which a proof may also use otherwise.
var symbolNames = map[string]string{
	`\beta_1`: "beta1", `\beta_2`: "beta2", `\epsilon`: "epsilon", `\varepsilon`: "epsilon",
	`\epsilon_{\mathrm{adam}}`: "epsilon", `\eta_{\max}`: "learning_rate", `\eta_{\min}`: "final_learning_rate",
	`\eta`: "learning_rate", `\eta_0`: "learning_rate",
}

// optimizers are the optimizer names recognised in prose and tables, with
// their canonical spelling.
var optimizers = map[string]string{
	"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSProp", "adagrad": "Adagrad",
	"adadelta": "Adadelta", "adafactor": "Adafactor", "lamb": "LAMB", "lars": "LARS",
	"adamax": "Adamax", "nadam": "NAdam", "radam": "RAdam", "lion": "Lion", "shampoo": "Shampoo",
	"l-bfgs": "L-BFGS", "lbfgs": "L-BFGS", "k-fac": "K-FAC", "sgdm": "SGD", "amsgrad": "AMSGrad",
	"adabelief": "AdaBelief", "sophia": "Sophia", "yogi": "Yogi", "novograd": "NovoGrad",
}

// schedules are the learning-rate schedule kinds.
var schedules = map[string]string{
	"cosine": "cosine", "linear": "linear", "exponential": "exponential", "step": "step",
	"polynomial": "polynomial", "constant": "constant", "cyclic": "cyclic", "cyclical": "cyclic",
	"one-cycle": "one-cycle", "onecycle": "one-cycle", "inverse": "inverse square root",
	"multistep": "step", "piecewise": "piecewise", "plateau": "plateau", "sgdr": "cosine",
	"triangular": "cyclic", "noam": "inverse square root", "rsqrt": "inverse square root",
}

// activations are activation functions, for "activation" values.
var activations = map[string]string{
	"relu": "ReLU", "gelu": "GELU", "tanh": "tanh", "sigmoid": "sigmoid", "elu": "ELU",
	"selu": "SELU", "swish": "Swish", "silu": "SiLU", "leaky": "LeakyReLU", "softplus": "softplus",
	"swiglu": "SwiGLU", "geglu": "GEGLU", "mish": "Mish", "leakyrelu": "LeakyReLU",
}
