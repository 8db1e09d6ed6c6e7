package conformance

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JUnit XML, as CI servers read it (the Ant/Surefire dialect): one
// testsuite per API, one testcase per case; a failure's message says what
// was expected and what came back, its text lists every difference.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
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
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the suites as one JUnit XML document.
func WriteJUnit(w io.Writer, suites []Suite) error {
	doc := junitSuites{Name: "mockgate conformance"}
	var total float64
	for _, s := range suites {
		js := junitSuite{Name: s.API, Tests: len(s.Results), Failures: s.Failed, Skipped: s.Skipped, Time: seconds(s.Seconds),
			Properties: []junitProperty{{Name: "api", Value: s.API}, {Name: "target", Value: s.Target}}}
		for _, r := range s.Results {
			jc := junitCase{Name: r.ID, Classname: "conformance." + s.API, Time: seconds(r.Seconds), SystemOut: describe(r.Case)}
			switch r.Outcome {
			case Failed:
				jc.Failure = &junitMessage{Message: FailureMessage(r), Type: "conformance", Text: strings.Join(r.Problems, "\n")}
			case Skipped:
				jc.Skipped = &junitMessage{Message: r.Skip}
			}
			js.Cases = append(js.Cases, jc)
		}
		doc.Tests += js.Tests
		doc.Failures += s.Failed
		doc.Skipped += s.Skipped
		total += s.Seconds
		doc.Suites = append(doc.Suites, js)
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// FailureMessage says in one line what a failed case expected and what
// came back.
func FailureMessage(r Result) string {
	got := "no answer"
	if r.Got != 0 {
		got = strconv.Itoa(r.Got)
	}
	return fmt.Sprintf("expected %s; got %s: %s", r.Expect.Summary(), got, strings.Join(r.Problems, "; "))
}

// describe is a case's request and expectation, for people reading a report.
func describe(c Case) string {
	r := c.Request
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s %s", c.Name, r.Method, r.Path)
	switch {
	case r.Role != "":
		fmt.Fprintf(&b, " with the %s key", r.Role)
	case r.Key != "":
		fmt.Fprintf(&b, " with the key %s", r.Key)
	default:
		b.WriteString(" with no key")
	}
	if r.Scheme != "" {
		fmt.Fprintf(&b, " under %s", r.Scheme)
	}
	if r.ContentType != "" {
		fmt.Fprintf(&b, ", Content-Type %s", r.ContentType)
	}
	if r.BodySize > 0 {
		fmt.Fprintf(&b, ", a body of %d bytes", r.BodySize)
	}
	if r.Repeat > 0 {
		fmt.Fprintf(&b, ", after %d requests that fill the window", r.Repeat)
	}
	fmt.Fprintf(&b, "\nexpected %s", c.Expect.Summary())
	for _, h := range c.Expect.Headers {
		fmt.Fprintf(&b, "\n  %s: %s", h.Name, h.describe())
	}
	return b.String()
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }
