package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"accord/survey/database"
	"accord/survey/database/databasetest"
)

// TestReplicasStayUnderTheConnectionBudget runs three servers against one
// PostgreSQL with ACCORD_DB_MAX_CONNS=5 and keeps them busy: together they
// must never hold more than 3×5 connections (counted in pg_stat_activity).
func TestReplicasStayUnderTheConnectionBudget(t *testing.T) {
	const replicas, budget = 3, 5
	target := databasetest.Target(t, database.Postgres)
	app := "accord_budget_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	u, _ := url.Parse(target.DSN)
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	vars := map[string]string{"ACCORD_DATABASE_URL": u.String(), "ACCORD_DB_MAX_CONNS": strconv.Itoa(budget), "ACCORD_SECRET_KEY": string(databasetest.Secret)}
	var addrs []string
	for range replicas {
		addr, _, _ := startServe(t, vars)
		addrs = append(addrs, addr)
	}
	admin := databasetest.OpenTarget(t, database.Target{Dialect: database.Postgres, DSN: databasetest.PostgresURL(t)})

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, addr := range addrs {
		for range 30 { // more concurrent requests than connections
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
					if resp, err := http.DefaultClient.Do(req); err == nil {
						resp.Body.Close()
					}
				}
			}()
		}
	}
	most := 0
	for ctx.Err() == nil {
		var n int
		if err := admin.Raw("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?", app).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		most = max(most, n)
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	if most > replicas*budget {
		t.Fatalf("%d replicas held %d connections at once, over their budget of %d×%d", replicas, most, replicas, budget)
	}
	if most <= replicas {
		t.Fatalf("at most %d connections seen: the load did not reach the pools", most)
	}
	t.Logf("%d replicas held at most %d connections (budget %d)", replicas, most, replicas*budget)
}
