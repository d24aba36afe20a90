// Package roster holds the people of an organisation who may be invited:
// Person with the function (sales, product …) the perception gap compares,
// the roster form's checks, paging and filters, and CSV import (parse,
// plan, apply) and export. It imports only leaf packages (apperr, audit,
// textcheck), never survey: rounds read the roster, not the reverse.
package roster

import (
	"strings"
	"time"
)

// Functions a person can belong to. They are the groups the perception gap
// compares (sales vs product) and the first filter on every dashboard.
const (
	FunctionSales       = "sales"
	FunctionProduct     = "product"
	FunctionEngineering = "engineering"
	FunctionMarketing   = "marketing"
	FunctionExecutive   = "executive"
	FunctionOther       = "other"
)

// Functions lists every valid function in display order.
var Functions = []string{FunctionSales, FunctionProduct, FunctionEngineering, FunctionMarketing, FunctionExecutive, FunctionOther}

// ValidFunction reports whether f is one of Functions.
func ValidFunction(f string) bool {
	for _, v := range Functions {
		if v == f {
			return true
		}
	}
	return false
}

// FunctionLabel is how a function reads on pages and in charts: "Sales",
// "Product". Anything that is not a function comes back unchanged.
func FunctionLabel(f string) string {
	if !ValidFunction(f) {
		return f
	}
	return strings.ToUpper(f[:1]) + f[1:]
}

// Person is a member of an organisation's roster: someone who may be invited.
type Person struct {
	ID         int64  `gorm:"primaryKey"`
	OrgID      int64  `gorm:"not null;uniqueIndex:idx_people_org_email,priority:1;index:idx_people_org_active,priority:1"`
	Email      string `gorm:"size:254;not null;uniqueIndex:idx_people_org_email,priority:2"`
	Name       string `gorm:"size:200;not null;default:''"`
	Function   string `gorm:"size:32;not null"`
	Team       string `gorm:"size:100;not null;default:''"`
	Region     string `gorm:"size:100;not null;default:''"`
	TenureBand string `gorm:"size:32;not null;default:''"`
	// Language is the person's language (survey/i18n); empty: the
	// organisation's default.
	Language  string `gorm:"size:8;not null;default:''"`
	Active    bool   `gorm:"not null;default:true;index:idx_people_org_active,priority:2"`
	CreatedAt time.Time
	UpdatedAt time.Time
}
