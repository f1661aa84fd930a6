package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/bathnes/signpost/bot"
)

// screenshots, when set, is where the browser tests keep their pictures
// of the desk at 1280 and 320 pixels wide, to be looked at.
var screenshots = flag.String("screenshots", os.Getenv("SIGNPOST_SCREENSHOTS"), "directory for the desk's screenshots")

// axePath is axe-core, installed from the npm registry by .ci/run (npm ci
// in testdata/browser).
const axePath = "testdata/browser/node_modules/axe-core/axe.min.js"

// chromium finds the browser, or skips the test; under CI=true it fails
// instead, so a machine without it never passes quietly.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROME"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium: .ci/run installs Debian's chromium package")
	}
	t.Skip("no Chromium on this machine (install Debian's chromium, or set CHROME)")
	return ""
}

// page starts a headless Chromium on the real desk and returns its
// context and the desk's address. The browser is the machine's own, with
// nothing fetched from the network.
func page(t *testing.T, width, height int64) (context.Context, string) {
	t.Helper()
	return pageOn(t, desk(t, Config{}).URL, width, height)
}

// pageOn is page on a desk already serving at base.
func pageOn(t *testing.T, base string, width, height int64) (context.Context, string) {
	t.Helper()
	exe := chromium(t)
	// The profile is removed after the browser has gone, not by t.TempDir,
	// which would race Chromium's last writes.
	profile, err := os.MkdirTemp("", "signpost-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(profile),
		chromedp.WindowSize(int(width), int(height)))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// The deadline only ends a browser that hangs: it is no verdict, and
	// a conversation of many pages on a busy machine is well inside it.
	ctx, cancelTime := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelCtx()
		cancelAlloc() // waits for the browser to exit
		os.RemoveAll(profile)
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("Chromium did not start: %v", err)
	}
	return ctx, base
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// text is the visible text of what sel finds.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	run(t, ctx, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// TestBrowserPubByTypeAheadAndEnter: type "list our pub", see the
// suggestion, press Enter, see the Assets of Community Value card with its
// status, source and date.
func TestBrowserPubByTypeAheadAndEnter(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByQuery),
		chromedp.SendKeys("#q", "list our pub", chromedp.ByQuery),
		chromedp.WaitVisible(`#q-list li[data-id="assets-of-community-value"]`, chromedp.ByQuery))
	if s := text(t, ctx, "#q-list li"); !strings.Contains(s, "Assets of Community Value") {
		t.Errorf("first suggestion %q; want Assets of Community Value", s)
	}
	run(t, ctx, chromedp.SendKeys("#q", kb.Enter, chromedp.ByQuery), chromedp.WaitVisible(".card", chromedp.ByQuery))
	card := text(t, ctx, ".card")
	for _, want := range []string{"Assets of Community Value", "Current as of May 2013", "Source: Connecting Communities Toolkit"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	shot(t, ctx, "pub-1280")
}

// TestBrowserPlaceFirst: choose Radstock, ask about PACT and Big Local;
// what is true in Radstock comes first.
func TestBrowserPlaceFirst(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByQuery),
		chromedp.SetValue("#place", "Radstock", chromedp.ByQuery),
		chromedp.SendKeys("#q", "is there big local money", chromedp.ByQuery),
		chromedp.Submit("#q", chromedp.ByQuery), chromedp.WaitVisible(".card", chromedp.ByQuery))
	lead := text(t, ctx, ".card .lead")
	if !strings.HasPrefix(lead, "In Radstock") {
		t.Errorf("lead %q; want the Radstock fact first", lead)
	}
	var place string
	run(t, ctx, chromedp.Navigate(base+"/?q=pact"), chromedp.WaitVisible(".card", chromedp.ByQuery),
		chromedp.Value("#place", &place, chromedp.ByQuery))
	if place != "Radstock" || !strings.Contains(text(t, ctx, ".card .lead"), "Radstock") {
		t.Errorf("place %q on the next search; want Radstock remembered and used", place)
	}
}

