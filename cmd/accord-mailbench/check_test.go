package main

import (
	"strings"
	"testing"
)

// TestMissingErrorExplainsMax: when Mailpit holds fewer messages than were
// sent (a Mailpit started without --max 0 keeps only its newest 500), the
// tool says so and how to start Mailpit, instead of naming one message
// that "never arrived".
func TestMissingErrorExplainsMax(t *testing.T) {
	err := missingError(9500, 10000, 500, "invitation-0-x@bench.accord.test")
	for _, want := range []string{"only 500 of the 10000 messages sent are in Mailpit", "--max 0", "leave out --smtp and --api"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	err = missingError(1, 10000, 10000, "invitation-7-x@bench.accord.test")
	if strings.Contains(err.Error(), "--max") || !strings.Contains(err.Error(), "invitation-7") {
		t.Errorf("all held but one missing: %v", err)
	}
}
