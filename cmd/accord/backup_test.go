package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// TestBackupUnderWriteLoadRestoresEverything backs up an SQLite database
// while another connection keeps adding people, as a running server would:
// the backup opens as a sound, current database holding every person whose
// insert was acknowledged before the backup began, and no half of any.
func TestBackupUnderWriteLoadRestoresEverything(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "accord.db")
	target, err := database.ParseURL(url)
	databasetest.Must(t, err)
	db := databasetest.OpenTarget(t, target)
	_, err = database.Migrate(context.Background(), db)
	databasetest.Must(t, err)
	org := &survey.Organisation{Slug: "acme", Name: "Acme", MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(t, db.Create(org).Error)

	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the "server": one person per transaction, as fast as it can
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p := roster.Person{OrgID: org.ID, Email: fmt.Sprintf("p%d@acme.test", i), Name: "Pat", Function: roster.FunctionSales}
			if err := db.Create(&p).Error; err != nil {
				t.Errorf("insert %d: %v", i, err)
				return
			}
			acked.Add(1)
		}
	}()
	time.Sleep(300 * time.Millisecond)
	before := acked.Load()
	file := filepath.Join(dir, "backup.db")
	var out bytes.Buffer
	m := &Main{Args: []string{"backup", "-o", file}, Stdout: &out, Stderr: &out, Getenv: env(map[string]string{"ACCORD_DATABASE_URL": url})}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	after := acked.Load()
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	if !strings.Contains(out.String(), "ACCORD_SECRET_KEY") {
		t.Errorf("the backup does not remind to keep the secret key: %s", out.String())
	}

	restoredTarget, err := database.ParseURL("sqlite:" + file)
	databasetest.Must(t, err)
	restored := databasetest.OpenTarget(t, restoredTarget)
	var check string
	databasetest.Must(t, restored.Raw("PRAGMA integrity_check").Scan(&check).Error)
	if check != "ok" {
		t.Fatalf("integrity check of the backup: %s", check)
	}
	if n, err := database.Migrate(context.Background(), restored); err != nil || n != 0 {
		t.Fatalf("the backup needs %d migrations (%v); want a current schema", n, err)
	}
	var n, maxID int64
	databasetest.Must(t, restored.Model(&roster.Person{}).Count(&n).Error)
	databasetest.Must(t, restored.Model(&roster.Person{}).Select("COALESCE(MAX(id), 0)").Scan(&maxID).Error)
	if n < before || n > after || n != maxID {
		t.Fatalf("backup holds %d people (highest id %d); %d were stored before it began, %d when it ended", n, maxID, before, after)
	}
	t.Logf("backup under load: %d people before, %d in the backup, %d after", before, n, after)
}

func TestBackupRefusesPostgresAndExistingFiles(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	m := &Main{Args: []string{"backup", "-o", filepath.Join(t.TempDir(), "x")}, Stdout: &out, Stderr: &out,
		Getenv: env(map[string]string{"ACCORD_DATABASE_URL": "postgres://accord@db.internal:5432/accord"})}
	if err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), "pg_restore") {
		t.Fatalf("backup on PostgreSQL = %v; want the pg_dump and pg_restore commands", err)
	}
	existing := filepath.Join(t.TempDir(), "there.db")
	databasetest.Must(t, os.WriteFile(existing, []byte("keep me"), 0o600))
	m = &Main{Args: []string{"backup", "-o", existing}, Stdout: &out, Stderr: &out,
		Getenv: env(map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "a.db")})}
	if err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("backup over an existing file = %v; want a refusal", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Fatal("backup overwrote an existing file")
	}
}
