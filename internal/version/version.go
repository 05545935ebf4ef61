// Package version reports isolint's version: set at link time with
// -ldflags "-X github.com/isolint/isolint/internal/version.Version=v1.2.3",
// else taken from the module version `go install` records, else "dev".
package version

import "runtime/debug"

// Version is the release version.
var Version = ""

// InformationURI is where the project lives.
const InformationURI = "https://github.com/isolint/isolint"

// String returns the version.
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
