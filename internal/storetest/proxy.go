package storetest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy is a TCP forwarder to a PostgreSQL server that a test can cut and restore, to make
// the database unreachable and reachable again without touching the server: the program
// under test is given URL in place of the database's own.
type Proxy struct {
	// URL is the database URL with the proxy's address in place of the server's.
	URL string

	tb     testing.TB
	addr   string // the proxy's address, the same after a Restore
	target string

	mu    sync.Mutex
	ln    net.Listener // nil while cut
	conns []net.Conn
}

// NewProxy starts a proxy to the server of databaseURL (a postgres:// URL); it is cut when
// the test ends.
func NewProxy(tb testing.TB, databaseURL string) *Proxy {
	tb.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		tb.Fatalf("proxy: %v", err)
	}
	p := &Proxy{tb: tb, addr: "127.0.0.1:0", target: u.Host}
	p.Restore()
	u.Host = p.addr
	p.URL = u.String()
	tb.Cleanup(p.Cut)
	return p
}

// Restore makes the database reachable again through the proxy, on the same address.
// Restoring a proxy that is not cut does nothing.
func (p *Proxy) Restore() {
	p.tb.Helper()
	p.mu.Lock()
	open := p.ln != nil
	p.mu.Unlock()
	if open {
		return
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.tb.Fatalf("proxy listen %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go p.serve(ln)
}

func (p *Proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.ln != ln { // cut while dialling
			p.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

// Cut makes the database unreachable through the proxy: new connections are refused and
// every open one is closed. Cutting a cut proxy does nothing.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return
	}
	p.ln.Close()
	p.ln = nil
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
