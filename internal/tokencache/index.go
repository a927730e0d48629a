package tokencache

import (
	"cmp"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// entries is the set of cache entries: an open-addressing hash table with
// linear probing whose slots are atomic pointers, so that readers take no
// lock and allocate nothing. Writers are serialised by mu. An entry is
// added by storing it into an empty slot; the table is rebuilt (and
// published whole) only to grow it, doubling, or to drop evicted entries,
// so adding a key costs amortised O(1). The table is at most half full, so
// every probe ends at an empty slot.
type entries struct {
	seed    maphash.Seed
	tab     atomic.Pointer[table]
	mu      sync.Mutex
	n       int    // entries in tab; guarded by mu
	max     int    // Options.MaxEntries
	sweepAt int    // an insert at this n sweeps first; guarded by mu
	born    uint64 // entries created; guarded by mu
}

type table struct {
	slots []atomic.Pointer[entry]
	mask  uint64
}

func newEntries(max int) entries {
	return entries{seed: maphash.MakeSeed(), max: max, sweepAt: max}
}

// find returns the entry for o's key, whose hash is h, or nil. It takes no
// lock and does not allocate.
func (es *entries) find(h uint64, o *policy.TokenRequestOptions) *entry {
	t := es.tab.Load()
	if t == nil {
		return nil
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.h == h && e.matches(o) {
			return e
		}
	}
}

// get returns the entry for o's key, creating it if needed (which may evict
// others first).
func (es *entries) get(h uint64, o *policy.TokenRequestOptions, now time.Time) *entry {
	if e := es.find(h, o); e != nil {
		return e
	}
	return es.add(h, o, now)
}

// add is get under the writers' lock: it returns the entry for o's key as
// the table holds it once no sweep is in progress, creating it if needed.
func (es *entries) add(h uint64, o *policy.TokenRequestOptions, now time.Time) *entry {
	es.mu.Lock()
	defer es.mu.Unlock()
	if e := es.find(h, o); e != nil {
		return e
	}
	if es.n >= es.sweepAt {
		es.sweep()
	}
	es.born++
	e := &entry{h: h, born: es.born, scopes: slices.Clone(o.Scopes), tenant: o.TenantID, cae: o.EnableCAE}
	e.used.Store(now.Unix())
	t := es.tab.Load()
	if t == nil || 2*(es.n+1) > len(t.slots) {
		t = es.rebuild(2 * (es.n + 1))
	}
	t.put(e)
	es.n++
	return e
}

// put stores e in its first free slot. The caller holds es.mu.
func (t *table) put(e *entry) {
	i := e.h & t.mask
	for t.slots[i].Load() != nil {
		i = (i + 1) & t.mask
	}
	t.slots[i].Store(e)
}

// rebuild publishes a table of at least size slots (a power of two, at
// least 8) holding the current entries that are not evicted, and returns
// it. The caller holds es.mu.
func (es *entries) rebuild(size int) *table {
	n := 8
	for n < size {
		n *= 2
	}
	t := &table{slots: make([]atomic.Pointer[entry], n), mask: uint64(n - 1)}
	es.n = 0
	if old := es.tab.Load(); old != nil {
		for i := range old.slots {
			if e := old.slots[i].Load(); e != nil && !e.evicted {
				t.put(e)
				es.n++
			}
		}
	}
	es.tab.Store(t)
	return t
}

// sweep evicts the least recently used entries that have no request in
// flight, down to 3/4 of MaxEntries, and rebuilds the table without them.
// If entries with requests in flight keep the count at MaxEntries, the next
// sweep waits until a quarter more were added, so inserts stay amortised
// O(1). The caller holds es.mu; sweep takes the victims' mu (an entry's mu
// is never held while es.mu is taken).
func (es *entries) sweep() {
	type candidate struct {
		e          *entry
		used, born int64
	}
	all := es.all()
	byAge := make([]candidate, len(all))
	for i, e := range all {
		byAge[i] = candidate{e, e.used.Load(), int64(e.born)}
	}
	// Least recently used first; among keys last used in the same second,
	// oldest first. The order must not follow the slots: evicting by slot
	// would leave the survivors bunched at the end of the table, and
	// linear probing would degrade to a scan.
	slices.SortFunc(byAge, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.used, b.used), cmp.Compare(a.born, b.born))
	})
	evict := max(1, es.n-es.max*3/4)
	for _, c := range byAge {
		if evict == 0 {
			break
		}
		c.e.mu.Lock()
		if c.e.fl == nil {
			c.e.evicted = true
			evict--
		}
		c.e.mu.Unlock()
	}
	es.rebuild(2 * (es.n + 1))
	es.sweepAt = es.max
	if es.n >= es.max {
		es.sweepAt = es.n + max(1, es.max/4)
	}
}

// all returns every entry of the current table.
func (es *entries) all() []*entry {
	t := es.tab.Load()
	if t == nil {
		return nil
	}
	var out []*entry
	for i := range t.slots {
		if e := t.slots[i].Load(); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// len returns the number of entries.
func (es *entries) len() int {
	es.mu.Lock()
	defer es.mu.Unlock()
	return es.n
}
