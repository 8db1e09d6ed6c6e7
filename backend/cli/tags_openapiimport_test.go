//go:build openapiimport

package cli_test

// buildTags are the tags this test binary was built with that add
// commands: TestMain builds the mockgate and genman binaries with the same,
// so the trees they show match the one in process.
const buildTags = "openapiimport"
