package journal

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"mockgate/backend/clock"
)

// responseBody is a page of 20 users, about 2.6 KB: the common endpoint of
// the performance bar.
var responseBody = func() string {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range 20 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"User %03d","email":"user%03d@example.com","role":"member"}`, i+1, i+1, i+1)
	}
	b.WriteString(`],"page":1,"pageSize":20,"total":1000}`)
	for b.Len() < 2600 {
		b.WriteByte(' ')
	}
	return b.String()
}()

func requestHeader() http.Header {
	return http.Header{
		"Authorization":   {"Bearer jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"},
		"User-Agent":      {"wrk/4.2.0"},
		"Accept":          {"application/json"},
		"Accept-Encoding": {"gzip, deflate"},
		"Connection":      {"keep-alive"},
		"X-Request-Id":    {"6f1c2f0e-8d7b-4b8a-9d0a-2c6e7f1b3a55"},
	}
}

func responseHeader() http.Header {
	return http.Header{
		"Content-Type":           {"application/json"},
		"Ratelimit-Limit":        {"100"},
		"Ratelimit-Remaining":    {"99"},
		"Ratelimit-Reset":        {"60"},
		"X-Content-Type-Options": {"nosniff"},
	}
}

func realisticEntry() Entry {
	return Entry{
		Summary: Summary{
			Time: time.Now(), API: "journeybee", Method: "GET", Path: "/v1/users", Query: "page=1&pageSize=20",
			Status: 200, KeyID: "0b5c6c1e-1d2e-4f00-9abc-0123456789ab", KeyName: "load test", KeyMasked: "jb_live_AbCd…aBcD",
			LatencyMicros: 42,
		},
		RemoteAddr:      "127.0.0.1:53412",
		RequestHeaders:  MaskHeaders(requestHeader(), nil),
		ResponseHeaders: MaskHeaders(responseHeader(), nil),
		ResponseBody:    responseBody,
		Trace:           []string{"route GET /v1/users → list user", "key jb_live_AbCd…aBcD active", "scope read ok", "rate 1/100"},
	}
}

func BenchmarkAdd(b *testing.B) {
	j := New(DefaultCapacity, &memPersister{}, clock.Real{})
	e := realisticEntry()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			j.Add(e)
		}
	})
}

// BenchmarkAddWithSubscriber is Add while the GUI streams the log.
func BenchmarkAddWithSubscriber(b *testing.B) {
	j := New(DefaultCapacity, nil, clock.Real{})
	ch, cancel := j.Subscribe(256)
	defer cancel()
	go func() {
		for range ch {
		}
	}()
	e := realisticEntry()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			j.Add(e)
		}
	})
}

// BenchmarkLogRequest is everything the engine does per request to log it:
// mask both header sets and the query, copy the body, Add.
func BenchmarkLogRequest(b *testing.B) {
	j := New(DefaultCapacity, nil, clock.Real{})
	reqH, respH := requestHeader(), responseHeader()
	body := []byte(responseBody)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e := Entry{Summary: Summary{API: "journeybee", Method: "GET", Path: "/v1/users", Status: 200}}
			e.Query = MaskQuery("page=1&pageSize=20", nil)
			e.RequestHeaders = MaskHeaders(reqH, nil)
			e.ResponseHeaders = MaskHeaders(respH, nil)
			e.ResponseBody, e.BodyTruncated = TruncateBody(body)
			j.Add(e)
		}
	})
}

func BenchmarkMaskHeaders(b *testing.B) {
	h := requestHeader()
	b.ReportAllocs()
	for b.Loop() {
		_ = MaskHeaders(h, []string{"X-Company-Key"})
	}
}

func BenchmarkMaskSecret(b *testing.B) {
	v := "Bearer eudr_live_0123456789abcdef0123456789abcdef0123456789abcdef"
	b.ReportAllocs()
	for b.Loop() {
		_ = MaskSecret(v)
	}
}

func BenchmarkMaskQuery(b *testing.B) {
	for _, q := range []string{"page=1&pageSize=20", "limit=1&api_key=jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"} {
		b.Run(q[:12], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = MaskQuery(q, nil)
			}
		})
	}
}

func BenchmarkQuery(b *testing.B) {
	j := New(DefaultCapacity, nil, clock.Real{})
	for i := range DefaultCapacity {
		e := realisticEntry()
		e.Status = 200 + i%3*100
		j.Add(e)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = j.Query(Filter{StatusClass: 4, Limit: 100})
	}
}
