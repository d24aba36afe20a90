package account

import (
	"testing"

	"github.com/alexedwards/argon2id"
)

// TestDummyHashCostsWhatARealOneCosts: a login for an unknown email
// compares against dummyHash, which must cost what a real hash costs or the
// time of a failed login tells whether an account exists.
func TestDummyHashCostsWhatARealOneCosts(t *testing.T) {
	params, _, _, err := argon2id.DecodeHash(dummyHash)
	if err != nil {
		t.Fatalf("dummyHash does not decode: %v", err)
	}
	real := argon2id.DefaultParams
	if params.Memory != real.Memory || params.Iterations != real.Iterations || params.KeyLength != real.KeyLength {
		t.Errorf("dummyHash params %+v, want those of argon2id.DefaultParams %+v", params, real)
	}
	if ok, err := argon2id.ComparePasswordAndHash("not a real password", dummyHash); err != nil || !ok {
		t.Errorf("dummyHash does not verify its own password: %v, %v", ok, err)
	}
}
