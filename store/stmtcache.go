package store

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"
)

// maxCachedStmts bounds the statements a stmtPool keeps prepared. The service runs a few dozen
// distinct statements; lists of ids (IN (?, ?, ...)) make more, which run unprepared past it.
const maxCachedStmts = 256

// stmtPool is the connection pool GORM uses on SQLite: a database/sql pool whose statements are
// prepared once and kept. Preparing a small statement costs SQLite about as much as running it,
// and on the one writer connection that time is spent while every other write waits.
//
// GORM's own PrepareStmt does not serve here: a statement first seen in a transaction it
// prepares on that transaction, which closes it at the end, so the group commit, where every
// hot write runs, would prepare again each batch. Here a statement first seen in a transaction
// runs unprepared and is prepared on the pool once the transaction ends, never while it holds
// the connection: with one writer connection that would wait for itself.
type stmtPool struct {
	db *sql.DB

	mu     sync.RWMutex
	stmts  map[string]*sql.Stmt
	wanted map[string]bool // seen in a transaction; prepared when it ends
}

var (
	_ gorm.ConnPool         = (*stmtPool)(nil)
	_ gorm.ConnPoolBeginner = (*stmtPool)(nil)
	_ gorm.GetDBConnector   = (*stmtPool)(nil)
	_ gorm.ConnPool         = (*stmtTx)(nil)
	_ gorm.TxCommitter      = (*stmtTx)(nil)
)

func newStmtPool(db *sql.DB) *stmtPool {
	return &stmtPool{db: db, stmts: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// GetDBConn returns the pool, for gorm.DB.DB.
func (p *stmtPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

// cached returns the prepared statement of query, or nil.
func (p *stmtPool) cached(query string) *sql.Stmt {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.stmts[query]
}

// stmt returns the prepared statement of query, preparing it now if there is room; nil when
// there is not, or when preparing failed (running the query will say why).
func (p *stmtPool) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := p.cached(query); s != nil {
		return s
	}
	return p.prepare(ctx, query)
}

// prepare prepares query on the pool and keeps it, if there is room. It holds no lock while it
// prepares: that waits for a connection, which a transaction may hold while it looks up its
// statements.
func (p *stmtPool) prepare(ctx context.Context, query string) *sql.Stmt {
	p.mu.RLock()
	full := len(p.stmts) >= maxCachedStmts
	p.mu.RUnlock()
	if full {
		return nil
	}
	s, err := p.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev := p.stmts[query]; prev != nil { // another goroutine was first
		s.Close()
		return prev
	}
	p.stmts[query] = s
	return s
}

// want notes query, seen in a transaction, for prepareWanted.
func (p *stmtPool) want(query string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.stmts)+len(p.wanted) < maxCachedStmts {
		p.wanted[query] = true
	}
}

// prepareWanted prepares the statements seen in transactions. Call it with no transaction open
// in this goroutine.
func (p *stmtPool) prepareWanted(ctx context.Context) {
	p.mu.Lock()
	var queries []string
	for q := range p.wanted {
		queries = append(queries, q)
		delete(p.wanted, q)
	}
	p.mu.Unlock()
	for _, q := range queries {
		p.prepare(ctx, q)
	}
}

// close closes the prepared statements; the pool stays open.
func (p *stmtPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for q, s := range p.stmts {
		s.Close()
		delete(p.stmts, q)
	}
}

func (p *stmtPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

func (p *stmtPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return p.db.ExecContext(ctx, query, args...)
}

func (p *stmtPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p *stmtPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

// BeginTx begins a transaction whose statements use the pool's prepared ones.
func (p *stmtPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &stmtTx{Tx: tx, pool: p}, nil
}

// stmtTx is a transaction of a stmtPool.
type stmtTx struct {
	*sql.Tx
	pool *stmtPool
}

// stmt returns query's prepared statement bound to the transaction, or nil (and notes the query
// to prepare after the transaction).
func (t *stmtTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := t.pool.cached(query); s != nil {
		return t.StmtContext(ctx, s)
	}
	t.pool.want(query)
	return nil
}

func (t *stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// Commit commits, then prepares the statements the transaction ran unprepared.
func (t *stmtTx) Commit() error {
	err := t.Tx.Commit()
	t.pool.prepareWanted(context.Background())
	return err
}

// Rollback rolls back, then prepares the statements the transaction ran unprepared.
func (t *stmtTx) Rollback() error {
	err := t.Tx.Rollback()
	t.pool.prepareWanted(context.Background())
	return err
}