// TestBrowserFinder: the funding finder as one form gives routes, why
// they fit, and what rules each near miss out.
func TestBrowserFinder(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	run(t, ctx, chromedp.Navigate(base+"/finder"), chromedp.WaitVisible("#who", chromedp.ByQuery),
		chromedp.SetValue("#who", "group", chromedp.ByQuery), chromedp.SetValue("#what", "project", chromedp.ByQuery),
		chromedp.SetValue("#band", "small", chromedp.ByQuery), chromedp.SetValue("#where", "Somer Valley", chromedp.ByQuery),
		chromedp.Click("form.finder button", chromedp.ByQuery), chromedp.WaitVisible(".card", chromedp.ByQuery))
	card := text(t, ctx, ".card")
	for _, want := range []string{"These fit", "Why:", "Not quite:", "Historical: this has ended"} {
		if !strings.Contains(card, want) {
			t.Errorf("finder result lacks %q", want)
		}
	}
}

// TestBrowserCopyForTheCaller: the button puts the plain answer, with its
// source and date, on the clipboard.
func TestBrowserCopyForTheCaller(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	var clip string
	run(t, ctx,
		grantClipboard(base),
		chromedp.Navigate(base+"/?q=pact"), chromedp.WaitVisible("#copy-button", chromedp.ByQuery),
		chromedp.Click("#copy-button", chromedp.ByQuery),
		chromedp.WaitVisible("#copy-status:not(:empty)", chromedp.ByQuery),
		chromedp.Evaluate(`navigator.clipboard.readText()`, &clip, awaitPromise))
	if !strings.HasPrefix(clip, "PACT meetings") || !strings.Contains(clip, "Source:") || !strings.Contains(clip, "May 2013") {
		t.Errorf("clipboard = %q; want the answer with its source and date", clip)
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// TestBrowserKeyboardOnly: from the top of the page, the skip link comes
// first; Tab reaches the search; an acronym, the arrow key and Enter open
// the entry; every focused control is visibly marked.
func TestBrowserKeyboardOnly(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByQuery), chromedp.KeyEvent(kb.Tab))
	if id := focused(t, ctx); id != "skip" {
		t.Errorf("first Tab focuses %q; want the skip link", id)
	}
	found := false
	for range 12 {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		if focused(t, ctx) == "q" {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("Tab never reached the search box")
	}
	var outline string
	run(t, ctx, chromedp.Evaluate(`getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).boxShadow`, &outline))
	if strings.HasPrefix(outline, "none none") {
		t.Errorf("the focused search box is not marked: %q", outline)
	}
	run(t, ctx, chromedp.KeyEvent("acv"), chromedp.WaitVisible(`#q-list li[data-id="assets-of-community-value"]`, chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowDown))
	var active string
	run(t, ctx, chromedp.Evaluate(`document.getElementById("q").getAttribute("aria-activedescendant") || ""`, &active))
	if active == "" {
		t.Fatalf("the arrow key chose no suggestion (focused: %s)", focused(t, ctx))
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(".card", chromedp.ByQuery))
	var url string
	run(t, ctx, chromedp.Location(&url))
	if !strings.Contains(url, "/entries/assets-of-community-value") {
		t.Errorf("keyboard took us to %s; want the ACV entry", url)
	}
	// The finder by keyboard: focus the first field, choose with arrows,
	// and submit with Enter.
	run(t, ctx, chromedp.Navigate(base+"/finder"), chromedp.WaitVisible("#who", chromedp.ByQuery),
		chromedp.Focus("#who", chromedp.ByQuery), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Focus("form.finder button", chromedp.ByQuery), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(".card", chromedp.ByQuery))
	if !strings.Contains(text(t, ctx, ".card"), "These fit") {
		t.Error("the finder submitted by keyboard shows no routes")
	}
}

// focused is the id (or class, for the skip link) of the focused element.
func focused(t *testing.T, ctx context.Context) string {
	t.Helper()
	var id string
	run(t, ctx, chromedp.Evaluate(`document.activeElement.id || document.activeElement.className`, &id))
	return id
}

// TestBrowserWithoutJavaScript: with scripts off, the search is a form
// that still answers, and the answer can still be copied by hand.
func TestBrowserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error { return emulation.SetScriptExecutionDisabled(true).Do(ctx) }),
		chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByQuery),
		chromedp.SetValue("#q", "how do we list our pub", chromedp.ByQuery),
		chromedp.Submit("#q", chromedp.ByQuery), chromedp.WaitVisible(".card", chromedp.ByQuery))
	if !strings.Contains(text(t, ctx, ".card"), "Assets of Community Value") {
		t.Error("with JavaScript off, the search gives no answer")
	}
	var copyText string
	run(t, ctx, chromedp.Value("#copy-text", &copyText, chromedp.ByQuery))
	if !strings.Contains(copyText, "Source:") {
		t.Error("with JavaScript off, there is no text to copy")
	}
}

