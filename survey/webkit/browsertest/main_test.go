package browsertest_test

import (
	"testing"

	"accord/survey/webkit/browsertest"
)

// TestMain shares one warm Chromium between the tests, as the packages
// that use the harness do.
func TestMain(m *testing.M) { browsertest.Main(m) }
