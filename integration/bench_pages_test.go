package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// BenchmarkRegisterPage measures the teacher's register page against the API's own register
// calls, on the seeded register of -scale, with -teachers (50) teachers at once, each taking the
// registers of their own class's lessons, a fresh lesson every time.
//
// One operation is one lesson's register taken twice over, by the same teacher with the same
// pupils absent and late, on two fresh lessons of the same class:
//
//   - through the API, as a client program would: GET the lesson (its pupils and the register's
//     version), GET its attendance, then PUT the registrations with that version (bearer token);
//   - through the page, as a browser would: GET /lessons/:id/register (the same two API calls,
//     made in the process, and the page rendered), then POST the form (the same PUT, made in the
//     process, and a redirect), with a session cookie and its CSRF token.
//
// The phases alternate in rounds within one run (API first in even rounds, the page first in
// odd), so the machine's state weighs on both alike. It reports each phase's view (the GETs) and
// submit (the write) p50 and p99, and page-overhead-%: how much more the page's view and submit
// take, in mean latency, than the API's. The goal is under 20 %. Every lesson's rows are counted
// after the run.
//
//	make bench BENCH=RegisterPage BENCHTIME=1000x
func BenchmarkRegisterPage(b *testing.B) {
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	classes := seededClasses(b, s, *teachers)
	nt := len(classes)
	registers := benchRegisters(classes, b.N)
	apiLessons := benchLessons(b, s, classes, registers)
	pageLessons := benchLessons(b, s, classes, registers)
	sessions := make([]*page, nt)
	for t, c := range classes {
		sessions[t] = s.browseAs(b, c.principal)
	}
	transport := &http.Transport{MaxIdleConns: 2 * nt, MaxIdleConnsPerHost: 2 * nt}
	defer transport.CloseIdleConnections()
	api := &http.Client{Transport: transport}
	for _, p := range sessions {
		p.c.Transport = transport
	}

	// Each side's view (the GETs) of lesson i; what follows it in the operation is the submit.
	apiViews, pageViews := make([]time.Duration, b.N), make([]time.Duration, b.N)
	pages, apis := alternate(b, nt, func(page bool, t, i int) error {
		if page {
			return pageLessons[i].viaPage(sessions[t], s.api.URL, &pageViews[i])
		}
		return apiLessons[i].viaAPI(api, s.api.URL, classes[t].token, &apiViews[i])
	})
	var apiView, apiSubmit, pageView, pageSubmit []time.Duration
	for k, i := range pages.Ops {
		pageView, pageSubmit = append(pageView, pageViews[i]), append(pageSubmit, pages.Lat[k]-pageViews[i])
	}
	for k, i := range apis.Ops {
		apiView, apiSubmit = append(apiView, apiViews[i]), append(apiSubmit, apis.Lat[k]-apiViews[i])
	}

	for _, set := range [][]benchLesson{apiLessons, pageLessons} {
		want := 0
		for _, l := range set {
			want += len(l.regs)
		}
		if got := s.count(`SELECT count(*) FROM attendance WHERE lesson_id = ANY($1::uuid[])`, lessonIDs(set)); got != want {
			b.Fatalf("%d attendance rows, want %d", got, want)
		}
	}
	overhead := (mean(pageView)+mean(pageSubmit))/(mean(apiView)+mean(apiSubmit))*100 - 100
	b.ReportMetric(percentileMS(apiView, 0.5), "api-view-p50-ms")
	b.ReportMetric(percentileMS(apiView, 0.99), "api-view-p99-ms")
	b.ReportMetric(percentileMS(pageView, 0.5), "page-view-p50-ms")
	b.ReportMetric(percentileMS(pageView, 0.99), "page-view-p99-ms")
	b.ReportMetric(percentileMS(apiSubmit, 0.5), "api-submit-p50-ms")
	b.ReportMetric(percentileMS(apiSubmit, 0.99), "api-submit-p99-ms")
	b.ReportMetric(percentileMS(pageSubmit, 0.5), "page-submit-p50-ms")
	b.ReportMetric(percentileMS(pageSubmit, 0.99), "page-submit-p99-ms")
	b.ReportMetric(overhead, "page-overhead-%")
	b.Logf("%d lessons by %d teachers in each phase; the page takes %.1f %% more than the API (goal: under 20 %%)", b.N, nt, overhead)
}

func mean(d []time.Duration) float64 {
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return float64(sum) / float64(max(len(d), 1))
}

// viaAPI takes the lesson's register through the API, as a client program would; view is the
// time of the two reads.
func (l benchLesson) viaAPI(c *http.Client, base, token string, view *time.Duration) error {
	start := time.Now()
	var lesson struct {
		Version string `json:"version"`
	}
	if err := apiCall(c, "GET", base+"/api/v1/lessons/"+l.id, token, nil, &lesson); err != nil {
		return err
	}
	if err := apiCall(c, "GET", base+"/api/v1/lessons/"+l.id+"/attendance", token, nil, nil); err != nil {
		return err
	}
	*view = time.Since(start)
	body, err := json.Marshal(map[string]any{"registrations": l.regs, "basedOn": lesson.Version})
	if err != nil {
		return err
	}
	return apiCall(c, "PUT", base+"/api/v1/lessons/"+l.id+"/attendance", token, body, nil)
}

func apiCall(c *http.Client, method, url, token string, body []byte, out any) error {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 { // 200, or 201 for what a request creates
		return fmt.Errorf("%s %s: %d %s", method, url, res.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

var registerVersion = regexp.MustCompile(`name="version" value="([^"]*)"`)

// viaPage takes the lesson's register through its page, as a browser would (without following
// the redirect after the form); view is the time of the page's GET.
func (l benchLesson) viaPage(p *page, base string, view *time.Duration) error {
	start := time.Now()
	path := base + "/lessons/" + l.id + "/register"
	res, err := p.c.Get(path)
	if err != nil {
		return err
	}
	html, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", path, res.StatusCode)
	}
	*view = time.Since(start)
	token, version := csrfInput.FindSubmatch(html), registerVersion.FindSubmatch(html)
	if token == nil || version == nil {
		return fmt.Errorf("the register page of %s has no form", l.id)
	}
	form := url.Values{"csrf": {string(token[1])}, "version": {string(version[1])}}
	for k, r := range l.regs {
		field := "registrations/" + strconv.Itoa(k) + "/"
		form.Set(field+"person", r.Person)
		form.Set(field+"status", r.Status)
		if r.Status == "late" {
			form.Set(field+"minutesLate", strconv.Itoa(r.MinutesLate))
		}
	}
	res, err = p.c.PostForm(path, form)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("POST %s: %d", path, res.StatusCode)
	}
	return nil
}
