// Package static embeds Accord's CSS, scripts and the vendored echarts
// build, so the binary serves them offline (deployments may have no CDN).
//
// It imports nothing; the web packages and the report import it.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

// FS holds every static asset.
//
//go:embed css js vendor favicon.svg
var FS embed.FS

// Version returns a short content hash of every asset, appended to asset
// URLs so browsers may cache them forever and still pick up a new release.
// It is computed on first use, not at start: hashing the assets reads
// every embedded byte (the echarts build alone is 1 MB), which every
// process, even `accord version`, paid for in time and resident memory.
var Version = sync.OnceValue(func() string {
	h := sha256.New()
	fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := FS.ReadFile(path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
})
