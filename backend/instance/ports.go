package instance

import (
	"errors"
	"math/rand/v2"
	"net"
	"strconv"
)

// FreePortBase finds a port base N for which N (the admin API) and the
// apis ports after it are free on loopback, for callers that must know the
// ports before starting (tests, the soak tool, the benchmark). It picks
// below 32768, where Linux's ephemeral ports start (the local ports of
// outgoing connections and of ":0" listeners), so a port it found is not
// taken by such a socket a moment later. A port can still be taken between
// this check and the listen; callers retry then.
func FreePortBase(apis int) (int, error) {
	for range 50 {
		base := 20000 + rand.IntN(12700-apis)
		free := true
		for p := base; p <= base+apis && free; p++ {
			ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				free = false
				continue
			}
			ln.Close()
		}
		if free {
			return base, nil
		}
	}
	return 0, errors.New("no free range of loopback ports found")
}
