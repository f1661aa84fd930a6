package adapters_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAdaptersNeverLinkTheStore: adapters only lay out the core's reply;
// what they need of the store and of learn the core defines. None links
// the store, learn, a database driver, or another adapter.
func TestAdaptersNeverLinkTheStore(t *testing.T) {
	for _, pkg := range []string{"console", "slack", "discord", "web"} {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			bad := dep == "github.com/bathnes/signpost/store" || dep == "github.com/bathnes/signpost/learn" || strings.Contains(dep, "jackc/pgx") || strings.Contains(dep, "modernc.org/sqlite")
			for _, other := range []string{"console", "slack", "discord", "web"} {
				bad = bad || other != pkg && dep == "github.com/bathnes/signpost/adapters/"+other
			}
			if bad {
				t.Errorf("adapters/%s links %s", pkg, dep)
			}
		}
	}
}
