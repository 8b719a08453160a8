package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
)

// reasonCalls are the calls whose format argument becomes the reason of a
// field error, with the position of that argument: habeas.FieldErrorf and
// the helpers that wrap it (the domain's validator, the API's invalid and
// query checks, the store's fieldError).
var reasonCalls = map[string]int{"FieldErrorf": 1, "add": 1, "bad": 1, "badField": 3, "invalid": 2, "fieldError": 1}

// reasonDirs are the packages whose field errors reach the pages, relative
// to this one; "add" counts only in the domain (the validator's method).
var reasonDirs = []string{"..", "../api", "../casework", "../internal/sqlstore", "."}

// reasonFormat is one format string that makes reasons, and where.
type reasonFormat struct {
	format string
	pos    string // file:line
}

// reasonFormats finds every format string used as the reason of a field
// error in reasonDirs. A wrapper passes its own parameter on ("format"),
// which is not a reason; any other argument that is not a literal is
// reported, since its translation could not be checked.
func reasonFormats(t *testing.T) []reasonFormat {
	t.Helper()
	var out []reasonFormat
	fset := token.NewFileSet()
	for _, dir := range reasonDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var fn string
				switch x := call.Fun.(type) {
				case *ast.Ident:
					fn = x.Name
				case *ast.SelectorExpr:
					fn = x.Sel.Name
				}
				i, ok := reasonCalls[fn]
				if !ok || len(call.Args) <= i || fn == "add" && dir != ".." {
					return true
				}
				pos := fset.Position(call.Pos())
				where := fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)
				switch arg := call.Args[i].(type) {
				case *ast.BasicLit:
					if arg.Kind == token.STRING {
						s, err := strconv.Unquote(arg.Value)
						if err != nil {
							t.Fatalf("%s: %v", where, err)
						}
						out = append(out, reasonFormat{s, where})
					}
				case *ast.Ident:
					if arg.Name != "format" && fn != "add" {
						t.Errorf("%s: %s is given the reason %s, not a literal format, so its translation cannot be checked", where, fn, arg.Name)
					}
				default:
					if fn != "add" {
						t.Errorf("%s: %s is given a reason that is not a literal format, so its translation cannot be checked", where, fn)
					}
				}
				return true
			})
		}
	}
	return out
}

var (
	formatVerb  = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`) // as habeas.ReasonCode counts them
	placeholder = regexp.MustCompile(`\{\{\s*\.A(\d+)\s*\}\}`)
)

// Every reason a field error can give exists as a message "reason.<code>"
// in every language, using no argument beyond those of its format; the
// English message is the format itself, so English reasons read as they
// always did; and no translation is left over from a format that is gone.
// A format that is only a verb ("%s", "%v") passes on a reason made
// elsewhere (a JSON decoder's, the IIN check's) and is shown as it came.
func TestReasonsTranslated(t *testing.T) {
	formats := reasonFormats(t)
	if len(formats) < 50 {
		t.Fatalf("found only %d reason formats; is the search right?", len(formats))
	}
	msgs := messageFiles(t)["reasons"]
	used := map[string]bool{}
	checked := map[string]bool{} // formats, each checked once wherever it is used
	var missing []string
	for _, f := range formats {
		code := habeas.ReasonCode(f.format)
		id := "reason." + code
		verbs := formatVerb.FindAllString(f.format, -1)
		if code == "x" {
			t.Logf("%s: the reason %q is made elsewhere and shown as it came, in English", f.pos, f.format)
			continue
		}
		if checked[f.format] {
			continue
		}
		used[id], checked[f.format] = true, true
		for _, lang := range Languages {
			forms, ok := msgs[lang][id]
			if !ok {
				missing = append(missing, fmt.Sprintf("%s: %q needs %q in reasons.%s.json", f.pos, f.format, id, lang))
				continue
			}
			for _, text := range forms {
				for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
					if n, _ := strconv.Atoi(m[1]); n < 1 || n > len(verbs) {
						t.Errorf("reasons.%s.json: %s uses {{.A%s}}, but its format %q (%s) has %d arguments", lang, id, m[1], f.format, f.pos, len(verbs))
					}
				}
			}
		}
		if en, ok := msgs["en"][id]; ok {
			i := 0
			want := formatVerb.ReplaceAllStringFunc(f.format, func(string) string { i++; return fmt.Sprintf("{{.A%d}}", i) })
			if en["other"] != want {
				t.Errorf("reasons.en.json: %s is %q; want the format of %s as it is, %q", id, en["other"], f.pos, want)
			}
		}
	}
	slices.Sort(missing)
	for _, m := range slices.Compact(missing) {
		t.Error(m)
	}
	for id := range msgs["en"] {
		if !used[id] {
			t.Errorf("reasons.en.json: %s is the translation of no reason in the code; remove it from every language", id)
		}
	}
}

// A reason is shown in the reader's language with its arguments, and a
// reason without a translation as it came.
func TestReasonInLanguage(t *testing.T) {
	s := &Server{}
	var err error
	if s.i18n, err = loadCatalog(); err != nil {
		t.Fatal(err)
	}
	fe := habeas.FieldErrorf("city", "%q is not a known city", "atlantis")
	for _, tt := range []struct {
		lang string
		fe   habeas.FieldError
		want string
	}{
		{"en", fe, `"atlantis" is not a known city`},
		{"ru", fe, `"atlantis" — неизвестный город`},
		{"kk", fe, `"atlantis" — белгісіз қала`},
		{"ru", habeas.FieldErrorf("note", "is longer than %d characters", 2000), "длиннее 2000 символов"},
		{"ru", habeas.FieldErrorf("data", "%s", "json: cannot unmarshal"), "json: cannot unmarshal"},
		{"ru", habeas.FieldError{Field: "x", Reason: "said in English only"}, "said in English only"},
	} {
		if got := s.reason(requestIn(tt.lang), tt.fe); got != tt.want {
			t.Errorf("%s %q: %q, want %q", tt.lang, tt.fe.Reason, got, tt.want)
		}
	}
}
