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
//     interval excludes zero.
//
// # Rollups
//
// Dashboards read rollups (survey.RollupCell), not answers: for every
// round, one row per group any filter could ask for, holding sufficient
// statistics (A1 level counts; count, sum and sum of squares of index
// scores; alpha) of published groups and nothing but the key and the
// number invited for hidden ones. Combined filters are precomputed this way
// rather than summed from finer rows, because publication is decided per
// group and a hidden group's numbers must not be stored at all. A round's
// rollups are computed when it closes (ComputeOnClose, inside the closing
// transaction) and by Refresh whenever a dashboard finds them missing or
// stale: a changed minimum group size or comment threshold, a newer
// algorithm, or an open round's rollups older than OpenRefresh. Open
// rounds show response rates only; their scores appear when they close.
// Comments are the one thing read from answers (text cannot be summed),
// for one round and one group already cleared by its rollup.
//
// # Confidentiality
//
// k is the organisation's minimum group size (never below 3). For each
// round, Suppress decides once which groups may be published, over every
// combination of attributes, so that no sequence of pages or filters shows
// more than each allows:
//
//  1. Threshold: a group with fewer than k responses is hidden.
//  2. Complementary suppression: a published group equals the sum of its
//     parts along any attribute (sales = its teams). If any part is hidden,
//     at least two are, holding at least k responses together; otherwise
//     the smallest published parts are hidden too. If the group itself is
//     hidden, at least one of its parts is. Subtracting published parts
//     from a published total therefore never isolates fewer than k people.
//  3. Nested filters: a published group inside another published group
//     (sales · EMEA inside sales) leaves 0 or at least k people over;
//     otherwise the smaller one is hidden.
//  4. Identical groups share their fate ("team X" and "sales · team X" when
//     X is a sales team).
//  5. Linear audit: any sum or difference of any number of published
//     groups is checked exactly (see audit.go): no set of fewer than k
//     respondents may be computable, whichever filters are combined.
//  6. Continuity across rounds: a group published in the previous closed
//     round is hidden this round when fewer than k people joined or left
//     it (0 < |joined| + |left| < k, counted from invitations): its change
//     would otherwise mostly describe those few people, as when a team of
//     6 answers with 5 of them next time.
//
// Hidden groups read "fewer than k responses" whatever the reason, so that
// the message itself reveals nothing. Comments follow the same rules with
// the comment threshold instead of k, and appear only for published groups.
//
// The continuity rule compares consecutive closed rounds; a reader who
// compares rounds further apart compares answers given months apart, by
// people whose views have moved, and no exact disclosure follows.
package analytics
