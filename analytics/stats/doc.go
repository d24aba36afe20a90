// Package stats provides the small set of statistics Accord uses to turn
// survey answers into alignment numbers that leaders can act on.
//
// Every estimate comes with a two-sided confidence interval ([Interval]) so
// that a dashboard never shows a bare number without its uncertainty. Every
// function over numeric answers works from sufficient statistics ([Summary]:
// count, sum and sum of squares) so that pre-aggregated rollups give exactly
// the same answer as the raw data would.
//
// # Conventions for thin data
//
// Functions never panic on thin or degenerate data. Where a quantity is
// undefined (no observations, one observation, zero variance) they return NaN
// or an infinitely wide interval rather than a made-up number, and each
// function documents which. [Interval.Excludes] is false for NaN and infinite
// bounds, so undefined results can never be mistaken for significant ones.
// Invalid arguments (negative counts, successes > n, a confidence level
// outside (0, 1)) yield NaN; the chi-square test, whose inputs can be wrong
// in more ways, returns an error instead.
//
// # Reference values
//
// The tests check every function against values computed with SciPy. To
// regenerate testdata/reference.json, from the repository root run:
//
//	apt-get install -y python3-scipy python3-numpy
//	/usr/bin/python3 analytics/stats/testdata/reference.py
//
// It imports nothing from Accord.
package stats
