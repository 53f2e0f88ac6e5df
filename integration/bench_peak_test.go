package integration

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/seed"
	"github.com/skolflow/skolflow/register"
)

var (
	peakShare  = flag.Float64("share", 1, "BenchmarkMorningPeak: the share of the seeded register's classes that register")
	peakWindow = flag.Duration("window", 10*time.Second, "BenchmarkMorningPeak: the window the classes register in")
)

// absentShare is the share of pupils absent on the peak's morning.
const absentShare = 0.07

// lastMorning holds the figures of the last morning BenchmarkMorningPeak ran.
var lastMorning map[string]float64

// BenchmarkMorningPeak is the morning: every class in -share of the seeded register (-scale)
// takes the register of its first lesson, the teachers starting evenly over -window, with 7 % of
// pupils absent. It measures the time from the first registration until every affected custodial
// guardian's notification is stored, and the registrations' latency, and extrapolates to the
// whole city at the same rate (one worker and one Temporal dev server on this machine; the
// notices are what bounds it, so the city's time is its absences over the notice rate).
//
// A morning is one run whatever b.N is: it is a whole morning, not an operation to repeat. The
// testing package calls a benchmark first with b.N = 1 and then, unless -benchtime is 1x, again
// with larger b.N (more than once for a duration); those calls report the first call's morning
// instead of running another (their ns/op means nothing). Use -count for more mornings, each on fresh lessons with other
// pupils absent.
//
//	make bench BENCH=MorningPeak SCALE=district BENCHTIME=1x
func BenchmarkMorningPeak(b *testing.B) {
	report := oneMorning(b, &lastMorning)
	if report == nil {
		return
	}
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	classes, lessons, began := morningLessons(b, s)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	b.ResetTimer()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var latencies []time.Duration
	var absent []string
	start := time.Now()
	for i, c := range classes {
		body, absentees := peakRegister(c)
		absent = append(absent, absentees...)
		wg.Go(func() {
			time.Sleep(time.Duration(float64(*peakWindow) * float64(i) / float64(len(classes))))
			t0 := time.Now()
			if err := takeRegister(client, s, lessons[i], c.token, body); err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			latencies = append(latencies, time.Since(t0))
			mu.Unlock()
		})
	}
	wg.Wait()
	notices, first, last := noticesOf(b, s, absent, began.In(register.SchoolDay).Format(time.DateOnly))
	b.StopTimer()
	allTold := last.Sub(start) // to the last notice's row, not to the poll that saw it

	// The rate notices were stored at, first to last: the worker's and server's own rate when the
	// registrations come faster than it (all told well after the window), otherwise only the
	// rate they came at.
	rate := float64(notices) / last.Sub(first).Seconds()
	city, _ := seed.ScaleNamed("city")
	cityNotices := float64(city.Pupils) * absentShare * float64(notices) / float64(len(absent))
	slices.Sort(latencies)
	cost, sampled := dayCost(b, s, absent, began)
	report(float64(cost.WorkflowTasks)/float64(sampled), "wft/day")
	report(float64(cost.Timers)/float64(sampled), "timers/day")
	report(float64(cost.TimersFired)/float64(sampled), "fired/day")
	report(float64(cost.Activities)/float64(sampled), "activities/day")
	report(float64(len(classes)), "classes")
	report(float64(len(absent)), "absent")
	report(allTold.Seconds(), "all-told-s")
	report(peakWindow.Seconds(), "window-s")
	report(percentileMS(latencies, 0.5), "reg-p50-ms")
	report(percentileMS(latencies, 0.99), "reg-p99-ms")
	report(rate, "notices/s")
	report(cityNotices/rate/60, "city-min")
	b.Logf("%d classes of %s over %v, %d absent: every guardian told after %v (%.1f notices/s stored, saturated: %v); "+
		"the city (%d pupils, 7 %% absent, %.0f notices) at that rate: %.1f min",
		len(classes), *scale, *peakWindow, len(absent), allTold.Round(time.Millisecond), rate, allTold > 2**peakWindow,
		city.Pupils, cityNotices, cityNotices/rate/60)
}

// costSample is how many of the morning's absence days dayCost counts.
const costSample = 50

// dayCost is what the morning's absence days cost the Temporal server, over their whole lives:
// the sum over a sample of the days, evenly spread over the morning's absences, counted once
// each has closed, and the sample's size. Its timer is stopped.
func dayCost(b *testing.B, s *stack, absent []string, began time.Time) (sum serverCost, sampled int) {
	b.StopTimer()
	defer b.StartTimer()
	day := began.In(register.SchoolDay).Format(time.DateOnly)
	n := min(costSample, len(absent))
	for i := range n {
		id := absence.AbsenceDayID(absent[i*len(absent)/n], day)
		closed(b, s, id, s.timings.AbsenceDayLength+5*time.Minute, nil)
		c := costOf(b, s, id)
		sum.WorkflowTasks += c.WorkflowTasks
		sum.Timers += c.Timers
		sum.TimersFired += c.TimersFired
		sum.Activities += c.Activities
		sum.LocalActivities += c.LocalActivities
	}
	return sum, n
}

// oneMorning makes a benchmark of a whole morning run it once whatever b.N is (see
// BenchmarkMorningPeak): it answers how to report a figure of the morning, kept in last, or nil
// when the morning has run already and its figures in last are reported again.
func oneMorning(b *testing.B, last *map[string]float64) (report func(v float64, unit string)) {
	if b.N > 1 && *last != nil {
		for unit, v := range *last {
			b.ReportMetric(v, unit)
		}
		return nil
	}
	figures := map[string]float64{}
	*last = figures
	return func(v float64, unit string) {
		b.ReportMetric(v, unit)
		figures[unit] = v
	}
}

// morningLessons are the first lessons of a morning, begun a minute ago, of every class in
// -share of the seeded register: each class, its lesson, and when the lessons began.
func morningLessons(b *testing.B, s *stack) (classes []seededClass, lessons []string, began time.Time) {
	all := seededClasses(b, s, 0)
	classes = all[:min(len(all), max(1, int(float64(len(all))*(*peakShare))))]
	groups, teachers, starts := make([]string, len(classes)), make([]string, len(classes)), make([]time.Time, len(classes))
	began = startedBefore(time.Now(), time.Minute)
	for i, c := range classes {
		groups[i], teachers[i], starts[i] = c.group, c.teacher, began
	}
	return classes, seededLessons(b, s, groups, teachers, starts), began
}

// takeRegister is a teacher taking the register of a lesson (PUT …/attendance with body): an
// error unless it is taken (200).
func takeRegister(client *http.Client, s *stack, lesson, token string, body []byte) error {
	req, err := http.NewRequest("PUT", s.api.URL+"/api/v1/lessons/"+lesson+"/attendance", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("registration: %d", res.StatusCode)
	}
	return nil
}

// peakRegister is the class's register this morning: 7 % of pupils absent, chosen by a hash
// among those not absent earlier today, the rest present.
func peakRegister(c seededClass) (body []byte, absent []string) {
	in := attendance.RegistrationInput{}
	round := absentSoFar() // another morning of the same process draws other pupils
	for _, p := range c.pupils {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s|%d", p, round)
		status := "present"
		if float64(h.Sum32()%1000) < absentShare*1000 && claimAbsent(p) {
			status, absent = "absent", append(absent, p)
		}
		in.Registrations = append(in.Registrations, attendance.Registration{Person: p, Status: status})
	}
	body, _ = json.Marshal(in)
	return body, absent
}
