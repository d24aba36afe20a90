package web_test

import (
	"testing"

	"accord/survey/webkit/browsertest"
)

// TestMain shares one warm Chromium between the browser tests.
func TestMain(m *testing.M) { browsertest.Main(m) }
