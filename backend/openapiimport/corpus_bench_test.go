package openapiimport_test

import (
	"testing"

	"mockgate/backend/openapiimport"
)

// BenchmarkImportLarge imports the corpus's large document (Stripe's: 4.4
// MB, about 500 operations and 870 schemas, circular ones included), load
// and validation included, as `mockgate import openapi` does. The issue's
// budget is under 2 s for a 3 MB document (docs/PERFORMANCE.md).
func BenchmarkImportLarge(b *testing.B) {
	doc := localDocument(b, "testdata/corpus/stripe.yaml.gz")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := openapiimport.ImportFile(doc, openapiimport.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
