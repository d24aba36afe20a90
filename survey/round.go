package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/database"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// invitationBatch is how many invitations one batch of work (a claim of
// emails to send, the links made for them) handles; an INSERT carries as
// many rows as database.BatchOf allows.
const invitationBatch = 500

// CreateRound opens a round of an instrument for org and invites people, all
// in one transaction. It returns the round and each person's raw token, keyed
// by person ID; only the tokens' hashes are stored, so this is the one chance
// to put them into links. Each invitation snapshots the person's attributes.
func CreateRound(ctx context.Context, db *gorm.DB, org *Organisation, instrumentID int64, title string, opensAt, closesAt time.Time, people []roster.Person) (*Round, map[int64]string, error) {
	title = strings.TrimSpace(title)
	opensAt, closesAt = opensAt.UTC(), closesAt.UTC()
	switch {
	case title == "":
		return nil, nil, apperr.Errorf(apperr.EINVALID, "A round needs a title.")
	case !closesAt.After(opensAt):
		return nil, nil, apperr.Errorf(apperr.EINVALID, "A round must close after it opens.")
	}
	round := &Round{OrgID: org.ID, InstrumentID: instrumentID, Title: title, Status: RoundOpen, OpensAt: opensAt, ClosesAt: closesAt}
	tokens := make(map[int64]string, len(people))
	invitations := make([]Invitation, 0, len(people))
	for _, p := range people {
		if p.OrgID != org.ID {
			return nil, nil, apperr.Errorf(apperr.EINVALID, "%s is not on the roster of %s.", p.Email, org.Name)
		}
		if _, dup := tokens[p.ID]; dup {
			continue // one invitation per person, however often they are listed
		}
		tokens[p.ID] = secrets.NewToken()
		invitations = append(invitations, Invitation{
			PersonID: p.ID, TokenHash: secrets.HashToken(tokens[p.ID]),
			Function: p.Function, Team: p.Team, Region: p.Region, TenureBand: p.TenureBand,
			Language: PersonLanguage(&p, org),
		})
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Instrument{}).Where("id = ? AND (org_id IS NULL OR org_id = ?)", instrumentID, org.ID).Count(&n).Error; err != nil {
			return err
		} else if n == 0 {
			return apperr.Errorf(apperr.EINVALID, "The questionnaire of this round does not exist.")
		}
		if err := checkRoundLanguages(tx, org, instrumentID, people); err != nil {
			return err
		}
		if err := tx.Create(round).Error; err != nil {
			return err
		}
		if len(invitations) == 0 {
			return nil
		}
		for i := range invitations {
			invitations[i].RoundID = round.ID
		}
		per, err := database.BatchOf(tx, &Invitation{})
		if err != nil {
			return err
		}
		return tx.CreateInBatches(invitations, per).Error
	})
	if apperr.ErrorCode(err) == apperr.EINVALID {
		return nil, nil, err
	} else if err != nil {
		return nil, nil, fmt.Errorf("create round: %w", err)
	}
	return round, tokens, nil
}

// CloseRound stops a round from accepting answers. Closing a closed round
// changes nothing; an unknown round is ENOTFOUND.
func CloseRound(ctx context.Context, db *gorm.DB, roundID int64, now time.Time) error {
	now = now.UTC()
	res := db.WithContext(ctx).Model(&Round{}).
		Where("id = ? AND status <> ?", roundID, RoundClosed).
		Updates(map[string]any{"status": RoundClosed, "closed_at": now})
	if res.Error != nil {
		return fmt.Errorf("close round: %w", res.Error)
	} else if res.RowsAffected > 0 {
		return nil
	}
	var n int64
	if err := db.WithContext(ctx).Model(&Round{}).Where("id = ?", roundID).Count(&n).Error; err != nil {
		return fmt.Errorf("close round: %w", err)
	} else if n == 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no round %d.", roundID)
	}
	return nil
}

// PulseInstrumentID returns the ID of the built-in pulse this binary seeds.
func PulseInstrumentID(ctx context.Context, db *gorm.DB) (int64, error) {
	var inst Instrument
	err := db.WithContext(ctx).Select("id").
		Where("org_id IS NULL AND key = ? AND version = ?", PulseKey, PulseVersion).
		Take(&inst).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, apperr.Errorf(apperr.ENOTFOUND, "The built-in pulse is missing: run accord migrate.")
	} else if err != nil {
		return 0, fmt.Errorf("find built-in pulse: %w", err)
	}
	return inst.ID, nil
}