// TestBrowserNarrowAndZoomed: at 320 pixels, and at 640 (1280 at 200%
// zoom), nothing runs off the side of the page.
func TestBrowserNarrowAndZoomed(t *testing.T) {
	t.Parallel()
	for _, width := range []int64{320, 640} {
		ctx, base := page(t, width, 900)
		for _, path := range []string{"/", "/?q=how+do+we+list+our+pub", "/finder?who=group", "/menu"} {
			var over bool
			run(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible("main", chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &over))
			if over {
				t.Errorf("%s at %d px scrolls sideways", path, width)
			}
		}
		shot(t, ctx, fmt.Sprintf("pub-%d", width))
	}
}

// TestBrowserAccessibility runs axe-core on every kind of page: no
// violation of WCAG 2.2 AA (and A) is allowed.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	axe := axeCode(t)
	// The stats page needs the token: this desk keeps its answers, and
	// the browser sends the token with every request.
	srv, b := statsDesk(t, "tok")
	for _, q := range []string{"can I get free wifi in the library", "how do we list our pub", "who won the rugby"} {
		b.Answer(context.Background(), bot.Question{Text: q, Conversation: "x", Platform: "web"})
	}
	ctx, base := pageOn(t, srv.URL, 1280, 1000)
	run(t, ctx, network.Enable(), network.SetExtraHTTPHeaders(network.Headers{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("staff:tok"))}))
	pages := []string{"/stats", "/", "/?q=how+do+we+list+our+pub", "/?q=who+runs+PACT+here", "/?q=bin+collection", "/?q=xyzzy+wifi",
		"/entries/pact?place=Radstock", "/entries/pact?print=1", "/menu", "/core-offer", "/funding-routes",
		"/finder", "/finder?who=group&what=project&band=small&where=Keynsham", "/finder?who=dragons", "/?q=help", "/services"}
	for _, path := range pages {
		checkAxe(t, ctx, base, path, axe)
	}
}

// axeCode is axe-core's script, or the test is skipped (failed under
// CI=true) without it.
func axeCode(t *testing.T) []byte {
	t.Helper()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is missing (%v): .ci/run installs it with npm ci in testdata/browser", err)
		}
		t.Skipf("axe-core is missing (%v): run npm ci in adapters/web/testdata/browser", err)
	}
	return axe
}

