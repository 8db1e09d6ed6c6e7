package openapiimport

import (
	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/sample"
)

// GenerateValue exposes the importer's value generator to the corpus test,
// which fills parameters and request bodies the way the importer fills
// answers.
var GenerateValue = generate

// GenerateRequest is the generator as a request body needs it (no
// readOnly property), for the corpus test's bodies and parameters.
func GenerateRequest(r *openapi3.SchemaRef) any { return sample.RequestValue(r) }

// IndistinguishableOneOf lets the corpus test take the failures of a oneOf
// the summary says cannot be satisfied.
var IndistinguishableOneOf = unsatisfiableOneOf
