// Package adapters_test guards what the adapters are: layout. Every
// sentence a user reads is written once, in bot or in the knowledge base,
// so the adapters' own string literals must be ids, keys and formats, or
// words meant for an operator (log lines and errors).
package adapters_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// wording is two words of letters in a row: the start of a sentence.
var wording = regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z]{2,}`)

// operator are the calls whose string arguments are for whoever runs
// signpost or programs against it: log lines, errors (the desk's API
// errors among them, through fail), the counted log lines of a tally, and
// the name send gives a call in its logs.
var operator = map[string]bool{"Debug": true, "Info": true, "Warn": true, "Error": true,
	"Errorf": true, "New": true, "send": true, "fail": true}

func TestAdaptersHoldNoWording(t *testing.T) {
	t.Parallel()
	var checked int
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		for _, l := range userStrings(f) {
			t.Errorf("%s: %s reads as words for users; write it in bot and lay it out here", fset.Position(l.Pos()), l.Value)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("checked %d files; the adapters have more", checked)
	}
}

// userStrings are a file's string literals that read as words, outside
// operator calls.
func userStrings(f *ast.File) []*ast.BasicLit {
	skip := map[*ast.BasicLit]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		name := ""
		switch fn := c.Fun.(type) {
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		case *ast.Ident:
			name = fn.Name
		}
		if operator[name] {
			for _, a := range c.Args {
				ast.Inspect(a, func(n ast.Node) bool {
					if l, ok := n.(*ast.BasicLit); ok {
						skip[l] = true
					}
					return true
				})
			}
		}
		return true
	})
	var out []*ast.BasicLit
	ast.Inspect(f, func(n ast.Node) bool {
		if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.STRING && !skip[l] && wording.MatchString(l.Value) {
			out = append(out, l)
		}
		return true
	})
	return out
}
