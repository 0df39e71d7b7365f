# Reference results for simsurvey.weighting from R's survey package (Lumley).
#
# Run from this folder:  Rscript weighting.R
# Writes, next to this script:
#   weighting_input.csv            the fixed sample (400 respondents, unequal base weights)
#   weighting_weights.csv          one column of weights per case below
#   weighting_replicate_counts.csv bootstrap counts (respondent x replicate)
#   weighting_replicate_weights.csv the replicate weights after raking every replicate
#   weighting_replicate_ratios.csv  the replicate ratio growing / stagnant of y1, raked and not
#   weighting_fixtures.json        the margins, bounds and trims used, and the R and survey versions
# tests/test_weighting_reference.py compares simsurvey with these files (always), and reruns this
# script where Rscript and the survey package are installed.
suppressMessages(library(survey))
options(digits = 15)
set.seed(20170901)

n <- 400
sizes <- c("2-4", "5-9", "10-19", "20-99", "100-199")
regions <- c("NE", "MW", "S", "W")
sectors <- c("retail", "services", "other")
s <- data.frame(
  respondent = seq_len(n),
  size = sample(sizes, n, replace = TRUE, prob = c(0.25, 0.25, 0.2, 0.2, 0.1)),
  region = sample(regions, n, replace = TRUE, prob = c(0.2, 0.2, 0.35, 0.25)),
  sector = sample(sectors, n, replace = TRUE, prob = c(0.3, 0.5, 0.2)),
  base = round(runif(n, 0.5, 3), 3),
  group = sample(c("growing", "stagnant"), n, replace = TRUE, prob = c(0.7, 0.3)),
  stringsAsFactors = FALSE)
s$y1 <- rbinom(n, 1, ifelse(s$group == "growing", 0.4, 0.2) + 0.1 * (s$size %in% c("20-99", "100-199")))
stopifnot(all(table(s$size, s$region) > 0))
s$size <- factor(s$size, levels = sizes)
s$region <- factor(s$region, levels = regions)
s$sector <- factor(s$sector, levels = sectors)
s$group <- factor(s$group, levels = c("growing", "stagnant"))
s$one <- 1
write.csv(s[, c("respondent", "size", "region", "sector", "base", "group", "y1")], "weighting_input.csv",
          row.names = FALSE)

pop_size <- c(0.60, 0.17, 0.11, 0.10, 0.02)
pop_region <- c(0.18, 0.21, 0.38, 0.23)
pop_sector <- c(0.25, 0.55, 0.20)
N <- 5000
margin <- function(var, levels, shares, total) {
  out <- data.frame(levels, shares * total); names(out) <- c(var, "Freq")
  out[[var]] <- factor(out[[var]], levels = levels(s[[var]])); out
}
ctl <- list(maxit = 5000, epsilon = 1e-13)
tot <- function(d) sum(weights(d))

# 1. rake, equal base weights, two margins (totals sum to n)
d1 <- svydesign(ids = ~1, weights = ~one, data = s)
r1 <- rake(d1, list(~size, ~region), list(margin("size", sizes, pop_size, n), margin("region", regions, pop_region, n)),
           control = ctl)
# 2. rake, unequal base weights, three margins (population totals N)
d2 <- svydesign(ids = ~1, weights = ~base, data = s)
pm3 <- list(margin("size", sizes, pop_size, N), margin("region", regions, pop_region, N),
            margin("sector", sectors, pop_sector, N))
r2 <- rake(d2, list(~size, ~region, ~sector), pm3, control = ctl)
# 3. calibrate(calfun = "raking"), same problem: the same weights
pop_vec <- c(`(Intercept)` = N, setNames(pop_size[-1] * N, paste0("size", sizes[-1])),
             setNames(pop_region[-1] * N, paste0("region", regions[-1])),
             setNames(pop_sector[-1] * N, paste0("sector", sectors[-1])))
mm_names <- colnames(model.matrix(~size + region + sector, s))
pop_vec <- pop_vec[mm_names]
c3 <- calibrate(d2, ~size + region + sector, pop_vec, calfun = "raking", epsilon = 1e-13, maxit = 5000)
# 4. calibrate with bounds on g = weight / base weight. R's bounded raking (a Newton method whose
#    derivative is cut by the bounds on the linear predictor) converges only when the adjustment is
#    mild, so this case rakes to a population close to the sample, with bounds that bind for 207 of 400.
bounds <- c(0.7, 1.4)
pop_size_mild <- c(0.32, 0.26, 0.18, 0.16, 0.08)
pop_vec_mild <- pop_vec
pop_vec_mild[paste0("size", sizes[-1])] <- pop_size_mild[-1] * N
d2s <- svydesign(ids = ~1, weights = ~I(base * N / sum(base)), data = s)
c4 <- calibrate(d2s, ~size + region + sector, pop_vec_mild, calfun = "raking", bounds = bounds,
                epsilon = 1e-13, maxit = 5000)
