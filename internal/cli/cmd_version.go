package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
)

// versionLine is what both "repro version" and "repro --version" print.
func versionLine() string {
	return "repro version " + repro.Version + "\n"
}

func newCmdVersion(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print repro's version",
		Long: `Print repro's version, the same line as "repro --version".

The version is set at build time with
  go build -ldflags "-X github.com/reprohq/repro.Version=v1.2.3" ./cmd/repro`,
		Example: "  repro version\n  repro --version",
		Args:    exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(f.IO.Out, versionLine())
			return err
		},
	}
}
