// Package analytics reads survey data and turns it into the measures leaders
// see, with their uncertainty, and enforces confidentiality here, in the
// query layer, so that no template or export can show what the rules forbid.
//
// # Measures
//
// For a group of respondents in a round (the whole organisation, or any
// combination of function, team, region and tenure band):
//
//   - completely aligned: the share of A1 answers at level 1, with a 95%
//     Wilson interval, an exact binomial test against the study's 9.2% and
//     a chi-square goodness-of-fit test of the four A1 levels against the
//     study's 9.2/64.2/23.7/2.9% (flagged when an expected count is below 5);
//   - the alignment index (A1 level 1 → 100 … level 4 → 0) and the trust,
//     information and process indices: each respondent's score is the mean
//     of the index's items they answered, mapped 1..5 → 0..100; the index is
//     the mean of those scores with a 95% t interval (respondents, not
//     answers, are the independent units); Cronbach's alpha over the
//     respondents who answered every item;
//   - the perception gap, sales minus product, per index, with Welch's
//     interval;
//   - the response rate: responses over invitations, both snapshotted with
//     the person's attributes;
//   - the change since the previous closed round (Newcombe's interval for
//     the share, Welch's for the indices), significant only when the
//     interval excludes zero and it survives Benjamini–Hochberg control of
//     false discoveries across the changes shown together.
//
// # Insight
//
// LoadInsight turns a dashboard into what a leader acts on (insight*.go):
// the verdict against the study as two samples (the group's answers and
// the study's StudyN = 350 respondents, Newcombe's interval, so the
// study's own uncertainty counts), the product function's share against
// the study too, the straight-line trend of the share over the last year
// of closed rounds (at least four; least squares over every answer with
// HC0 errors), every agree–disagree statement (built-in and custom) with
// its distribution and its mean on 0–100 with the bounded-mean interval
// (never of zero width), sales and product side by side and the change
// since the previous round (Benjamini–Hochberg across statements), each
// statement's association with A1 (Pearson's r with its Fisher-z
// interval, which widens as n shrinks; association, not cause), up to
// three focus areas (a positive association that survives the
// false-discovery control, and a score at or below the median
// statement's) and whether sales and product answered at different
// rates. format.HeadlineOf words it.
//
// Per-statement numbers come from their own rollup rows
// (RollupItem), decided by the same rules as the indices, each
// statement's answers and each driver's pairs (statement and A1 answered)
// a basis of its own (items.go).
//
// # Rollups
//
// Dashboards read rollups (RollupCell), not answers: for every
// round, one row per group any filter could ask for, holding sufficient
// statistics (A1 level counts; count, sum and sum of squares of index
// scores; alpha) of published numbers and nothing but the key, the number
// invited and why for hidden ones. Combined filters are precomputed this way
// rather than summed from finer rows, because publication is decided per
// group and a hidden group's numbers must not be stored at all. A round's
// rollups are computed when it closes (ComputeOnClose, inside the closing
// transaction), by EnsureRollups whenever a dashboard finds them missing or
// outdated (a changed minimum group size or comment threshold, a newer
// algorithm), and for open rounds by RefreshOpen, which the server runs in
// the background so that an open round's rollups are never older than
// about OpenRefresh and no request pays for recomputing them. Open
// rounds show response rates only; their scores appear when they close.
// Comments are the one thing read from answers (text cannot be summed),
// for one round and one group already cleared by its rollup.
//
// # Confidentiality
//
// k is the organisation's minimum group size (never below 3). The rule is
// per number, not per group: every published number rests on at least k
// people who answered the questions behind that very number. Items are
// optional, so a group of 40 responses may have 2 trust answers; its
// response count and rate rest on its responses, its completely-aligned
// share, A1 distribution and alignment index on its A1 answers, and each
// of the trust, information and process indices on the people who answered
// at least one of its items. A gap side, a change (in both of its rounds),
// a comparison and a breakdown cell are each such a number, so they are
// shown only where each number they are made of is.
//
// For each round, suppressRound decides once, over every combination of
// attributes, which groups may publish which numbers, so that no sequence
// of pages, filters, exports or API calls shows more than each allows.
// Suppress decides the groups from their responses; SuppressWithin then
// decides each basis (the A1 answers, each index's answers) with its own
// counts, starting from the groups the responses hid, by the same rules:
//
//  1. Threshold: a number resting on fewer than k people is hidden.
//  2. Complementary suppression: a published group equals the sum of its
//     parts along any attribute (sales = its teams), for every number. If
//     any part's number is hidden, at least two are, resting on at least k
//     people together; otherwise the smallest published parts are hidden
//     too. If the group's number is hidden, at least one of its parts' is.
//     Subtracting published parts from a published total therefore never
//     isolates fewer than k people's answers, whichever number is read.
//  3. Nested filters: a published number of a group inside another
//     published group (sales · EMEA inside sales) leaves 0 or at least k
//     people over; otherwise the smaller one is hidden.
//  4. Identical groups share their fate ("team X" and "sales · team X" when
//     X is a sales team).
//  5. Linear audit: any sum or difference of any number of published
//     groups' numbers is checked exactly (see audit.go): no set of fewer
//     than k people may be computable, whichever filters are combined.
//  6. Continuity across rounds: a number published in the previous closed
//     round is hidden this round when between 1 and k-1 people behind it
//     may have joined or left (counted from invitations): its change would
//     otherwise mostly describe those few people, as when a team of 6
//     answers with 5 of them next time, or all 6 answer but one skips the
//     trust items. Responses are not linked to people, so who answered an
//     index in both rounds is known only within bounds; the number is
//     hidden if any overlap within them leaves fewer than k changed
//     (Carry.Unsettled).
//
// Cronbach's alpha is not a sum, so no subtraction recovers a smaller
// group's from published ones: it is shown where its index is and only
// over at least k people who answered every item. The rollups store no
// hidden number (its columns hold zeros) and say why each is hidden, and
// measuresOf, the one reader every surface goes through, hides again any
// number under k whatever a cell holds.
//
// A hidden number says truly why (Reason): "fewer than k responses" only
// when its group has them, "fewer than k answers to these questions" when
// the group has enough responses but too few answered, and "hidden so that
// a smaller group cannot be worked out" when it rests on at least k people
// but another rule hid it. These bounds reveal counts, never answers.
// Comments follow the group rules with the comment threshold instead of k,
// and appear only for published groups.
//
// The continuity rule compares consecutive closed rounds; a reader who
// compares rounds further apart compares answers given months apart, by
// people whose views have moved, and no exact disclosure follows.
//
// # Imports
//
// analytics imports survey and its leaf packages and analytics/stats; it
// never imports a web package, templates or a command (cmd/accord's
// TestLayering checks the whole graph).
package analytics