g4 <- weights(c4) / weights(d2s)
stopifnot(min(g4) >= bounds[1] - 1e-9, max(g4) <= bounds[2] + 1e-9, sum(abs(g4 - bounds[1]) < 1e-9) > 0,
          sum(abs(g4 - bounds[2]) < 1e-9) > 0)
# 5. trimWeights(strict = TRUE) of the raked weights of case 2, bounds as multiples of the mean weight
trim <- c(0.4, 2.5)
mw <- mean(weights(r2))
t5 <- trimWeights(r2, lower = trim[1] * mw, upper = trim[2] * mw, strict = TRUE)
# 6. postStratify on size x region, unequal base weights
cells <- expand.grid(size = factor(sizes, levels = levels(s$size)), region = factor(regions, levels = levels(s$region)))
cells$Freq <- as.vector(outer(pop_size, pop_region)) * N
p6 <- postStratify(d2, ~size + region, cells)

weights_out <- data.frame(respondent = s$respondent,
                          rake_equal = weights(r1), rake_base = weights(r2), calibrate_raking = weights(c3),
                          calibrate_bounded = weights(c4), base_bounded = weights(d2s),
                          trimmed = weights(t5), poststratify = weights(p6))

# 7. bootstrap replicates (multinomial counts x base weight), every replicate raked to the same totals
B <- 40
counts <- sapply(seq_len(B), function(b) tabulate(sample.int(n, n, replace = TRUE), n))
colnames(counts) <- paste0("rep", seq_len(B))
rd <- svrepdesign(data = s, weights = ~base, repweights = counts * s$base, type = "bootstrap",
                  combined.weights = TRUE)
# rake() stops when the full-sample weights converge; replicates can be slower, so run a fixed
# 300 sweeps (an epsilon no table can meet) and check that every replicate meets its margins.
rr <- withCallingHandlers(rake(rd, list(~size, ~region, ~sector), pm3, control = list(maxit = 300, epsilon = 1e-300)),
                          warning = function(w) if (grepl("did not converge", conditionMessage(w))) invokeRestart("muffleWarning"))
rw <- weights(rr, "analysis")
for (v in c("size", "region", "sector")) {
  gap <- max(abs(rowsum(rw, s[[v]]) - rep(pm3[[match(v, c("size", "region", "sector"))]]$Freq, B)))
  stopifnot(gap < 1e-9 * N)
}
ratio_reps <- function(des) {
  by <- svyby(~y1, ~group, des, svymean, return.replicates = TRUE)
  r <- attr(by, "replicates")
  c(coef(by)["growing"] / coef(by)["stagnant"], r[, "growing"] / r[, "stagnant"])
}
ratios <- data.frame(replicate = 0:B, unweighted = ratio_reps(rd), raked = ratio_reps(rr))

write.csv(weights_out, ("weighting_weights.csv"), row.names = FALSE)
write.csv(data.frame(respondent = s$respondent, counts), ("weighting_replicate_counts.csv"), row.names = FALSE)
colnames(rw) <- paste0("rep", seq_len(B))
write.csv(data.frame(respondent = s$respondent, rw), ("weighting_replicate_weights.csv"), row.names = FALSE)
write.csv(ratios, ("weighting_replicate_ratios.csv"), row.names = FALSE)

json_vec <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
json_str <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
cat(file = ("weighting_fixtures.json"), paste0('{\n',
  '  "r_version": "', R.version.string, '",\n',
  '  "survey_version": "', as.character(packageVersion("survey")), '",\n',
  '  "n": ', n, ', "population_total": ', N, ',\n',
  '  "sizes": ', json_str(sizes), ', "size_shares": ', json_vec(pop_size), ',\n',
  '  "regions": ', json_str(regions), ', "region_shares": ', json_vec(pop_region), ',\n',
  '  "sectors": ', json_str(sectors), ', "sector_shares": ', json_vec(pop_sector), ',\n',
  '  "size_shares_mild": ', json_vec(pop_size_mild), ',\n',
  '  "bounds": ', json_vec(bounds), ', "trim": ', json_vec(trim), ', "replicates": ', B, ',\n',
  '  "rake_control": {"maxit": 5000, "epsilon": 1e-13}\n}\n'))
