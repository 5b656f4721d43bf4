package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/clustersim/clustersim/reports"
)

// JUnit XML, the format CI systems render as test results: one testsuite
// per scenario (its run's wall time, seed and scenario as properties), one
// testcase per assertion, a failure carrying the measured value and the
// limit. testdata/junit.xsd is the schema it is tested against.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name    string        `xml:"name,attr"`
	Class   string        `xml:"classname,attr"`
	Time    string        `xml:"time,attr"`
	Failure *junitMessage `xml:"failure,omitempty"`
	Error   *junitMessage `xml:"error,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// seconds renders a duration as JUnit's time attribute.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

func writeJUnit(path string, all []checked) error {
	doc := junitSuites{Name: "clustersim check"}
	var total time.Duration
	for _, c := range all {
		s := junitSuite{Name: c.file, Time: seconds(c.wall)}
		total += c.wall
		s.Properties = append(s.Properties, junitProperty{"scenario.file", c.source})
		if c.scenario != "" {
			s.Properties = append(s.Properties, junitProperty{"scenario", c.scenario}, junitProperty{"seed", strconv.FormatUint(c.seed, 10)})
		}
		if c.err != nil {
			s.Errors++
			s.Tests++
			s.Cases = append(s.Cases, junitCase{Name: "run", Class: c.file, Time: seconds(c.wall),
				Error: &junitMessage{Message: firstLine(c.err.Error()), Type: "error", Text: c.err.Error()}})
		}
		for _, a := range c.assertions {
			// Assertions are evaluated at once on the finished run: the
			// run's time is the suite's.
			tc := junitCase{Name: a.Name, Class: c.file, Time: seconds(0)}
			if !a.OK {
				s.Failures++
				value := reports.FormatAssertionValue(a)
				tc.Failure = &junitMessage{
					Message: fmt.Sprintf("%s = %s (limit %s)", a.Metric, value, a.Limit),
					Type:    "assertion",
					Text:    fmt.Sprintf("metric: %s\nvalue: %s\nlimit: %s\n", a.Metric, reports.FormatAssertionValue(a), a.Limit),
				}
			}
			s.Tests++
			s.Cases = append(s.Cases, tc)
		}
		if b := c.baseline; b != nil {
			for _, cmp := range b.comparisons {
				tc := junitCase{Name: "baseline " + cmp.metric, Class: c.file, Time: seconds(0)}
				if cmp.regressed {
					s.Failures++
					tc.Failure = &junitMessage{
						Message: fmt.Sprintf("%s regressed: %s -> %s (%s)", cmp.metric, reports.FormatSig(cmp.before), formatAfter(cmp.after), change(cmp.before, cmp.after)),
						Type:    "baseline",
						Text:    fmt.Sprintf("baseline: %s\nbefore: %s\nafter: %s\n", b.file, reports.FormatFloat(cmp.before), formatAfter(cmp.after)),
					}
				}
				s.Tests++
				s.Cases = append(s.Cases, tc)
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = seconds(total)
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return reports.WriteFileAtomic(path, append([]byte(xml.Header), append(b, '\n')...))
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// printAnnotations prints a GitHub Actions ::error workflow command for
// each failing assertion, pointing at its [[assert]] line.
func printAnnotations(w io.Writer, all []checked) {
	for _, c := range all {
		for _, a := range c.assertions {
			if a.OK {
				continue
			}
			props := "file=" + escapeProperty(c.source)
			if line := c.lines[a.Name]; line > 0 {
				props += ",line=" + strconv.Itoa(line)
			}
			props += ",title=" + escapeProperty("assertion failed: "+a.Name)
			msg := fmt.Sprintf("%s = %s (limit %s)", a.Metric, reports.FormatAssertionValue(a), a.Limit)
			fmt.Fprintf(w, "::error %s::%s\n", props, escapeData(msg))
		}
	}
}

// escapeData and escapeProperty escape workflow command text as the
// GitHub Actions toolkit does (@actions/core command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
