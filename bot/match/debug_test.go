package match

import (
	"bufio"
	"fmt"
	"os"
	"testing"

	"github.com/bathnes/signpost/knowledge"
)

func TestDebugQuestions(t *testing.T) {
	path := os.Getenv("SIGNPOST_DEBUG")
	if path == "" {
		t.Skip()
	}
	base, _ := knowledge.Embedded()
	ix := New(base)
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		q := sc.Text()
		res := ix.Search(q, 3)
		svc := ""
		if res.Service != nil {
			svc = res.Service.Name
		}
		qq, neg := ix.query(q)
		fmt.Printf("%q svc=%q\n   terms=%v neg=%q\n", q, svc, qq, neg)
		for _, m := range res.Matches {
			fmt.Printf("   M %-28s s=%.2f cov=%.2f conf=%.2f lone=%v\n", m.Entry.ID, m.Score, m.Coverage, Confidence(m), m.Lone)
		}
		for _, m := range res.Rest {
			fmt.Printf("   R %-28s s=%.2f cov=%.2f conf=%.2f lone=%v\n", m.Entry.ID, m.Score, m.Coverage, Confidence(m), m.Lone)
		}
	}
}
