package instance_test

import (
	"compress/gzip"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"mockgate/backend/instance"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

// stripeDocument is the corpus's largest document (docs/PERFORMANCE.md,
// "OpenAPI import").
const stripeDocument = "../openapiimport/testdata/corpus/stripe.yaml.gz"

// importStripe imports Stripe's document as serve --openapi does.
func importStripe(b *testing.B) *profile.Profile {
	b.Helper()
	f, err := os.Open(stripeDocument)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	doc, js, err := openapiimport.LoadBundled(data, "stripe.yaml")
	if err != nil {
		b.Fatal(err)
	}
	res, err := openapiimport.Import(doc, openapiimport.Options{Document: "stripe.yaml"})
	if err != nil {
		b.Fatal(err)
	}
	res.Profile.OpenAPI.Source, res.Profile.OpenAPI.Parsed = js, doc.T
	return res.Profile
}

// BenchmarkOpenImported measures what serve --openapi adds after the
// import: opening the store, seeding the imported API's records and
// building its engine (issue 8: the first answer within 1 s of launch).
func BenchmarkOpenImported(b *testing.B) {
	p := importStripe(b)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	b.ReportAllocs()
	for b.Loop() {
		s, err := instance.Open(instance.Config{
			DataDir: filepath.Join(b.TempDir()), APIs: []string{"jelou"},
			Profiles: []*profile.Profile{p}, Logger: logger,
		})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
