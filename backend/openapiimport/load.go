package openapiimport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// swaggerRE finds the version field of a Swagger 2.0 document.
var swaggerRE = regexp.MustCompile(`(?m)^\s*"?swagger"?\s*:\s*["']?2`)

// MaxDocument bounds the size of a document and of each file it refers to.
const MaxDocument = 64 << 20

// Document is a loaded and validated OpenAPI 3.0 or 3.1 document.
type Document struct {
	// T is the document with every $ref resolved (circular schemas point
	// back at themselves).
	T *openapi3.T
	// Source names the document in messages: its file name, or the label
	// given to Load.
	Source string

	// checked is the validation still running beside the caller's work
	// (loadOverlapped); Wait gives its result.
	checked chan error
	once    sync.Once
	err     error
}

// Wait returns the document's validation result: nil for a document
// loaded by LoadFile or Load (validated before they return), and for one
// loaded by the bundling loaders once its validation, which ran beside
// the bundling and the import, is done. Import waits for it.
func (d *Document) Wait() error {
	d.once.Do(func() {
		if d.checked != nil {
			d.err = <-d.checked
		}
	})
	return d.err
}

// Version is the document's OpenAPI version ("3.0.4", "3.1.2").
func (d *Document) Version() string { return d.T.OpenAPI }

// LoadFile reads the document at path, YAML or JSON. A $ref to a relative
// file is read from the document's folder; one to an http(s) URL is
// refused, naming it: mockgate imports without the network.
func LoadFile(path string) (*Document, error) {
	data, abs, err := readDocument(path)
	if err != nil {
		return nil, err
	}
	return load(data, path, abs)
}

// readDocument reads the file at path, bounded by MaxDocument, and its
// absolute path.
func readDocument(path string) ([]byte, string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("openapi %q: %w", path, err)
	}
	if info.Size() > MaxDocument {
		return nil, "", fmt.Errorf("openapi %q: the file is %d bytes; at most %d are read", path, info.Size(), MaxDocument)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("openapi %q: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", fmt.Errorf("openapi %q: %w", path, err)
	}
	return data, abs, nil
}

// Load reads a document from data (YAML or JSON). name labels the
// messages. A $ref to a file is refused: without the document's folder
// there is nowhere to read it from (LoadFile has one).
func Load(data []byte, name string) (*Document, error) {
	if len(data) > MaxDocument {
		return nil, fmt.Errorf("openapi %q: the document is %d bytes; at most %d are read", name, len(data), MaxDocument)
	}
	return load(data, name, "")
}

// load parses and validates data (see parse).
func load(data []byte, name, abs string) (*Document, error) {
	d, err := parse(data, name, abs)
	if err != nil {
		return nil, err
	}
	if err := d.check(data); err != nil {
		return nil, err
	}
	return d, nil
}

// loadOverlapped parses data and starts validating it on another
// goroutine: kin-openapi's Validate walks a schema again from each of its
// references (a third of a large document's import), and it only reads
// the document, so the bundling and the import go on beside it. The
// caller must Wait (Import does) before trusting the document.
func loadOverlapped(data []byte, name, abs string) (*Document, error) {
	d, err := parse(data, name, abs)
	if err != nil {
		return nil, err
	}
	d.checked = make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				d.checked <- fmt.Errorf("openapi %q: the OpenAPI validator failed on this document: %v", name, r)
			}
		}()
		d.checked <- d.check(data)
	}()
	return d, nil
}

// parse reads data into a document without validating it; abs, when set,
// is the document's absolute path, against which relative-file $refs
// resolve. A panic in the parser (it has met hostile input before) is an
// error, not a crash.
func parse(data []byte, name, abs string) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("openapi %q: the OpenAPI parser failed on this document: %v", name, r)
		}
	}()
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true // the document's order of paths and properties
	loader.ReadFromURIFunc = readLocal(abs != "")
	var t *openapi3.T
	if abs != "" {
		t, err = loader.LoadFromDataWithPath(data, &url.URL{Path: filepath.ToSlash(abs)})
	} else {
		t, err = loader.LoadFromData(data)
	}
	if err != nil {
		return nil, fmt.Errorf("openapi %q: %w", name, loadError(err))
	}
	return &Document{T: t, Source: name}, nil
}

// readLocal reads the files a document refers to: never over the network,
// and only when the document came from a file.
func readLocal(files bool) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		switch {
		case u.Scheme == "http" || u.Scheme == "https":
			return nil, fmt.Errorf("$ref %q is an external http(s) reference, which is not followed (mockgate imports without the network): save it beside the document and refer to it by a relative path", u.String())
		case u.Scheme != "" && u.Scheme != "file":
			return nil, fmt.Errorf("$ref %q: only relative files can be referred to", u.String())
		case !files:
			return nil, fmt.Errorf("$ref %q refers to a file, which can only be read when the document is imported from a file", u.String())
		}
		path := filepath.FromSlash(u.Path)
		info, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("$ref to %q: %w", path, err)
		}
		if info.Size() > MaxDocument {
			return nil, fmt.Errorf("$ref to %q: the file is %d bytes; at most %d are read", path, info.Size(), MaxDocument)
		}
		return os.ReadFile(path)
	}
}

// loadError keeps the loader's message but drops Go's wrapping noise.
func loadError(err error) error {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "error unmarshaling JSON: while decoding JSON: ", "")
	return errors.New(msg)
}

// check refuses what is not an OpenAPI 3.0 or 3.1 document, then
// validates it, naming every problem's place.
func (d *Document) check(data []byte) error {
	t := d.T
	if !strings.HasPrefix(t.OpenAPI, "3.0.") && !strings.HasPrefix(t.OpenAPI, "3.1.") {
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return fmt.Errorf("openapi %q: the document is empty", d.Source)
		case swaggerRE.Match(data):
			return fmt.Errorf("openapi %q: a Swagger 2.0 document: convert it to OpenAPI 3 first (OpenAPI 3.0.x and 3.1.x are imported)", d.Source)
		case t.OpenAPI == "":
			return fmt.Errorf("openapi %q: not an OpenAPI document: it has no \"openapi\" version field", d.Source)
		}
		return fmt.Errorf("openapi %q: openapi: version %q is not imported: OpenAPI 3.0.x and 3.1.x are", d.Source, t.OpenAPI)
	}
	opts := []openapi3.ValidationOption{openapi3.EnableMultiError(), openapi3.DisableExamplesValidation()}
	if t.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.IsOpenAPI31OrLater())
	}
	err := t.Validate(context.Background(), opts...)
	if err == nil {
		return nil
	}
	var problems []string
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			problems = append(problems, e.Error())
		}
	} else {
		problems = []string{err.Error()}
	}
	return &InvalidError{Source: d.Source, Problems: problems}
}

// InvalidError is a document that is not valid OpenAPI: each problem names
// its place ("invalid paths: invalid path /pets: invalid operation GET: ...").
type InvalidError struct {
	Source   string
	Problems []string
}

// Error returns one line per problem.
func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = fmt.Sprintf("openapi %q: %s", e.Source, p)
	}
	return strings.Join(lines, "\n")
}
