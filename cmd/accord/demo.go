package main

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

func (m *Main) demo(ctx context.Context, args []string) error {
	return fmt.Errorf("demo: not implemented yet")
}

func (m *Main) demoIfEmpty(ctx context.Context, db *gorm.DB, cfg Config, secret []byte) error {
	return nil
}
