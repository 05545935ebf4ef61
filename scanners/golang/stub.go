package golang

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"sync"
)

// The scan type-checks each package offline: nothing from the module, the
// module cache or GOROOT is read. Imports resolve to stubs: os/exec is
// declared from the source below (so that a dot import and methods of a
// Cmd resolve), every other import is an empty package the checker marks
// fake, whose names stay unresolved without errors. The analysis needs
// only the identity of objects and of imported packages' functions
// (subprocenv.Check), which this gives.

// execStub declares os/exec's API. Types from other packages are left
// unresolved: the analysis never reads them.
const execStub = `package exec

import (
	"context"
	"io"
	"os"
	"syscall"
	"time"
)

type Cmd struct {
	Path         string
	Args         []string
	Env          []string
	Dir          string
	Stdin        io.Reader
	Stdout       io.Writer
	Stderr       io.Writer
	ExtraFiles   []*os.File
	SysProcAttr  *syscall.SysProcAttr
	Process      *os.Process
	ProcessState *os.ProcessState
	Err          error
	Cancel       func() error
	WaitDelay    time.Duration
}

type Error struct {
	Name string
	Err  error
}

type ExitError struct {
	*os.ProcessState
	Stderr []byte
}

var (
	ErrDot       error
	ErrNotFound  error
	ErrWaitDelay error
)

func Command(name string, arg ...string) *Cmd                              { return nil }
func CommandContext(ctx context.Context, name string, arg ...string) *Cmd { return nil }
func LookPath(file string) (string, error)                                 { return "", nil }

func (c *Cmd) CombinedOutput() ([]byte, error)      { return nil, nil }
func (c *Cmd) Environ() []string                    { return nil }
func (c *Cmd) Output() ([]byte, error)              { return nil, nil }
func (c *Cmd) Run() error                           { return nil }
func (c *Cmd) Start() error                         { return nil }
func (c *Cmd) StderrPipe() (io.ReadCloser, error)   { return nil, nil }
func (c *Cmd) StdinPipe() (io.WriteCloser, error)   { return nil, nil }
func (c *Cmd) StdoutPipe() (io.ReadCloser, error)   { return nil, nil }
func (c *Cmd) String() string                       { return "" }
func (c *Cmd) Wait() error                          { return nil }
func (e *Error) Error() string                      { return "" }
func (e *Error) Unwrap() error                      { return nil }
func (e *ExitError) Error() string                  { return "" }
`

var execPkg = sync.OnceValue(func() *types.Package {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "exec.go", execStub, parser.SkipObjectResolution)
	if err != nil {
		panic("golang: os/exec stub: " + err.Error()) // a bug in the constant above
	}
	conf := types.Config{Importer: stubImporter{}, Error: func(error) {}}
	pkg, _ := conf.Check("os/exec", fset, []*ast.File{f}, nil)
	return pkg
})

var errNotStubbed = errors.New("not available offline")

// stubImporter serves the os/exec stub and, for every other path, an
// empty package (with the error, so that the checker marks it fake).
type stubImporter struct{ exec bool }

func (s stubImporter) Import(path string) (*types.Package, error) {
	if s.exec && path == "os/exec" {
		return execPkg(), nil
	}
	return types.NewPackage(path, guessName(path)), errNotStubbed
}

// guessName is the name a package is usually declared with: the last
// element of its path, less a major-version element (…/v2) or suffix
// (gopkg.in/yaml.v3) and a go- prefix or -go suffix.
func guessName(path string) string {
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = parts[len(parts)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 && strings.Trim(name[i+2:], "0123456789") == "" {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "go-")
	name = strings.TrimSuffix(name, "-go")
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '.' {
			return '_'
		}
		return r
	}, name)
	if name == "" {
		return "_"
	}
	return name
}
