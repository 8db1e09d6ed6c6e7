package profile

import (
	"bytes"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// FormMedia is the media type of a form body.
const FormMedia = "application/x-www-form-urlencoded"

// FormBody is the form media type of an imported operation's request body
// when the engine takes it: the document takes the body as a form whose
// schema is an object (the engine then reads the form as the equivalent
// JSON object); nil otherwise. The importer names in its summary the
// operations whose form is not taken. It is the one definition of that
// rule, shared by the engine and the importer.
func FormBody(op *openapi3.Operation) *openapi3.MediaType {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get(FormMedia)
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || !mt.Schema.Value.Type.Is("object") {
		return nil
	}
	return mt
}

// DecodeForm decodes a form body per the document's media type: its
// schema gives the values' types, its encodings the nesting (deepObject:
// "a[b]=c"). kin-openapi's decoder reads what it can (every encoding
// style); a form it refuses for its schema (objects in arrays, as
// Stripe's "tiers[0][up_to]=inf") is read as bracketed keys.
func DecodeForm(mt *openapi3.MediaType, header http.Header, data []byte) (map[string]any, error) {
	dec := openapi3filter.RegisteredBodyDecoder(FormMedia)
	enc := func(name string) *openapi3.Encoding { return mt.Encoding[name] }
	// The decoder refuses a schema it cannot decode before it reads a byte.
	if _, err := dec(bytes.NewReader(nil), header, mt.Schema, enc); err != nil {
		return decodeBrackets(data, mt.Schema)
	}
	v, err := dec(bytes.NewReader(data), header, mt.Schema, enc)
	if err != nil {
		return nil, err
	}
	obj, _ := v.(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	return obj, nil
}

// IsForm says whether a media type (a Content-Type) is a form's;
// parameters are ignored.
func IsForm(mt string) bool {
	t, _, err := mime.ParseMediaType(mt)
	return err == nil && t == FormMedia
}

// OperationParams are an operation's parameters: its own, then the path
// item's it does not override (by place and name; a header's name in any
// case, as HTTP compares them). The one definition of that rule, shared
// by the importer and the engine's request checks.
func OperationParams(item, op openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	seen := map[string]bool{}
	for _, list := range []openapi3.Parameters{op, item} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			name := ref.Value.Name
			if ref.Value.In == openapi3.ParameterInHeader {
				name = strings.ToLower(name)
			}
			if k := ref.Value.In + " " + name; !seen[k] {
				seen[k] = true
				out = append(out, ref.Value)
			}
		}
	}
	return out
}
