package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// proxy is a TCP forwarder that a test can cut and restore, to make the database unreachable
// and reachable again without touching the server.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *proxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy listen %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
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
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut closes the listener and every connection through it.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestReadinessFollowsTheDatabase(t *testing.T) {
	raw := storetest.URL(t, config.Postgres)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, addr: "127.0.0.1:0", target: u.Host}
	p.start()
	t.Cleanup(p.cut)
	u.Host = p.addr
	s, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	mustUser(t, s, "officer.bp", "officer@BP")
	status := func() int {
		res, _ := do(t, h, httptest.NewRequest("GET", "/readyz", nil))
		return res.StatusCode
	}
	if got := status(); got != http.StatusOK {
		t.Fatalf("/readyz = %d, want 200", got)
	}
	p.cut()
	for i := range 2 { // the first call may find a pooled connection broken, the second dials
		if got := status(); got != http.StatusServiceUnavailable {
			t.Fatalf("/readyz #%d with the database cut off = %d, want 503", i, got)
		}
	}
	p.start()
	if got := status(); got != http.StatusOK {
		t.Fatalf("/readyz after the database came back = %d, want 200 without a restart", got)
	}
	// Signing in and the pages work again too.
	if res, _ := get(t, h, "/", signIn(t, h, "officer.bp", testPassword)); res.StatusCode != http.StatusOK {
		t.Fatalf("home after recovery = %d", res.StatusCode)
	}
}
