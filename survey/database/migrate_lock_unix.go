//go:build unix

package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockFile holds an exclusive flock on the SQLite database file while one
// process migrates it, so that another process starting at the same time
// (a second server, a CLI command beside the server) waits and then finds
// nothing left to do. SQLite's own locks are POSIX record locks, which on
// Linux and the BSDs are independent of flock: this one never blocks a
// reader or writer of the database, only another migrator.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lock %s for migrations: %w", path, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s for migrations: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for another process migrating %s: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
