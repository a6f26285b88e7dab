package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version and revision are set at build time, so that they survive GOFLAGS=-buildvcs=false:
//
//	go build -ldflags "-X main.version=$(git describe --tags --always --dirty) -X main.revision=$(git rev-parse HEAD)" ./cmd/phoihop
var (
	version  string
	revision string
)

// buildInfo is what the binary knows of its build.
type buildInfo struct {
	Version  string // main.version, else the module's version, else "dev"
	Revision string // main.revision, else the VCS stamp's commit; "" when not known
	Time     string // the commit's time from the VCS stamp; "" when not known
	Modified bool   // the VCS stamp says the tree had uncommitted changes
}

// readBuild returns the build's version and revision: those given with -ldflags -X first,
// then the Go toolchain's VCS stamp (vcs.revision, vcs.time, vcs.modified) and the module
// version, else "dev".
func readBuild() buildInfo {
	b := buildInfo{Version: version, Revision: revision}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		vcs := map[string]string{}
		for _, s := range bi.Settings {
			vcs[s.Key] = s.Value
		}
		if rev := vcs["vcs.revision"]; rev != "" && (b.Revision == "" || b.Revision == rev) {
			b.Revision, b.Time, b.Modified = rev, vcs["vcs.time"], vcs["vcs.modified"] == "true"
		}
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// versionString is what phoihop version prints:
// "phoihop VERSION (revision REV, TIME, modified; GO, OS/ARCH)", the revision part when known.
func versionString() string {
	b := readBuild()
	var parts []string
	if b.Revision != "" {
		rev := []string{"revision " + b.Revision}
		if b.Time != "" {
			rev = append(rev, b.Time)
		}
		if b.Modified {
			rev = append(rev, "modified")
		}
		parts = append(parts, strings.Join(rev, ", "))
	}
	parts = append(parts, fmt.Sprintf("%s, %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH))
	return fmt.Sprintf("phoihop %s (%s)", b.Version, strings.Join(parts, "; "))
}
