//go:build !openapiimport

package cli_test

// buildTags: see tags_openapiimport_test.go.
const buildTags = ""
