// Command repro turns research papers into a document model and, later,
// runnable reproduction projects. See "repro --help".
package main

import (
	"os"

	"github.com/reprohq/repro/internal/cli"
)

func main() { os.Exit(cli.Main()) }
