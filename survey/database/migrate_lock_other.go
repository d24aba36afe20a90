//go:build !unix

package database

import "context"

// lockFile does nothing where flock is missing: one process migrates the
// embedded database at a time there by the operator's care.
func lockFile(context.Context, string) (func(), error) { return func() {}, nil }
