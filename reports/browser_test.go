package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clustersim/clustersim/reports"
)

// browserEnv turns the browser test's skip (no Chromium found) into a
// failure; .ci/run sets it after installing Debian's chromium.
const browserEnv = "CLUSTERSIM_BROWSER_TEST"

// chromiumFlags run Chromium headless on a machine with no display, no
// sandbox (CI runs as root) and a closed network: without the
// background-networking flags Chromium keeps trying Google's hosts.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-dev-shm-usage", "--hide-scrollbars",
	"--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
}

// consoleLine matches what Chromium logs to stderr for every console
// message, uncaught exception included:
// [pid:tid:date:INFO:CONSOLE:1] "Uncaught ReferenceError: ...", source: ...
var consoleLine = regexp.MustCompile(`:CONSOLE[:(\]].*`)

// probeScript measures the page once it has loaded and appends the result
// as JSON in <pre id="probe">: every image's rendered and natural size and
// visibility, the assertion table's rows and every error event (resource
// errors included) or console.error call seen since the head.
const probeScript = `<script>
(() => {
  const errors = [];
  window.addEventListener("error", e => errors.push(e.message || ("resource error: " + ((e.target && (e.target.src || e.target.href)) || "").slice(0, 60))), true);
  const ce = console.error;
  console.error = (...a) => { errors.push(a.join(" ")); ce.apply(console, a); };
  window.addEventListener("load", () => {
    const images = [...document.images].map(i => {
      const r = i.getBoundingClientRect(), cs = getComputedStyle(i);
      return {alt: i.alt, width: r.width, height: r.height, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
        complete: i.complete, visible: cs.visibility === "visible" && cs.display !== "none" && Number(cs.opacity) > 0};
    });
    const t = document.getElementById("assertions");
    const pre = document.createElement("pre");
    pre.id = "probe";
    pre.textContent = JSON.stringify({images, assertionRows: t ? t.rows.length : -1, errors});
    document.body.appendChild(pre);
  });
})();
</script>`

// probeResult is probeScript's JSON.
type probeResult struct {
	Images []struct {
		Alt                         string
		Width, Height               float64
		NaturalWidth, NaturalHeight int
		Complete, Visible           bool
	}
	AssertionRows int
	Errors        []string
}

// chromium returns the Chromium binary to use: $CHROMIUM, or the first of
// chromium, chromium-browser, google-chrome on PATH; "" when none.
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// runChromium runs Chromium headless on url with extra flags and returns
// its stdout and the console lines it logged to stderr.
func runChromium(t *testing.T, bin, url string, extra ...string) (stdout []byte, console []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(append([]string{"--user-data-dir=" + t.TempDir()}, chromiumFlags...), extra...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, errOut.Bytes())
	}
	return out.Bytes(), consoleLine.FindAllString(errOut.String(), -1)
}

// probe loads page (a full HTML document) with probeScript injected at the
// top of its head and returns the measurements and the console lines.
func probe(t *testing.T, bin, dir, page string) (probeResult, []string) {
	t.Helper()
	path := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(path, []byte(strings.Replace(page, "<head>", "<head>\n"+probeScript, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := runChromium(t, bin, "file://"+path, "--dump-dom")
	m := regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("no probe result in the DOM (did the page load?):\n%.2000s", dom)
	}
	var r probeResult
	text := strings.NewReplacer("&quot;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(string(m[1]))
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		t.Fatalf("probe JSON: %v\n%s", err, text)
	}
	return r, console
}

// TestReportInBrowser loads a report with several services, annotations
// and assertions in headless Chromium and checks that it loads without a
// console message or error, that every plot has a visible, non-zero
// rendered size and decoded pixels, that the assertion table is there, and
// that a screenshot of the page can be taken. It skips when no Chromium is
// found, unless CLUSTERSIM_BROWSER_TEST=1 (as .ci/run sets).
func TestReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped under -short")
	}
	bin := chromium()
	if bin == "" {
		if os.Getenv(browserEnv) == "1" {
			t.Fatalf("%s=1 but no Chromium found: install Debian's chromium or set CHROMIUM", browserEnv)
		}
		t.Skipf("no Chromium found (set CHROMIUM or install chromium); %s=1 makes this a failure", browserEnv)
	}
	dir := t.TempDir()
	page := writeAnnotatedReport(t, dir)

	t.Run("report", func(t *testing.T) {
		r, console := probe(t, bin, dir, page)
		if len(console) > 0 || len(r.Errors) > 0 {
			t.Errorf("page logged to the console: %q; errors: %q", console, r.Errors)
		}
		if len(r.Images) != 4 {
			t.Errorf("page has %d images, want 4 plots", len(r.Images))
		}
		for _, img := range r.Images {
			if !img.Complete || !img.Visible || img.Width < 100 || img.Height < 100 || img.NaturalWidth == 0 || img.NaturalHeight == 0 {
				t.Errorf("plot %q not shown: %+v", img.Alt, img)
			}
		}
		if r.AssertionRows != 3 { // header and two assertions
			t.Errorf("assertion table has %d rows, want 3", r.AssertionRows)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(dir, "screenshot.png")
		_, console := runChromium(t, bin, "file://"+filepath.Join(dir, reports.ReportFile), "--window-size=1280,2400", "--screenshot="+shot)
		if len(console) > 0 {
			t.Errorf("page logged to the console: %q", console)
		}
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2400 {
			t.Errorf("screenshot is %v, want 1280x2400", b)
		}
	})

	// The probe must see what it looks for: a broken page fails it.
	t.Run("detects errors", func(t *testing.T) {
		bad := `<!DOCTYPE html><html><head><title>bad</title></head><body>` +
			`<img src="missing.png" alt="missing"><script>console.error("boom"); undefinedFn();</script></body></html>`
		r, console := probe(t, bin, t.TempDir(), bad)
		if len(console) == 0 || len(r.Errors) < 2 {
			t.Errorf("broken page passed: console %q, errors %q", console, r.Errors)
		}
		if len(r.Images) != 1 || r.Images[0].NaturalWidth != 0 || r.AssertionRows != -1 {
			t.Errorf("broken page measured as %+v", r)
		}
	})
}
