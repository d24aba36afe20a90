package databasetest

import (
	"context"
	"net"
	"net/url"
	"sync"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database"
)

// Proxy is a TCP proxy in front of a database server that a test can cut
// (connections dropped, new ones refused at once, like a host that went
// away) or stall (connections held open but nothing forwarded, like a
// database that stopped answering), and then restore.
type Proxy struct {
	// Addr is the proxy's host:port.
	Addr   string
	target string

	mu      sync.Mutex
	changed *sync.Cond // signalled when state changes
	state   proxyState
	conns   map[net.Conn]struct{}
}

type proxyState int

const (
	forwarding proxyState = iota
	cutOff
	stalled
)

// NewProxy starts a proxy to target (host:port) that lives as long as tb.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, conns: map[net.Conn]struct{}{}}
	p.changed = sync.NewCond(&p.mu)
	tb.Cleanup(func() { ln.Close(); p.Cut() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(in)
		}
	}()
	return p
}

// serve forwards one client connection, waiting while the proxy is stalled.
func (p *Proxy) serve(in net.Conn) {
	if !p.track(in) || !p.wait() {
		in.Close()
		return
	}
	out, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(out) {
		in.Close()
		return
	}
	go p.pipe(out, in)
	go p.pipe(in, out)
}

// track registers c so that Cut closes it; false when the proxy is cut.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == cutOff {
		c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

// wait blocks while the proxy is stalled; false when it was cut meanwhile.
func (p *Proxy) wait() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.state == stalled {
		p.changed.Wait()
	}
	return p.state == forwarding
}

// pipe copies from src to dst, holding each chunk while the proxy is stalled.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.wait() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) set(s proxyState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
	if s == cutOff {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
	p.changed.Broadcast()
}

// Cut drops every connection and refuses new ones until Restore.
func (p *Proxy) Cut() { p.set(cutOff) }

// Stall keeps connections open but forwards nothing until Restore (or Cut).
func (p *Proxy) Stall() { p.set(stalled) }

// Restore forwards again.
func (p *Proxy) Restore() { p.set(forwarding) }

// Proxied returns target with its PostgreSQL host replaced by a new Proxy in
// front of it, and the proxy.
func Proxied(tb testing.TB, target database.Target) (database.Target, *Proxy) {
	tb.Helper()
	u, err := url.Parse(target.DSN)
	if err != nil || target.Dialect != database.Postgres {
		tb.Fatalf("Proxied needs a PostgreSQL target, got %s", target.Dialect)
	}
	p := NewProxy(tb, u.Host)
	u.Host = p.Addr
	return database.Target{Dialect: target.Dialect, DSN: u.String()}, p
}

// OpenTarget opens target (without migrating it) and closes it when tb ends.
func OpenTarget(tb testing.TB, target database.Target) *gorm.DB {
	tb.Helper()
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		tb.Fatalf("open %s: %v", target.Dialect, err)
	}
	tb.Cleanup(func() { database.Close(db) })
	return db
}
