// Package templates embeds Accord's html/template pages and email bodies.
// Every page is rendered inside layout.html; partials/*.html are shared.
//
// It imports nothing; only the web packages, the report and email
// rendering import it, never the domain (survey and its leaf packages).
package templates

import "embed"

// FS holds every template file.
//
//go:embed *.html partials/*.html mail/*
var FS embed.FS
