package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// tokenPool hands out each respondent link once, then wraps around so a long
// run keeps going (as answer changes) rather than stopping.
type tokenPool struct {
	tokens []string
	next   atomic.Int64
}

func newTokenPool(tokens []string) *tokenPool { return &tokenPool{tokens: tokens} }

func (p *tokenPool) take() string {
	i := p.next.Add(1) - 1
	return p.tokens[int(i)%len(p.tokens)]
}

func (p *tokenPool) reused() int64 { return max(0, p.next.Load()-int64(len(p.tokens))) }

// result of one load level.
type result struct {
	elapsed   time.Duration
	latencies []time.Duration // one per successful respondent: GET form, POST answers, GET thank-you page
	errors    int
	firstErr  string
}

func (r result) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

func (r result) print(out io.Writer, label string, clients int) {
	slices.Sort(r.latencies)
	fmt.Fprintf(out, "%-10s %8d %10d %9.0f %9s %9s %9s %7d\n", label, clients, len(r.latencies), r.rate(),
		pct(r.latencies, 50), pct(r.latencies, 95), pct(r.latencies, 99), r.errors)
	if r.firstErr != "" {
		fmt.Fprintf(out, "%-10s first error: %s\n", "", r.firstErr)
	}
}

func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	d := sorted[(len(sorted)-1)*p/100]
	return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
}

// drive runs clients virtual respondents in parallel for d, sharing client.
func drive(ctx context.Context, client *fasthttp.Client, base string, pool *tokenPool, clients int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu  sync.Mutex
		all result
		wg  sync.WaitGroup
	)
	start := time.Now()
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBrowser(client, rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano()))))
			var mine result
			for ctx.Err() == nil {
				t0 := time.Now()
				err := b.respond(ctx, base, pool.take())
				if ctx.Err() != nil {
					break // cut off by the end of the run, not a server error
				}
				if err != nil {
					mine.errors++
					if mine.firstErr == "" {
						mine.firstErr = err.Error()
					}
					continue
				}
				mine.latencies = append(mine.latencies, time.Since(t0))
			}
			mu.Lock()
			all.latencies = append(all.latencies, mine.latencies...)
			all.errors += mine.errors
			if all.firstErr == "" {
				all.firstErr = mine.firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all
}

var comments = []string{"", "", "", "Share the roadmap with sales earlier.", "A single intake process for customer requests."}

// browser is one client's virtual browser. It is reused from respondent
// to respondent, as are its connection and buffers, but each respondent
// starts without cookies: the form's cookies (the CSRF one) are carried to
// its submit by hand. The load generator shares the machine with the
// server it measures, so it uses fasthttp's client, which does a request
// on the calling goroutine with reused buffers: net/http's cost it about
// a quarter of all the CPU a respondent took.
type browser struct {
	client  *fasthttp.Client
	req     fasthttp.Request
	resp    fasthttp.Response
	form    fasthttp.Args
	cookie  fasthttp.Cookie
	cookies [][2][]byte
	thanks  []byte // the thank-you page's URL
	rng     *rand.Rand
}

func newBrowser(client *fasthttp.Client, rng *rand.Rand) *browser {
	return &browser{client: client, rng: rng}
}

// newClient is the HTTP client the virtual browsers of one level share.
func newClient(clients int) *fasthttp.Client {
	return &fasthttp.Client{MaxConnsPerHost: clients, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		MaxIdleConnDuration: time.Minute}
}

// respond is one respondent, as a browser does it: it loads the form,
// submits it with an answer for every radio group and text field it finds,
// and follows the 303 to the thank-you page.
func (b *browser) respond(ctx context.Context, base, token string) error {
	link := base + "/s/" + token
	b.req.Reset()
	b.req.SetRequestURI(link)
	if err := b.client.DoTimeout(&b.req, &b.resp, 30*time.Second); err != nil {
		return err
	}
	if status := b.resp.StatusCode(); status != http.StatusOK {
		return fmt.Errorf("GET form: status %d", status)
	}
	page := parseForm(b.resp.Body())
	if len(page.choices) == 0 {
		return fmt.Errorf("GET form: no questions found")
	}
	b.cookies = b.cookies[:0]
	for _, v := range b.resp.Header.Cookies() { // each value is a whole Set-Cookie header
		if b.cookie.ParseBytes(v) == nil {
			b.cookies = append(b.cookies, [2][]byte{append([]byte(nil), b.cookie.Key()...), append([]byte(nil), b.cookie.Value()...)})
		}
	}
	b.form.Reset()
	for name, value := range page.hidden {
		b.form.Add(name, value)
	}
	for name, values := range page.choices {
		b.form.Add(name, values[b.rng.IntN(len(values))])
	}
	for _, name := range page.texts {
		b.form.Add(name, comments[b.rng.IntN(len(comments))])
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	b.req.Reset()
	b.req.SetRequestURI(link)
	b.req.Header.SetMethod(http.MethodPost)
	b.req.Header.SetContentType("application/x-www-form-urlencoded")
	for _, kv := range b.cookies {
		b.req.Header.SetCookieBytesKV(kv[0], kv[1])
	}
	b.req.SetBody(b.form.QueryString())
	if err := b.client.DoTimeout(&b.req, &b.resp, 30*time.Second); err != nil {
		return err
	}
	if status := b.resp.StatusCode(); status != http.StatusSeeOther {
		return fmt.Errorf("POST answers: status %d", status)
	}
	// A browser follows the redirect at once: the thank-you page is part
	// of every respondent's visit.
	location := b.resp.Header.Peek("Location")
	if len(location) == 0 {
		return fmt.Errorf("POST answers: 303 without a Location")
	}
	b.thanks = b.thanks[:0]
	if location[0] == '/' {
		b.thanks = append(b.thanks, base...)
	}
	b.thanks = append(b.thanks, location...)
	b.req.Reset()
	b.req.SetRequestURIBytes(b.thanks)
	for _, kv := range b.cookies {
		b.req.Header.SetCookieBytesKV(kv[0], kv[1])
	}
	if err := b.client.DoTimeout(&b.req, &b.resp, 30*time.Second); err != nil {
		return err
	}
	if status := b.resp.StatusCode(); status != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", b.thanks, status)
	}
	return nil
}
