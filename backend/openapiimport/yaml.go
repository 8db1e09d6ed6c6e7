package openapiimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	yaml "github.com/oasdiff/yaml3"

	"mockgate/backend/profile"
)

// marshal validates the profile, repairing the seed templates validation
// refuses (a field then seeds its type's zero value, in a gap), and
// renders it as readable YAML that profile.Parse reads back.
func (im *importer) marshal() ([]byte, *profile.Profile, error) {
	if len(im.p.Resources) == 0 && len(im.p.Routes) == 0 {
		return nil, nil, fmt.Errorf("no operation can be served (%s: %s)", plural(len(im.ops), "operation"), firstGaps(im.sum.NotMapped, 3))
	}
	// profile.Parse validates what it reads back, so the profile is not
	// validated before: on a large document each validation costs a few
	// hundred milliseconds (every field's schema is compiled).
	for range 3 {
		data, err := im.render()
		if err != nil {
			return nil, nil, err
		}
		p, err := profile.Parse(data, im.p.ID+".yaml")
		if err == nil {
			return data, p, nil
		}
		if !im.repair(err) {
			return nil, nil, fmt.Errorf("the imported profile is not valid or does not read back, which is a bug in the importer: %w", err)
		}
	}
	return nil, nil, fmt.Errorf("the imported profile is still not valid after repairs, which is a bug in the importer")
}

// render writes the profile as readable YAML.
func (im *importer) render() ([]byte, error) {
	js, err := json.Marshal(im.p)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(js, &doc); err != nil {
		return nil, err
	}
	restyle(&doc, 0)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s: a mockgate profile imported from the OpenAPI %s document %s.\n", im.p.ID, im.t.OpenAPI, im.doc.Source)
	b.WriteString("# Edit it freely; `mockgate import openapi` printed what it could not map.\n")
	b.WriteString("#   mockgate serve --profile THIS_FILE\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func firstGaps(gs []Gap, n int) string {
	var parts []string
	for _, g := range gs {
		if !strings.Contains(g.Where, " /") && g.Where != "paths" {
			continue // not about an operation
		}
		if len(parts) == n {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, g.Where+": "+g.Reason)
	}
	if len(parts) == 0 {
		return "the document has no operations"
	}
	return strings.Join(parts, "; ")
}

var fakePathRE = regexp.MustCompile(`^resources\[(\d+)\]\.fields\[(\d+)\]\.fake$`)

// repair clears every seed template validation refused; false when err
// has another problem.
func (im *importer) repair(err error) bool {
	var ve *profile.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, pr := range ve.Problems {
		m := fakePathRE.FindStringSubmatch(pr.Path)
		if m == nil {
			return false
		}
		i, _ := strconv.Atoi(m[1])
		j, _ := strconv.Atoi(m[2])
		f := &im.p.Resources[i].Fields[j]
		im.gap(im.p.Resources[i].Name+"."+f.Name, "no seed template fits it (%s): it is seeded empty", pr.Msg)
		f.Fake = ""
	}
	return true
}

// restyle turns the JSON's flow style into block style, keeping short
// mappings of scalars (a field, a scope, an error kind) on one line, and
// drops the quotes YAML does not need.
func restyle(n *yaml.Node, depth int) {
	for _, c := range n.Content {
		restyle(c, depth+1)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch {
		case n.Tag != "!!str":
		case strings.Contains(strings.TrimRight(n.Value, "\n"), "\n") && !strings.ContainsAny(n.Value, "\t\r") && strings.TrimSpace(n.Value) == n.Value:
			n.Style = yaml.LiteralStyle // a paragraph, as written
		default:
			n.Style = 0 // the encoder quotes what would read as another type
		}
	case yaml.MappingNode, yaml.SequenceNode:
		n.Style = 0
		if compact(n) {
			n.Style = yaml.FlowStyle
		}
	}
}

// compact says whether a mapping or list of scalars fits on one line.
func compact(n *yaml.Node) bool {
	width := 0
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return false
		}
		width += len(c.Value) + 4
	}
	return len(n.Content) > 0 && width <= 90
}
