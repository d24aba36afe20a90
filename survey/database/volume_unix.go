//go:build unix

package database

import "syscall"

// volumeFull reports whether the file system holding dir has (almost) no
// room left for an unprivileged writer.
func volumeFull(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	return uint64(st.Bavail)*uint64(st.Bsize) < 64<<10
}
