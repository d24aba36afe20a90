package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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
	latencies []time.Duration // one per successful respondent: GET form + POST answers
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

// drive runs clients virtual respondents in parallel for d.
func drive(ctx context.Context, base string, pool *tokenPool, clients int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
	defer transport.CloseIdleConnections()
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
			b := newBrowser(transport, rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano()))))
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
// to respondent, as is its connection, but each respondent starts without
// cookies: the form's cookies (the CSRF one) are carried to its submit by
// hand, which costs the load generator less than a cookie jar each time.
type browser struct {
	client *http.Client
	body   bytes.Buffer
	rng    *rand.Rand
}

func newBrowser(transport http.RoundTripper, rng *rand.Rand) *browser {
	return &browser{rng: rng, client: &http.Client{Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// respond is one respondent: it loads the form and submits it with an
// answer for every radio group and text field it finds.
func (b *browser) respond(ctx context.Context, base, token string) error {
	link := base + "/s/" + token
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	b.body.Reset()
	_, err = b.body.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET form: status %d", resp.StatusCode)
	}
	page := parseForm(b.body.Bytes())
	if len(page.choices) == 0 {
		return fmt.Errorf("GET form: no questions found")
	}
	form := url.Values{}
	for name, value := range page.hidden {
		form.Set(name, value)
	}
	for name, values := range page.choices {
		form.Set(name, values[b.rng.IntN(len(values))])
	}
	for _, name := range page.texts {
		form.Set(name, comments[b.rng.IntN(len(comments))])
	}
	cookies := resp.Cookies()
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err = b.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("POST answers: status %d", resp.StatusCode)
	}
	return nil
}
