package app

import (
	"io"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
)

// A request in flight when the stop signal comes is answered in full before the server stops,
// and no new connection is accepted after.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(500 * time.Millisecond)
		io.WriteString(w, "done")
	})
	d := &deps{cfg: config.Config{HTTPAddr: "127.0.0.1:0"}, log: zap.NewNop()}
	srv, err := listen(d, slow)
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.addr

	type answer struct {
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- answer{string(b), err}
	}()
	<-started
	if err := srv.shutdown(5 * time.Second); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if a := <-got; a.err != nil || a.body != "done" {
		t.Fatalf("in-flight request got %q, %v; want the full answer", a.body, a.err)
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Fatal("the server still accepts requests after shutdown")
	}
}
