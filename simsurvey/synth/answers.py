"""Who is in which group and who answers what: the random draws of :func:`simsurvey.generate`.

Each draw has its own named child seed of the run's root seed
(:func:`simsurvey.synth.copula.child_seed`), so one step's draws do not depend
on which other steps ran:

- :func:`group_codes`: each respondent's group. Exact mode shuffles the
  whole-number group sizes; sampled mode draws from the shares, or cuts the
  latent model's trait at its fitted thresholds.
- :func:`sampled_cuts`: how sampled mode reads each question off its latent
  value (exact mode reads it off by rank, with the counts of
  :func:`simsurvey.synth.exact.exact_design`).
- :func:`draw_answers`: group by group, the latent values of every question
  (Gaussian copula, or the latent model's trait plus noise) turned into
  answers and, optionally, five-point Likert answers.
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from simsurvey.synth.calibrate import probabilities
from simsurvey.synth.copula import assign_by_rank, assign_by_threshold, child_seed, cuts_from_probs, latent_columns
from simsurvey.synth.latent import _theta_in_groups, group_cuts
from simsurvey.synth.likert import likert_codes_exact, likert_codes_sampled, likert_scale

__all__ = ["group_codes", "theta_in_groups", "sampled_cuts", "draw_answers",
           "GROUPS", "FACTOR", "NOISE", "RATINGS", "THETA", "EMPLOYEES", "COUNTRY"]

# named child seeds (see copula.child_seed): one stream per purpose
GROUPS, FACTOR, NOISE, RATINGS, THETA, EMPLOYEES, COUNTRY = range(7)


def group_codes(n: int, shares_pct, root, fit=None, sizes=None) -> tuple[np.ndarray, np.ndarray | None]:
    """Each respondent's group (int8 codes, catalogue order) and, with a latent ``fit``, trait value.

    ``sizes`` given (exact mode): a shuffle of exactly that many respondents
    per group, the trait drawn within each group's slice. Otherwise
    (sampled mode): the latent model's trait cut at its thresholds, or
    multinomial draws from ``shares_pct``.

    Examples
    --------
    >>> codes, theta = group_codes(5, [60.0, 40.0], np.random.SeedSequence(1), sizes=[3, 2])
    >>> sorted(codes.tolist()), theta
    ([0, 0, 0, 1, 1], None)
    """
    k = len(shares_pct)
    rng = np.random.default_rng(child_seed(root, GROUPS))
    if sizes is not None:
        codes = rng.permutation(np.repeat(np.arange(k, dtype=np.int8), sizes))
        return codes, (None if fit is None else theta_in_groups(root, codes, sizes))
    if fit is not None:
        theta = np.random.default_rng(child_seed(root, THETA)).standard_normal(n).astype(np.float32)
        return assign_by_threshold(theta, fit.cuts[1:-1]), theta
    share = np.asarray(shares_pct, dtype=float)
    return rng.choice(k, size=n, p=share / share.sum()).astype(np.int8), None


def theta_in_groups(root, codes: np.ndarray, sizes) -> np.ndarray:
    """A tier trait per respondent, standard normal cut into the groups' slices (first group on top)."""
    return _theta_in_groups(np.random.default_rng(child_seed(root, THETA)), codes, group_cuts(sizes))


def sampled_cuts(d, fit=None) -> dict:
    """Per question, the descending latent cut points of each group (rows): sampled mode's rules.

    The calibrated model cuts at the printed probabilities
    (:func:`simsurvey.synth.calibrate.probabilities`); the latent model at its
    fitted thresholds, the same in every group.
    """
    if fit is not None:
        return {q.id: np.tile(np.asarray(fit.params[q.id][1]), (len(d.groups), 1)) for q in d.questions}
    return {q.id: np.array([cuts_from_probs(p) for p in probabilities(q, len(d.groups))]) for q in d.questions}


def draw_answers(d, n: int, codes: np.ndarray, rules: dict, root, *, exact: bool, corr=None, fit=None,
                 theta=None, likert: bool = False, progress: bool | None = None):
    """Answer codes (0 = top category) of every question, and Likert codes where asked.

    Parameters
    ----------
    d : Design
    n : int
    codes : numpy.ndarray
        Group code per respondent.
    rules : dict of question id -> numpy.ndarray
        Per group (rows): exact mode's counts per category, or sampled mode's cut points.
    root : numpy.random.SeedSequence
    exact : bool
        Read answers off by rank (exact counts) or by threshold (sampled).
    corr : Correlation, optional
        The calibrated model's within-group correlation.
    fit, theta : LatentFit and numpy.ndarray, optional
        The latent model: loadings, and each respondent's trait.
    likert, progress : bool
        Add Likert codes for the yes/no items; show a progress bar.

    Returns
    -------
    answers : dict of question id -> int8 array
    likert_codes : dict of question id -> int8 array
    scales : dict of question id -> (labels, top boxes)
    """
    answers = {q.id: np.empty(n, dtype=np.int8) for q in d.questions}
    scales = {q.id: likert_scale(q.base) for q in d.questions if likert and not q.single_choice}
    likert_codes = {qid: np.empty(n, dtype=np.int8) for qid in scales}
    loadings = [fit.params[q.id][0] for q in d.questions] if fit is not None else None
    bar = _progress_bar(len(d.groups) * len(d.questions), progress)
    for g in range(len(d.groups)):
        rows = np.flatnonzero(codes == g)
        if rows.size == 0:
            bar.update(len(d.questions))
            continue
        seeds = [child_seed(root, NOISE, g, q.id) for q in d.questions]
        factor = _factor(root, g, rows, corr, theta)
        for q, z in zip(d.questions, latent_columns(rows.size, corr, seeds, factor, loadings)):
            rule = rules[q.id][g]
            answers[q.id][rows] = got = assign_by_rank(z, rule) if exact else assign_by_threshold(z, rule)
            if q.id in scales:
                top, n_top = got == 0, scales[q.id][1]
                likert_codes[q.id][rows] = (likert_codes_exact(z, top, n_top) if exact else
                                            likert_codes_sampled(z, top, float(1 - ndtr(rule[0])), n_top))
            bar.update(1)
    bar.close()
    return answers, likert_codes, scales


def _factor(root, g: int, rows: np.ndarray, corr, theta):
    """The common factor of group ``g``'s latent values: the trait, an equicorrelation factor, or none."""
    if theta is not None:
        return theta[rows]
    if corr.matrix is None and corr.rho > 0:
        return np.random.default_rng(child_seed(root, FACTOR, g)).standard_normal(rows.size, dtype=np.float32)
    return None


class _NoBar:
    def update(self, k=1):
        pass

    def close(self):
        pass


def _progress_bar(total: int, progress: bool | None):
    """A tqdm bar (to stderr; by default only on a terminal), or a silent stand-in without tqdm."""
    if progress is False:
        return _NoBar()
    try:
        from tqdm import tqdm  # lazy: not a core dependency
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc="generate", unit="question", leave=False,
                disable=None if progress is None else not progress)
