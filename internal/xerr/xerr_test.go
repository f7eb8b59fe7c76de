package xerr

import (
	"errors"
	"fmt"
	"testing"

	// No golden files here; the import registers -update so that
	// "go test ./... -update" works in every package.
	_ "github.com/reprohq/repro/internal/golden"
)

func TestError(t *testing.T) {
	cause := errors.New("unexpected EOF")
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Msg: "bad"}, "bad"},
		{&Error{File: "a.tex", Msg: "bad"}, "a.tex: bad"},
		{&Error{File: "a.tex", Line: 3, Msg: "bad"}, "a.tex:3: bad"},
		{&Error{File: "a.tar.gz", Msg: "corrupt archive", Err: cause}, "a.tar.gz: corrupt archive: unexpected EOF"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestKindAndHint(t *testing.T) {
	in := Input("main.tex", "no main file", "pass the main file")
	wrapped := fmt.Errorf("extract: %w", in)
	if KindOf(wrapped) != KindInput || HintOf(wrapped) != "pass the main file" {
		t.Errorf("KindOf/HintOf through a wrap: %v %q", KindOf(wrapped), HintOf(wrapped))
	}
	if KindOf(errors.New("bug")) != KindInternal || HintOf(errors.New("bug")) != "" {
		t.Error("a plain error must be internal with no hint")
	}
	if e := Inputf("x", "n=%d", 3); e.Msg != "n=3" || e.Kind != KindInput {
		t.Errorf("Inputf: %+v", e)
	}
	if !errors.Is(&Error{Err: errUnwrap}, errUnwrap) {
		t.Error("Unwrap does not reach the cause")
	}
}

var errUnwrap = errors.New("cause")
