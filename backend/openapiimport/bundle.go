package openapiimport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "github.com/oasdiff/yaml3"
)

// A profile keeps its vendor's document as one self-contained JSON
// document (profile.OpenAPI.Source): that is what the engine serves at the
// API's /openapi.json and validates requests against, and what mockgate
// stores beside a profile imported through the admin API. A single-file
// document is its own text as JSON, in the vendor's order, so the served
// document is the vendor's and not a re-generation; only a multi-file one
// goes through kin-openapi, whose InternalizeRefs copies the other files'
// parts into components.

// LoadFileBundled loads the document at path (as LoadFile) and returns it
// with its self-contained JSON. Its validation may still be running
// (loadOverlapped): Import waits for it; any other use must call Wait.
func LoadFileBundled(path string) (*Document, []byte, error) {
	data, abs, err := readDocument(path)
	if err != nil {
		return nil, nil, err
	}
	return loadBundled(data, path, abs, filepath.Dir(abs))
}

// LoadBundled loads a document from data (as Load) and returns it with its
// JSON: a document without a folder refers to no other file. As with
// LoadFileBundled, Import or Wait gives its validation's result.
func LoadBundled(data []byte, name string) (*Document, []byte, error) {
	if len(data) > MaxDocument {
		return nil, nil, fmt.Errorf("openapi %q: the document is %d bytes; at most %d are read", name, len(data), MaxDocument)
	}
	return loadBundled(data, name, "", "")
}

func loadBundled(data []byte, name, abs, dir string) (*Document, []byte, error) {
	doc, err := loadOverlapped(data, name, abs)
	if err != nil {
		return nil, nil, err
	}
	js, err := doc.bundle(data, dir)
	if err != nil {
		if verr := doc.Wait(); verr != nil {
			return nil, nil, verr // the document's own problems first
		}
		return nil, nil, err
	}
	return doc, js, nil
}

// bundle returns the document whose text is data as self-contained JSON;
// dir is its folder ("" without one).
func (d *Document) bundle(data []byte, dir string) ([]byte, error) {
	js, err := YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("openapi %q: %w", d.Source, err)
	}
	if !hasFileRef(js) {
		return js, nil
	}
	if err := d.Wait(); err != nil { // InternalizeRefs writes the document the validation reads
		return nil, err
	}
	d.T.InternalizeRefs(context.Background(), refNamer(dir))
	out, err := json.Marshal(d.T)
	if err != nil {
		return nil, fmt.Errorf("openapi %q: bundling its files into one document: %w", d.Source, err)
	}
	if hasFileRef(out) {
		return nil, fmt.Errorf("openapi %q: a $ref to another file is left after bundling its files into one document", d.Source)
	}
	return out, nil
}

// refNamer names the component a part of another file becomes: its path
// from the document's folder without the extension, then the last part of
// its fragment ("schemas/params.yaml#/Limit" → "schemas_params_Limit"), so
// two files' parts never share a name. kin-openapi's default namer loops
// for ever on a document read from an absolute path (v0.152).
func refNamer(dir string) openapi3.RefNameResolver {
	return func(_ *openapi3.T, ref openapi3.ComponentRef) string {
		u := ref.RefPath()
		if u == nil {
			return "ref"
		}
		file := filepath.FromSlash(u.Path)
		if rel, err := filepath.Rel(dir, file); err == nil && dir != "" {
			file = rel
		}
		file = strings.TrimSuffix(filepath.ToSlash(file), path.Ext(file))
		name := file
		if frag := strings.Trim(u.Fragment, "/"); frag != "" {
			name += "_" + frag[strings.LastIndexByte(frag, '/')+1:]
		}
		return strings.Trim(openapi3.InvalidIdentifierCharRegExp.ReplaceAllString(name, "_"), "_")
	}
}

// IsDocument says whether src (YAML or JSON) is an OpenAPI document rather
// than a mockgate profile: its top level has an "openapi" version string (a
// profile's "openapi" is an object naming its document).
func IsDocument(src []byte) bool {
	var top map[string]yaml.Node
	if yaml.Unmarshal(src, &top) != nil {
		return false
	}
	v, ok := top["openapi"]
	return ok && v.Kind == yaml.ScalarNode
}

// hasFileRef says whether a JSON document has a $ref that is not within
// itself (not "#...").
func hasFileRef(js []byte) bool {
	var v any
	if json.Unmarshal(js, &v) != nil {
		return false
	}
	return fileRef(v)
}

func fileRef(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["$ref"].(string); ok && !strings.HasPrefix(r, "#") {
			return true
		}
		for _, c := range x {
			if fileRef(c) {
				return true
			}
		}
	case []any:
		for _, c := range x {
			if fileRef(c) {
				return true
			}
		}
	}
	return false
}

// YAMLToJSON converts a YAML (or JSON) document to compact JSON, keeping
// the order of every mapping's keys (sigs.k8s.io/yaml sorts them).
// Anchors and aliases are expanded; a key that is not a string (a YAML
// integer such as a response status 200) is written as its text.
func YAMLToJSON(data []byte) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("not valid YAML or JSON: %w", err)
	}
	var b bytes.Buffer
	if err := nodeJSON(&b, &n, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxJSONDepth bounds nesting (and alias expansion), so a hostile document
// cannot exhaust the stack.
const maxJSONDepth = 512

func nodeJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("line %d: nested more than %d levels deep", n.Line, maxJSONDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return nodeJSON(b, n.Content[0], depth+1)
	case yaml.AliasNode:
		return nodeJSON(b, n.Alias, depth+1)
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := nodeJSON(b, c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case yaml.MappingNode:
		b.WriteByte('{')
		seen := map[string]bool{}
		first := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			for k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a mapping key that is not a scalar", k.Line)
			}
			if k.Tag == "!!merge" {
				return fmt.Errorf("line %d: YAML merge keys (<<) are not read in an OpenAPI document", k.Line)
			}
			if seen[k.Value] {
				return fmt.Errorf("line %d: the key %q appears twice", k.Line, k.Value)
			}
			seen[k.Value] = true
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeString(b, k.Value)
			b.WriteByte(':')
			if err := nodeJSON(b, v, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case yaml.ScalarNode:
		return scalarJSON(b, n)
	}
	return fmt.Errorf("line %d: a YAML node of an unknown kind", n.Line)
}

// scalarJSON writes a scalar by its resolved tag: a number stays the
// number written (JSON's own text when it is one), YAML's other spellings
// (0x1F, 1_000, .inf) become their value or, when JSON has none, a string.
func scalarJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b.WriteString(strconv.FormatBool(v))
	case "!!int", "!!float":
		if json.Valid([]byte(n.Value)) {
			b.WriteString(n.Value)
			return nil
		}
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			writeString(b, n.Value)
			return nil
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	default: // !!str, !!binary, !!timestamp and custom tags: the text
		writeString(b, n.Value)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	js, _ := json.Marshal(s) // a string always marshals
	b.Write(js)
}
