package survey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
)

// OrgLogo is an organisation's logo as Accord re-encoded it. It lives in a
// table of its own so that loading an organisation, which every page does,
// never drags the image along.
type OrgLogo struct {
	OrgID       int64  `gorm:"primaryKey;autoIncrement:false"`
	ContentType string `gorm:"size:32;not null"`
	Data        []byte `gorm:"not null"`
	UpdatedAt   time.Time
}

// Logo limits: a logo is shown a few dozen pixels high, so these are generous.
const (
	MaxLogoBytes = 512 << 10
	MaxLogoSide  = 2000
)

// codec is an image format a logo may be uploaded in.
type codec struct {
	contentType string
	magic       []byte
	config      func(io.Reader) (image.Config, error)
	decode      func(io.Reader) (image.Image, error)
	encode      func(io.Writer, image.Image) error
}

// logoCodecs are the only formats accepted: raster images that the
// standard library decodes. SVG is refused because it can carry scripts.
var logoCodecs = []codec{
	{"image/png", []byte("\x89PNG\r\n\x1a\n"), png.DecodeConfig, png.Decode,
		func(w io.Writer, m image.Image) error {
			return (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(w, m)
		}},
	{"image/jpeg", []byte{0xff, 0xd8, 0xff}, jpeg.DecodeConfig, jpeg.Decode,
		func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 90}) }},
}

// ReencodeLogo checks an uploaded logo and returns it decoded and encoded
// again in its own format: whatever else the file carried (metadata,
// trailing data, a polyglot payload) is dropped. The size is checked from
// the header before decoding, so a small file claiming a huge image is
// refused without allocating it.
func ReencodeLogo(b []byte) (*OrgLogo, error) {
	if len(b) > MaxLogoBytes {
		return nil, apperr.Errorf(apperr.EINVALID, "The logo file is too large (%d KB): upload one of at most %d KB.", len(b)>>10, MaxLogoBytes>>10)
	}
	var c *codec
	for i := range logoCodecs {
		if bytes.HasPrefix(b, logoCodecs[i].magic) {
			c = &logoCodecs[i]
		}
	}
	if c == nil {
		return nil, apperr.Errorf(apperr.EINVALID, "Upload the logo as a PNG or JPEG image; other formats, SVG included, are not accepted.")
	}
	damaged := apperr.Errorf(apperr.EINVALID, "This logo file could not be read as an image; it may be damaged. Save it again as PNG or JPEG.")
	cfg, err := c.config(bytes.NewReader(b))
	if err != nil {
		return nil, damaged
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide {
		return nil, apperr.Errorf(apperr.EINVALID, "The logo is %d×%d pixels: upload one of at most %d×%d.", cfg.Width, cfg.Height, MaxLogoSide, MaxLogoSide)
	}
	img, err := c.decode(bytes.NewReader(b))
	if err != nil {
		return nil, damaged
	}
	var out bytes.Buffer
	if err := c.encode(&out, img); err != nil {
		return nil, fmt.Errorf("encode logo: %w", err)
	}
	return &OrgLogo{ContentType: c.contentType, Data: out.Bytes()}, nil
}

// saveLogo stores logo for the organisation, or removes its logo.
func saveLogo(tx *gorm.DB, orgID int64, logo *OrgLogo, remove bool) error {
	switch {
	case remove:
		return tx.Where("org_id = ?", orgID).Delete(&OrgLogo{}).Error
	case logo == nil:
		return nil
	}
	logo.OrgID = orgID
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "org_id"}}, UpdateAll: true}).Create(logo).Error
}

// GetLogo returns the logo of the organisation, or nil when it has none.
func GetLogo(ctx context.Context, db *gorm.DB, orgID int64) (*OrgLogo, error) {
	var l OrgLogo
	err := db.WithContext(ctx).Where("org_id = ?", orgID).Take(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("load logo: %w", err)
	}
	return &l, nil
}
