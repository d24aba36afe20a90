package survey

import (
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// recentLinks remembers, for a minute, the links whose responses this
// server has just stored, with what their thank-you page shows: the
// organisation, the round and the invitation's language. Every
// respondent's browser asks for that page right after a submit; from
// memory it costs no database round trip, where it cost two (the link's
// lookup and the search for its response).
//
// Only a stored response is remembered as such, and responses are never
// taken back while a round runs, so what it answers cannot turn false. A
// link it does not hold (another replica stored it, the entry expired or
// was pushed out) is read from the database as before. A round closed by
// hand within the memory's lifetime still shows its thank-you page; the
// round's closing time is checked on every read.
//
// It holds no answers, only what the link's holder already sees.
type recentLinks struct {
	once  sync.Once
	links *lru.Cache[string, *recentLink] // by token hash
}

type recentLink struct {
	org        Organisation
	round      Round
	invitation Invitation
	answered   bool // a response under this link was stored by this server
	seen       time.Time
}

const (
	// recentLinksSize bounds the memory: the forms shown in the last
	// seconds of a busy invitation wave, each well under 1 KB.
	recentLinksSize = 4096
	// recentLinkLife is how long an entry answers: a thank-you page is
	// asked for within a second of the submit, and an organisation deleted
	// meanwhile shows on it no longer than this.
	recentLinkLife = time.Minute
)

func (m *recentLinks) cache() *lru.Cache[string, *recentLink] {
	m.once.Do(func() {
		m.links, _ = lru.New[string, *recentLink](recentLinksSize) // errors only for a size below 1
	})
	return m.links
}

// shown remembers the link of a survey just loaded for its form.
func (m *recentLinks) shown(s *Survey, now time.Time) {
	m.cache().Add(string(s.tokenHash), &recentLink{
		org: s.Org, round: s.Round, invitation: s.invitation, answered: s.Answered(), seen: now,
	})
}

// stored marks the link whose response was just stored, if it is held.
// The entry is replaced, not changed, since readers may hold the old one.
func (m *recentLinks) stored(tokenHash []byte, now time.Time) {
	if l, ok := m.cache().Peek(string(tokenHash)); ok {
		answered := *l
		answered.answered, answered.seen = true, now
		m.cache().Add(string(tokenHash), &answered)
	}
}

// answered returns the thank-you page's survey of a link whose response
// this server stored in the last recentLinkLife, or false.
func (m *recentLinks) answered(tokenHash []byte, now time.Time) (*Survey, bool) {
	l, ok := m.cache().Get(string(tokenHash))
	if !ok || !l.answered || now.Sub(l.seen) > recentLinkLife {
		return nil, false
	}
	return &Survey{Org: l.org, Round: l.round, InvitationID: l.invitation.ID,
		invitation: l.invitation, tokenHash: tokenHash, storedID: storedUnread}, true
}

// storedUnread is the storedID of a survey known to have a stored response
// whose ID was not read (see recentLinks): Answered is true, and nothing
// reads its answers.
const storedUnread = -1
