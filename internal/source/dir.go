package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/reprohq/repro/internal/xerr"
)

// texMaxDepth is how deep the folder around a single .tex file is walked.
const texMaxDepth = 4

// openDir reads a folder source.
func openDir(dir string, opts Options) (*Bundle, error) {
	c := &collector{b: newBundle(dir, KindDir), opts: opts}
	if err := c.walk(dir, 0, ""); err != nil {
		return nil, err
	}
	if err := c.b.finish(opts, ""); err != nil {
		return nil, err
	}
	return c.b, nil
}

// openTeX reads a single .tex file as the main file, and the text files of
// its folder as the rest of the bundle. The folder may be anything (the
// user's downloads), so its walk is shallow and its limits stop the walk with
// a warning instead of failing; the main file itself is always read.
func openTeX(file string, opts Options) (*Bundle, error) {
	main := filepath.Base(file)
	fi, err := os.Stat(file)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: file, Msg: "cannot read source", Err: err, Hint: "check that the file exists and that you may read it"}
	}
	if fi.Size() > opts.MaxBytes {
		return nil, xerr.Input(file, fmt.Sprintf("file is larger than %s", humanBytes(opts.MaxBytes)), hintSource)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: file, Msg: "cannot read source", Err: err, Hint: "check that the file exists and that you may read it"}
	}
	c := &collector{b: newBundle(file, KindTeX), opts: opts, soft: true}
	c.b.Files[main] = data
	c.files, c.bytes = 1, int64(len(data))
	if err := c.walk(filepath.Dir(file), texMaxDepth, main); err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	if err := c.b.finish(opts, main); err != nil {
		return nil, err
	}
	return c.b, nil
}

// walk reads the folder dir breadth-first (so that, when a soft limit stops
// it, the files nearest the root are in). maxDepth > 0 limits the depth of
// folders entered; skip is a key already read.
func (c *collector) walk(dir string, maxDepth int, skip string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "cannot read folder", Err: err, Hint: "check that the folder exists and that you may read it"}
	}
	if real, err = filepath.Abs(real); err != nil {
		return &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "cannot read folder", Err: err, Hint: "check that the folder exists and that you may read it"}
	}
	type folder struct {
		rel   string
		depth int
	}
	queue := []folder{{".", 0}}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		ents, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(f.rel)))
		if err != nil {
			if f.rel == "." {
				return &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "cannot read folder", Err: err, Hint: "check that the folder exists and that you may read it"}
			}
			c.b.warn(f.rel, "cannot read folder: %v", err)
			continue
		}
		for _, e := range ents {
			key := path.Join(f.rel, e.Name())
			full := filepath.Join(dir, filepath.FromSlash(key))
			if key == skip || ignoredPath(key) {
				continue
			}
			typ := e.Type()
			if typ&fs.ModeSymlink != 0 {
				target, ok := c.followLink(real, key, full)
				if !ok {
					continue
				}
				full = target
				fi, err := os.Stat(target)
				if err != nil {
					continue
				}
				typ = fi.Mode().Type()
				if fi.IsDir() {
					// Its files are inside the folder anyway, under their
					// real path; entering it could loop.
					continue
				}
			}
			switch {
			case typ.IsDir():
				if strings.HasPrefix(e.Name(), ".") || e.Name() == "__MACOSX" || e.Name() == "node_modules" {
					continue
				}
				if maxDepth > 0 && f.depth+1 > maxDepth {
					continue
				}
				queue = append(queue, folder{key, f.depth + 1})
			case typ.IsRegular():
				var size int64
				if fi, err := os.Stat(full); err == nil {
					size = fi.Size()
				}
				err := c.file(key, size, func() (io.ReadCloser, error) { return os.Open(full) })
				if err != nil {
					var xe *xerr.Error
					if errors.Is(err, errStop) || errors.As(err, &xe) {
						return err
					}
					c.b.warn(key, "cannot read file: %v", err)
				}
			default:
				c.b.warn(key, "skipped: not a regular file")
			}
		}
	}
	return nil
}

// followLink resolves the symbolic link full (key in the bundle) and reports
// whether it stays inside the folder whose real path is real.
func (c *collector) followLink(real, key, full string) (string, bool) {
	target, err := filepath.EvalSymlinks(full)
	if err != nil {
		c.b.warn(key, "skipped broken symbolic link %s", key)
		return "", false
	}
	if target, err = filepath.Abs(target); err != nil {
		return "", false
	}
	rel, err := filepath.Rel(real, target)
	if err != nil || escapes(filepath.ToSlash(rel)) || filepath.IsAbs(rel) {
		c.b.warn(key, "skipped symbolic link %s: it points outside the source folder", key)
		return "", false
	}
	return target, true
}
