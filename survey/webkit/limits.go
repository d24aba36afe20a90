package webkit

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Request bodies must arrive at a minimum rate: BodyGrace for the first
// bytes, then at least BodyMinRate bytes a second on average. A client
// dripping a body byte by byte would otherwise hold a connection and a
// goroutine for as long as it likes; the largest upload (MaxBodyBytes)
// still has over ten minutes at the minimum rate.
const (
	BodyGrace   = 3 * time.Second
	BodyMinRate = 8 << 10 // bytes per second
)

// bodyDeadline moves the connection's read deadline along as the body is
// read: BodyGrace after the request started, plus the time the bytes read
// so far are allowed at BodyMinRate. net/http resets the deadline for the
// next request on the connection.
func bodyDeadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		rc := http.NewResponseController(c.Response().Writer)
		b := &deadlineBody{body: req.Body, rc: rc, start: time.Now()}
		if err := b.extend(); err != nil {
			return next(c) // a writer without deadlines (a test recorder): nothing to move
		}
		req.Body = b
		return next(c)
	}
}

// deadlineBody is a request body that extends the read deadline before each read.
type deadlineBody struct {
	body  io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	read  int64
}

func (b *deadlineBody) extend() error {
	allowed := BodyGrace + time.Duration(float64(b.read)/BodyMinRate*float64(time.Second))
	return b.rc.SetReadDeadline(b.start.Add(allowed))
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	b.extend()
	n, err := b.body.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *deadlineBody) Close() error { return b.body.Close() }

// filesOnly is a file system that opens files but no directory, so that
// the static file server lists nothing: a directory answers 404.
type filesOnly struct{ fs fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.fs.Open(name)
	if err != nil {
		return nil, err
	}
	if info, err := file.Stat(); err != nil || info.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.Join(fs.ErrNotExist, err)}
	}
	return file, nil
}
