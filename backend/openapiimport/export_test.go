package openapiimport

// GenerateValue exposes the importer's value generator to the corpus test,
// which fills parameters and request bodies the way the importer fills
// answers.
var GenerateValue = generate
