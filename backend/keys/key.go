package keys

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Key statuses, as Key.Status reports them.
const (
	StatusActive  = "active"
	StatusExpired = "expired"
	StatusRevoked = "revoked"
)

// Key is the stored record of an API key. It never holds the raw key.
type Key struct {
	// ID is a random (version 4) UUID.
	ID string `json:"id"`
	// API is the id of the API the key belongs to ("eudr").
	API string `json:"api"`
	// Name is the user's label for the key.
	Name string `json:"name"`
	// Prefix is the format prefix plus the first 4 random characters, for display.
	Prefix string `json:"prefix"`
	// Last4 is the last four characters of the raw key, for display.
	Last4 string `json:"last4"`
	// Hash is the hex SHA-256 of the raw key; the raw key is never stored anywhere.
	Hash string `json:"hash"`
	// Scopes are the permissions granted, in the API's vocabulary.
	Scopes []string `json:"scopes"`
	// Tenant is the account or company the key belongs to, if the API has tenants.
	Tenant string `json:"tenant,omitempty"`
	// Integration is the integration the key belongs to, if the API has them.
	Integration string `json:"integration,omitempty"`
	// RateLimit overrides the API's per-minute limit: nil means the API's
	// default, 0 means no limit.
	RateLimit *int `json:"rateLimit,omitempty"`
	// CreatedAt is when the key was issued.
	CreatedAt time.Time `json:"createdAt"`
	// ExpiresAt, if set, is the first instant at which the key is expired.
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
	// RevokedAt, if set, is when the key was revoked.
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	// LastUsedAt is the time of the latest authenticated request, if any.
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	// UseCount is the number of requests the key has made.
	UseCount int64 `json:"useCount"`
	// Purpose is empty for a key a user made, or says who made it for what:
	// PurposeExplorer marks the throwaway keys of the GUI's Explorer, which
	// the GUI keeps out of its key list and mockgate deletes once they can
	// no longer be used.
	Purpose string `json:"purpose,omitempty"`
}

// PurposeExplorer is the Purpose of the keys the Explorer makes to show a
// failure (a revoked key, a key missing a scope).
const PurposeExplorer = "explorer"

// Status returns StatusRevoked if the key was revoked (whatever its expiry),
// else StatusExpired if now is at or after ExpiresAt, else StatusActive.
func (k Key) Status(now time.Time) string {
	switch {
	case k.RevokedAt != nil:
		return StatusRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return StatusExpired
	}
	return StatusActive
}

// Masked returns the key as it may be displayed: Prefix + "…" + Last4.
func (k Key) Masked() string {
	return k.Prefix + "…" + k.Last4
}

// clone returns a deep copy, so callers cannot reach the service's records
// through the slice and pointers.
func (k Key) clone() Key {
	k.Scopes = slices.Clone(k.Scopes)
	k.RateLimit = clonePtr(k.RateLimit)
	k.ExpiresAt = clonePtr(k.ExpiresAt)
	k.RevokedAt = clonePtr(k.RevokedAt)
	k.LastUsedAt = clonePtr(k.LastUsedAt)
	return k
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// ErrInvalid matches (with errors.Is) every error caused by a request that
// cannot be honoured as given; the admin API answers those with 400.
var ErrInvalid = errors.New("invalid key request")

// ErrNotFound is returned for an id that names no key.
var ErrNotFound = errors.New("no key has this id")

// Validation errors returned by Create. Each matches ErrInvalid.
var (
	ErrAPIRequired       = invalidError("a key must belong to an API: give the API id")
	ErrNameRequired      = invalidError("a key needs a name so it can be told apart in the list")
	ErrNameTooLong       = invalidError(fmt.Sprintf("a key name can have at most %d characters", MaxNameLength))
	ErrEmptyScope        = invalidError("a scope cannot be an empty string")
	ErrExpiryNotFuture   = invalidError("the expiry must be in the future")
	ErrNegativeRateLimit = invalidError("the rate limit must be 0 (no limit) or a positive number of requests per minute")
)

// MaxNameLength bounds Key.Name, in characters.
const MaxNameLength = 200

// invalidError is a validation failure; it matches ErrInvalid.
type invalidError string

func (e invalidError) Error() string        { return string(e) }
func (e invalidError) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error {
	return invalidError(fmt.Sprintf(format, args...))
}
