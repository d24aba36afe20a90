// Package sso is the OpenID Connect client of staff single sign-on: the
// authorisation code flow with PKCE, state and nonce against the provider
// named by ACCORD_OIDC_ISSUER (github.com/coreos/go-oidc with
// golang.org/x/oauth2). It proves an email address; which account that
// is, and whether it may log in, is decided by package account
// (account.SSOLogin), which also keeps the one-time state server-side.
// It imports account and apperr, and no web package: the login pages
// (survey/web) call it.
package sso

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
)

// CallbackPath is where the provider sends the browser back; register
// BaseURL + CallbackPath as the client's redirect URI at the provider.
const CallbackPath = "/login/oidc/callback"

// ErrUnavailable wraps failures to reach the provider (discovery, keys or
// the token endpoint down): not the user's fault, and not Accord's bug.
var ErrUnavailable = errors.New("the identity provider cannot be reached")

// Config is the client's registration at the provider.
type Config struct {
	Issuer       string // ACCORD_OIDC_ISSUER, e.g. https://login.example.com/realms/staff
	ClientID     string // ACCORD_OIDC_CLIENT_ID
	ClientSecret string // ACCORD_OIDC_CLIENT_SECRET
	RedirectURL  string // ACCORD_BASE_URL + CallbackPath
	// HTTPClient talks to the provider; nil: one with a 15-second timeout.
	HTTPClient *http.Client
}

// Client runs logins against one provider. Its discovery document is
// fetched at the first login and kept, so that a provider that is down
// when Accord starts only delays single sign-on, not the start.
type Client struct {
	cfg Config

	mu       sync.Mutex
	provider *oidc.Provider
}

// New returns a client for cfg; it makes no request yet.
func New(cfg Config) *Client {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{cfg: cfg}
}

// Issuer is the provider's issuer URL.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// ctx carries the client's HTTP client to go-oidc and oauth2, detached
// from the request's cancellation: the key set it creates outlives it.
func (c *Client) ctx() context.Context {
	return oidc.ClientContext(context.Background(), c.cfg.HTTPClient)
}

// discover returns the provider's metadata, fetching it once.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	dctx, cancel := context.WithTimeout(c.ctx(), 15*time.Second)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	p, err := oidc.NewProvider(dctx, c.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery at %s: %w", ErrUnavailable, c.cfg.Issuer, err)
	}
	c.provider = p
	return p, nil
}

func (c *Client) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// Begin starts a login that returns to next: it stores the attempt and
// returns the provider's authorisation URL and the state, which the
// caller keeps in the browser (a cookie) for the callback.
func (c *Client) Begin(ctx context.Context, db *gorm.DB, next string, now time.Time) (authURL, state string, err error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", "", err
	}
	verifier := oauth2.GenerateVerifier()
	state, nonce, err := account.StartSSO(ctx, db, verifier, next, now)
	if err != nil {
		return "", "", err
	}
	return c.oauth(p).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), state, nil
}

// Finish completes the login the provider returned with state and code:
// the attempt is used up (whatever happens next), the code exchanged with
// the PKCE verifier, the ID token's signature, issuer, audience, expiry
// (on the clock now) and nonce checked. It returns the identity and where
// the login was going.
func (c *Client) Finish(ctx context.Context, db *gorm.DB, state, browserState, code string, now time.Time) (*account.SSOIdentity, string, error) {
	att, err := account.TakeSSO(ctx, db, state, browserState, now)
	if err != nil {
		return nil, "", err
	}
	p, err := c.discover(ctx)
	if err != nil {
		return nil, "", err
	}
	refused := apperr.Errorf(apperr.EUNAUTH, "The identity provider did not confirm this sign-in. Please sign in again.")
	if code == "" {
		return nil, "", refused
	}
	xctx, cancel := context.WithTimeout(c.ctx(), 15*time.Second)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	tok, err := c.oauth(p).Exchange(xctx, code, oauth2.VerifierOption(att.Verifier))
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
		return nil, "", refused // a used, wrong or expired code, a wrong verifier
	} else if err != nil {
		return nil, "", fmt.Errorf("%w: token endpoint: %w", ErrUnavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, "", refused
	}
	idt, err := p.VerifierContext(xctx, &oidc.Config{ClientID: c.cfg.ClientID, Now: func() time.Time { return now }}).Verify(xctx, raw)
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		return nil, "", apperr.Errorf(apperr.EUNAUTH, "The identity provider's answer had expired. Please sign in again (check this server's clock if it keeps happening).")
	case err != nil:
		return nil, "", refused
	case subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(att.Nonce)) != 1:
		return nil, "", refused
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"` // some providers send "true"
	}
	if err := idt.Claims(&claims); err != nil {
		return nil, "", refused
	}
	verified := claims.EmailVerified == true || (fmt.Sprint(claims.EmailVerified) == "true")
	return &account.SSOIdentity{Issuer: idt.Issuer, Subject: idt.Subject, Email: strings.TrimSpace(claims.Email), EmailVerified: verified}, att.Next, nil
}
