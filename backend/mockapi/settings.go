package mockapi

import (
	"fmt"

	"mockgate/backend/profile"
)

// Settings are an API's run-time knobs, changed from the GUI or the admin
// API without a restart: CORS and fault injection.
type Settings struct {
	// CORSOrigins allowed to call the API from a browser; "*" allows any,
	// empty sends no CORS headers.
	CORSOrigins []string `json:"corsOrigins"`
	// LatencyMs is added to every request before it is answered.
	LatencyMs int `json:"latencyMs"`
	// ErrorRate is the share of requests (0 to 1) answered 500.
	ErrorRate float64 `json:"errorRate"`
	// ThrottleRate is the share of requests (0 to 1) answered 429.
	ThrottleRate float64 `json:"throttleRate"`
	// IgnorePrefer turns off the Prefer header (code=NNN, latency=MS):
	// requests that send one are answered as if they did not.
	IgnorePrefer bool `json:"ignorePrefer"`
}

// SettingsStore keeps an API's run-time settings across restarts (implemented by *store.Store).
type SettingsStore interface {
	LoadSettings(api string) (Settings, bool, error)
	SaveSettings(api string, s Settings) error
}

// MaxLatencyMs bounds the injected latency.
const MaxLatencyMs = 60_000

// Validate names the first invalid setting.
func (s Settings) Validate() error {
	if s.LatencyMs < 0 || s.LatencyMs > MaxLatencyMs {
		return fmt.Errorf("latencyMs must be between 0 and %d (got %d)", MaxLatencyMs, s.LatencyMs)
	}
	if s.ErrorRate < 0 || s.ErrorRate > 1 {
		return fmt.Errorf("errorRate must be between 0 and 1 (got %g)", s.ErrorRate)
	}
	if s.ThrottleRate < 0 || s.ThrottleRate > 1 {
		return fmt.Errorf("throttleRate must be between 0 and 1 (got %g)", s.ThrottleRate)
	}
	if s.ErrorRate+s.ThrottleRate > 1 {
		return fmt.Errorf("errorRate + throttleRate must not exceed 1 (got %g)", s.ErrorRate+s.ThrottleRate)
	}
	for _, o := range s.CORSOrigins {
		if !profile.CORSOrigin(o) {
			return fmt.Errorf("corsOrigins: %q is not \"*\" or an origin such as http://localhost:3000", o)
		}
	}
	return nil
}
