package mail_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// TestCrashAfterCommitDeliversEachOnce kills a process with SIGKILL right
// after it committed its messages, while its worker is stuck talking to a
// server that never answers (so nothing was sent). A new process, pointed
// at a working server, delivers every message exactly once: those still
// queued and those the dead worker had claimed, once they are rescued.
func TestCrashAfterCommitDeliversEachOnce(t *testing.T) {
	const n = 40
	for _, dialect := range databasetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			target := databasetest.Target(t, dialect)
			db := migrated(t, target)

			cmd, lines := child(t, "crash", target, blackhole(t), n)
			expectLine(t, lines, "committed", 30*time.Second)
			// Let the doomed worker claim some deliveries: they hang on the
			// silent server, as they would on a process that dies mid-send.
			waitRunningJobs(t, db, 10*time.Second)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()

			var pending int64
			db.Model(&mail.Message{}).Where("status = ?", mail.StatusPending).Count(&pending)
			if pending != n {
				t.Fatalf("%d messages pending after the crash, want all %d committed and none sent", pending, n)
			}

			mp := mailtest.Start(t)
			opts := mailtest.Options(db, smtpSender(t, mp.SMTPURL()))
			// Claims of the dead process expire quickly in this test.
			opts.JobTimeout, opts.RescueAfter = 2*time.Second, 3*time.Second
			o, err := mail.New(opts)
			if err != nil {
				t.Fatal(err)
			}
			mailtest.StartOutbox(t, o)
			stored := mailtest.WaitSettled(t, db, 90*time.Second)
			assertDeliveredOnce(t, mp, stored, n)
		})
	}
}

// TestThreeProcessesDeliverEachOnce runs three worker processes over one
// PostgreSQL outbox and checks that every message went out exactly once.
func TestThreeProcessesDeliverEachOnce(t *testing.T) {
	const n, procs = 300, 3
	target := databasetest.Target(t, database.Postgres)
	db := migrated(t, target)
	mp := mailtest.Start(t)

	type proc struct {
		stop  func()
		lines <-chan string
	}
	var ps []proc
	for range procs {
		cmd, lines := child(t, "worker", target, mp.SMTPURL(), 0)
		expectLine(t, lines, "ready", 30*time.Second)
		ps = append(ps, proc{stop: func() { cmd.Process.Signal(os.Interrupt) }, lines: lines})
	}

	o := mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db})) // enqueues only
	for batch := range 3 {
		msgs := make([]*mail.Message, n/3)
		for i := range msgs {
			msgs[i] = testMessage("p"+strconv.Itoa(batch*n/3+i)+"@example.com", batch*n/3+i)
		}
		if err := o.EnqueueNow(context.Background(), msgs...); err != nil {
			t.Fatal(err)
		}
	}
	stored := mailtest.WaitSettled(t, db, 90*time.Second)
	assertDeliveredOnce(t, mp, stored, n)

	total := 0
	for i, p := range ps {
		p.stop()
		line := expectLine(t, p.lines, "sent ", 30*time.Second)
		k, _ := strconv.Atoi(strings.TrimPrefix(line, "sent "))
		t.Logf("process %d sent %d messages", i+1, k)
		total += k
	}
	if total != n {
		t.Fatalf("the processes sent %d messages in all, want %d", total, n)
	}
}

// waitRunningJobs polls until some delivery jobs are claimed by a worker.
func waitRunningJobs(t *testing.T, db *gorm.DB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var running int64
		if err := db.Raw("SELECT COUNT(*) FROM river_job WHERE state = 'running'").Scan(&running).Error; err != nil {
			t.Fatal(err)
		}
		if running > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the child's worker claimed no delivery")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