// checkAxe runs axe-core on one page: no violation of WCAG 2.2 AA (and
// A) is allowed.
func checkAxe(t *testing.T, ctx context.Context, base, path string, axe []byte) {
	t.Helper()
	var result []byte
	run(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible("main", chromedp.ByQuery),
		chromedp.Evaluate(string(axe), nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
			.then(r => JSON.stringify({violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))})), passes: r.passes.length}))`,
			&result, awaitPromise))
	var got struct {
		Violations []struct {
			ID, Impact string
			Nodes      []string
		}
		Passes int
	}
	var s string
	if err := json.Unmarshal(result, &s); err != nil || json.Unmarshal([]byte(s), &got) != nil {
		t.Fatalf("%s: axe said %s", path, result)
	}
	if got.Passes == 0 {
		t.Errorf("%s: axe checked nothing", path)
	}
	for _, v := range got.Violations {
		t.Errorf("%s: %s (%s) at %v", path, v.ID, v.Impact, v.Nodes)
	}
}

var shotDir sync.Once

// shot keeps a full-page screenshot when -screenshots (or
// SIGNPOST_SCREENSHOTS) names a directory.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	shotDir.Do(func() { os.MkdirAll(*screenshots, 0o755) })
	var png []byte
	run(t, ctx, chromedp.FullScreenshot(&png, 100))
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

// TestBrowserThreeCallsByKeyboard: the three calls the desk is for, a pub,
// PACT in Radstock and a £2,000 grant, each signposted with the keyboard
// alone, each well inside a minute.
func TestBrowserThreeCallsByKeyboard(t *testing.T) {
	t.Parallel()
	ctx, base := page(t, 1280, 1000)
	search := func(place, q string) string {
		t.Helper()
		start := time.Now()
		run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByQuery))
		if place != "" {
			// Type to choose in the place list, as a keyboard user does.
			run(t, ctx, chromedp.Focus("#place", chromedp.ByQuery), chromedp.KeyEvent(place))
		}
		run(t, ctx, chromedp.Focus("#q", chromedp.ByQuery), chromedp.KeyEvent(q),
			chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(".card", chromedp.ByQuery))
		t.Logf("%q in %q: %v", q, place, time.Since(start).Round(time.Millisecond))
		return text(t, ctx, ".card")
	}
	if card := search("", "how do we list our pub"); !strings.Contains(card, "Assets of Community Value") {
		t.Errorf("the pub call: %s", card)
	}
	if card := search("Radstock", "who runs PACT here"); !strings.Contains(card, "PACT meetings") || !strings.Contains(card, "Radstock") {
		t.Errorf("PACT in Radstock: %s", card)
	}
	// The £2,000 grant, in the finder: Tab through the fields, choosing
	// with the arrow keys.
	start := time.Now()
	run(t, ctx, chromedp.Navigate(base+"/finder"), chromedp.WaitVisible("#who", chromedp.ByQuery),
		chromedp.Focus("#who", chromedp.ByQuery), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Focus("form.finder button", chromedp.ByQuery), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(".card", chromedp.ByQuery))
	t.Logf("the £2,000 grant: %v", time.Since(start).Round(time.Millisecond))
	var band string
	run(t, ctx, chromedp.Value("#band", &band, chromedp.ByQuery))
	if card := text(t, ctx, ".card"); band != "small" || !strings.Contains(card, "These fit") || !strings.Contains(card, "under £5,000") {
		t.Errorf("the £2,000 grant: band %q, card %s", band, card)
	}
	// And the answer goes to the caller by keyboard too.
	run(t, ctx, grantClipboard(base), chromedp.Focus("#copy-button", chromedp.ByQuery), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#copy-status:not(:empty)", chromedp.ByQuery))
	var clip string
	run(t, ctx, chromedp.Evaluate(`navigator.clipboard.readText()`, &clip, awaitPromise))
	if !strings.Contains(clip, "Funding routes") || !strings.Contains(clip, "council documents") {
		t.Errorf("clipboard after Enter on the copy button: %q", clip)
	}
}

// grantClipboard lets the page read and write the clipboard, as a person
// allows it.
func grantClipboard(base string) chromedp.ActionFunc {
	return func(ctx context.Context) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			p := browser.SetPermission(&browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true}, browser.PermissionSettingGranted)
			if err := p.WithOrigin(base).Do(ctx); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestBrowserServicesCopyTheTwoTicked: on the Services tab, filter by
// need, day and place, tick two services, and "Copy for the caller" puts
// exactly those two on the clipboard, in the caller's words; the tab
// passes axe, and holds at 320 pixels.
func TestBrowserServicesCopyTheTwoTicked(t *testing.T) {
	t.Parallel()
	ctx, base := pageOn(t, servicesDesk(t, synthetic()).URL, 1280, 1000)
	run(t, ctx, grantClipboard(base), chromedp.Navigate(base+"/"), chromedp.WaitVisible("nav", chromedp.ByQuery),
		chromedp.Click(`nav a[href="/services"]`, chromedp.ByQuery), chromedp.WaitVisible("#need", chromedp.ByQuery),
		chromedp.SendKeys("#need", "lunch club", chromedp.ByQuery), chromedp.SetValue("#day", "thursday", chromedp.ByQuery),
		chromedp.SendKeys("#near", "BA2", chromedp.ByQuery),
		chromedp.Click("form.services button", chromedp.ByQuery), chromedp.WaitVisible(".card", chromedp.ByQuery))
	var names []string
	run(t, ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll(".pick label")).map(l => l.textContent)`, &names))
	if len(names) < 3 {
		t.Fatalf("lunch club, Thursday, BA2 lists %q; want three or more", names)
	}
	if card := text(t, ctx, ".card"); !strings.Contains(card, "from BA2") || !strings.Contains(card, "Next: Thursday") {
		t.Errorf("the results do not say how far from BA2 and the Thursday session:\n%s", card)
	}
	var clip string
	run(t, ctx, chromedp.Click("#pick-0", chromedp.ByQuery), chromedp.Click("#pick-2", chromedp.ByQuery),
		chromedp.Click("#pick-copy", chromedp.ByQuery), chromedp.WaitVisible("#copy-status:not(:empty)", chromedp.ByQuery),
		chromedp.Evaluate(`navigator.clipboard.readText()`, &clip, awaitPromise))
	for i, n := range names {
		if got, want := strings.Contains(clip, n), i == 0 || i == 2; got != want {
			t.Errorf("the clipboard holds %s: %v; want %v\n%s", n, got, want, clip)
		}
	}
	if !strings.HasPrefix(clip, bot.LocalTitle) || !strings.Contains(clip, bot.LocalNote) || !strings.Contains(clip, "Source:") {
		t.Errorf("the clipboard is not the caller's copy:\n%s", clip)
	}
	// Without the script, the same two come back from the server: the
	// copy is the one the script made.
	var url, served string
	run(t, ctx, chromedp.Location(&url))
	run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error { return emulation.SetScriptExecutionDisabled(true).Do(ctx) }),
		chromedp.Navigate(url), chromedp.WaitVisible(".card", chromedp.ByQuery),
		chromedp.Click("#pick-0", chromedp.ByQuery), chromedp.Click("#pick-2", chromedp.ByQuery),
		chromedp.Click("#pick-copy", chromedp.ByQuery), chromedp.WaitVisible("#copy-text:not(:empty)", chromedp.ByQuery),
		chromedp.Value("#copy-text", &served, chromedp.ByQuery))
	if served != clip {
		t.Errorf("without the script the copy is\n%s\nwant what the script copied\n%s", served, clip)
	}
	shot(t, ctx, "services-1280")
	run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error { return emulation.SetScriptExecutionDisabled(false).Do(ctx) }))
	if axe, err := os.ReadFile(axePath); err == nil {
		checkAxe(t, ctx, base, "/services?need=lunch+club&day=thursday&near=BA2&copy=1&pick=x", axe)
	}
	var over bool
	run(t, ctx, chromedp.EmulateViewport(320, 900), chromedp.Navigate(base+"/services?need=lunch+club&near=BA2"),
		chromedp.WaitVisible(".card", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &over))
	if over {
		t.Error("the Services tab at 320 px scrolls sideways")
	}
}
