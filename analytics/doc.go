// Package analytics reads survey data and turns it into the measures leaders
// see: the completely-aligned share and its trend, with confidence intervals
// and confidentiality enforced here, in the query layer, so that no template
// or export can show what the rules forbid.
//
// Layout: one file per measure (trend.go for the completely-aligned trend),
// confidentiality.go for the suppression rules every measure applies,
// stats/ for the statistics, charts/ for the echarts options and web/ for the
// dashboard handlers.
package analytics
