package main

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/web"
)

// registerAnalytics adds the dashboard routes; filled in by the analytics work.
func registerAnalytics(app *web.App) {}

func (m *Main) demo(ctx context.Context, args []string) error {
	return fmt.Errorf("demo: not implemented yet")
}

func (m *Main) demoIfEmpty(ctx context.Context, db *gorm.DB, cfg Config, secret []byte) error {
	return nil
}
