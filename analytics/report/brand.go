package report

import (
	"context"
	"encoding/base64"
	"html/template"
	"regexp"

	"gorm.io/gorm"

	"accord/survey"
)

// brand is how an organisation marks its reports: its logo, inlined so
// that the file stays self-contained, and its accent colour on the rules
// that frame the report (never on text, whose contrast it could spoil).
type brand struct {
	Logo   template.URL // a data: URL of the re-encoded logo; empty: none
	Accent template.CSS // "#rrggbb"; empty: Accord's own
}

var hexColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)

func loadBrand(ctx context.Context, db *gorm.DB, org *survey.Organisation) (brand, error) {
	var b brand
	// Checked again here, not only when saved: it goes into a style sheet.
	if hexColour.MatchString(org.AccentColor) {
		b.Accent = template.CSS(org.AccentColor)
	}
	logo, err := survey.GetLogo(ctx, db, org.ID)
	if err != nil || logo == nil {
		return b, err
	}
	// Accord decoded and re-encoded the image itself (survey.ReencodeLogo),
	// and its type is one of two it wrote, so the URL is safe to inline.
	if logo.ContentType == "image/png" || logo.ContentType == "image/jpeg" {
		b.Logo = template.URL("data:" + logo.ContentType + ";base64," + base64.StdEncoding.EncodeToString(logo.Data))
	}
	return b, nil
}
