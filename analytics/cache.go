package analytics

import (
	"context"

	lru "github.com/hashicorp/golang-lru/v2"
	"gorm.io/gorm"
)

// Cache keeps, for one server, what the dashboard reads of closed rounds
// and which cannot change once a round is closed: the comments of a group
// (no answer is stored or changed after the close). Whether they may be
// shown is still decided on every request from the round's rollups; the
// cache holds only the texts. Open rounds are never cached.
//
// Comments are the one thing the dashboard reads from raw answers: for an
// organisation of thousands, reading and shuffling a round's comments cost
// more than everything else on the page.
//
// A nil *Cache caches nothing.
type Cache struct {
	texts *lru.Cache[commentKey, []Comments]
}

type commentKey struct {
	round int64
	group Group
}

// DefaultCacheEntries is how many groups' comments a server keeps: the
// most recently used, a few hundred KB each at most for the largest
// organisations.
const DefaultCacheEntries = 64

// NewCache returns a cache of the comments of up to entries groups.
func NewCache(entries int) *Cache {
	c, err := lru.New[commentKey, []Comments](max(1, entries))
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &Cache{texts: c}
}

// comments returns the comments of group g in closed round roundID, from
// the cache when it has them. The caller must not change them.
func (c *Cache) comments(ctx context.Context, db *gorm.DB, roundID int64, g Group) ([]Comments, error) {
	if c == nil {
		return loadComments(ctx, db, roundID, g)
	}
	key := commentKey{round: roundID, group: g}
	if cs, ok := c.texts.Get(key); ok {
		return cs, nil
	}
	cs, err := loadComments(ctx, db, roundID, g)
	if err != nil {
		return nil, err
	}
	c.texts.Add(key, cs)
	return cs, nil
}
