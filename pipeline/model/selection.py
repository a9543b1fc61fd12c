"""Choose K by coherence, fit the final models, and measure their stability across seeds.

`sweep_and_fit` is the one entry point. Every fit is an independent `FitJob` run by the
top-level function `run_fit_job` (plain picklable arguments in, a picklable `FitOutcome` out),
dispatched through `mapper(fn, items)`: the builtin `map` by default, or any drop-in such as a
Prefect- or Dask-backed map, since no fit depends on another's result within a round.
Coherence is scored afterwards in the calling process, all fits of a round in one pass over
the texts (`coherence_scores_many`, pipeline/model/coherence.py): that pass, not the topics,
is its cost.

Rounds:
1. sweep: every model at every K of `model.num_topics` with the main seed; each fit is scored
   with c_npmi and c_v (top-10 words on the run's own token lists; gensim's definitions with
   our exact window counts, pipeline/model/coherence.py) and topic diversity (top-25 words);
2. K choice per model (rule below);
3. stability: `model.stability_seeds - 1` further seeds (main seed + 1, + 2, ...) at the
   chosen K, each fitted on a seeded random `model.stability_sample` share (0.8) of the
   documents; topics are matched to the main fit's by Hungarian assignment on top-10-word
   Jaccard (pipeline/model/stability.py, pipeline/model/matching.py). The subsample
   matters: NMF's NNDSVD start and LDA's NMF warm start are (nearly) deterministic, so a new
   seed alone would change little and report every topic as stable; refitting on 80% of the
   articles (Greene et al. 2014, "How many topics? Stability analysis for topic models")
   asks whether a topic is a property of the corpus rather than of these exact documents and
   this seed.
With a single K the two rounds are one: the extra seeds are dispatched with the main fits.

K choice rule (`model.k_rule`):
- "npmi" (default): the K with the highest mean c_npmi; every K whose c_npmi is within
  `model.k_tolerance` (0.005) of that best counts as a tie, and the smallest tied K wins
  (fewer topics are easier to read, and coherence differences that small are noise).
- "npmi_diversity": c_npmi and diversity are each z-scored across the swept Ks of that model
  and averaged; the highest mean wins, exact ties to the smaller K. It penalises Ks whose
  extra topics only repeat words of the others.
The chosen K is per model: LDA and NMF may settle on different Ks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from vntopics.pipeline.config import ModelConfig
from vntopics.pipeline.model.corpus import Corpus
from vntopics.pipeline.parallel import Mapper, Progress
from vntopics.pipeline.model.coherence import (COHERENCE_TOP_N, coherence_scores_many,
                                               topic_diversity)
from vntopics.pipeline.model.fitting import DIVERSITY_TOP_N, FitJob, FitOutcome
from vntopics.pipeline.model.kept_fits import KeptFits, fit_all
from vntopics.pipeline.model.registry import family
from vntopics.pipeline.model.seeds import SeedTopic, resolve_seed_topics
from vntopics.pipeline.model.topics import TopicModel
from vntopics.pipeline.model.stability import (STABILITY_COLUMNS, STABILITY_TOP_N,
                                               stability_table)

K_SWEEP_COLUMNS = ["model", "k", "c_npmi", "c_v", "diversity", "seconds", "chosen"]


def score_outcomes(outcomes: Sequence[FitOutcome], texts: Sequence[Sequence[str]],
                   dictionary) -> None:
    """Fill each outcome's scores: c_npmi, c_v (means and per topic) and diversity."""
    scores = coherence_scores_many([[w[:COHERENCE_TOP_N] for w in o.top_words]
                                    for o in outcomes], texts, dictionary)
    for outcome, score in zip(outcomes, scores):
        outcome.scores = {**score,
                          "diversity": topic_diversity(outcome.top_words, DIVERSITY_TOP_N)}


@dataclass
class FitResult:
    """The model stage's output, filled by `sweep_and_fit`: the final model of each name
    (chosen K, main seed), the K sweep and stability tables, and the manifest metrics per
    model (chosen K included). The flow passes it to the compare stage and into `RunResults`
    for the store."""
    models: dict[str, TopicModel]        # final model per name: chosen K, main seed
    k_sweep: pd.DataFrame                # K_SWEEP_COLUMNS, one row per model x K
    stability: pd.DataFrame              # STABILITY_COLUMNS, one row per topic of each model
    metrics: dict                        # per model, for manifest.json
    seed_topics: list[SeedTopic] = field(default_factory=list)   # as resolved, in order
    refits_reused: int = 0               # stability refits read back (model/kept_fits.py)


def choose_k(sweep: pd.DataFrame, rule: str = "npmi", tolerance: float = 0.005) -> int:
    """The K of one model's sweep rows (columns k, c_npmi, diversity) chosen by `rule`."""
    rows = sweep.sort_values("k").reset_index(drop=True)
    if len(rows) == 1:
        return int(rows.k.iloc[0])
    if rule == "npmi":
        best = rows.c_npmi.max()
        return int(rows.k[rows.c_npmi >= best - tolerance].min())
    if rule == "npmi_diversity":
        def z(values: pd.Series) -> np.ndarray:
            spread = values.std(ddof=0)
            return ((values - values.mean()) / spread).to_numpy() if spread > 0 else \
                np.zeros(len(values))
        score = (z(rows.c_npmi) + z(rows.diversity)) / 2
        return int(rows.k[np.isclose(score, score.max(), rtol=0, atol=1e-12)].min())
    raise ValueError(f"unknown model.k_rule {rule!r}")


def sweep_and_fit(corpus: Corpus, texts: Sequence[Sequence[str]], model_config: ModelConfig,
                  *, mapper: Mapper = map, warm_start: dict[str, np.ndarray] | None = None,
                  progress: Progress | None = None, kept: KeptFits | None = None
                  ) -> FitResult:
    """Fit every model of `model_config.models` over its K values, choose K per model, fit the
    stability seeds at that K, and gather tables and metrics. `texts` are the token lists of
    the corpus' documents (what coherence is counted on).

    `warm_start` maps a model name to topics (K x V over this corpus' vocabulary) to start
    from, e.g. the previous version's: the main fit at that K starts there, other Ks of a
    sweep start as usual, and the stability seeds always start fresh (they measure whether
    the topics are a property of the corpus, not of the start).

    `model_config.seed_topics` are resolved against the vocabulary first (a seed topic with
    no word in it stops here, before any fit) and seed every fit (pipeline/model/seeds.py).

    `progress` hears one step per model name, counting its fits (every K, every seed).
    `kept`: where stability refits of an earlier run over this corpus are read back from,
    and this run's are kept."""
    seeded = tuple(resolve_seed_topics(model_config.seed_topics, corpus.vocabulary))
    warm_start = warm_start or {}
    names, ks, seed = list(model_config.models), model_config.k_values(), model_config.seed
    n_seeds = model_config.stability_seeds
    extra_seeds = [seed + i for i in range(1, n_seeds)]
    totals = {name: len(ks) + len(extra_seeds) for name in names}
    done = dict.fromkeys(names, 0)

    def counted(outcomes: Iterable[FitOutcome]) -> Iterator[FitOutcome]:
        for outcome in outcomes:
            done[outcome.name] += 1
            if progress:
                progress(outcome.name, done[outcome.name], totals[outcome.name])
            yield outcome

    for name in names if progress else ():
        progress(name, 0, totals[name])

    def job(name: str, k: int, job_seed: int) -> FitJob:
        main_seed = job_seed == seed
        start = warm_start.get(name) if family(name).warm_start else None
        start = start if main_seed and start is not None and len(start) == k else None
        return FitJob(name, k, job_seed, getattr(model_config, name, None), corpus,
                      1.0 if main_seed else model_config.stability_sample, main_seed, start,
                      seeded)

    jobs = [job(name, k, seed) for name in names for k in ks]
    if len(ks) == 1:   # K known up front: one round
        jobs += [job(name, ks[0], s) for name in names for s in extra_seeds]
    outcomes = list(counted(fit_all(jobs, mapper, kept)))
    main = {(o.name, o.k): o for o in outcomes if o.seed == seed}
    score_outcomes(list(main.values()), texts, corpus.dictionary)

    sweep = pd.DataFrame([{"model": o.name, "k": o.k, "c_npmi": o.scores["c_npmi"],
                           "c_v": o.scores["c_v"], "diversity": o.scores["diversity"],
                           "seconds": o.seconds} for o in main.values()])
    chosen_k = {name: choose_k(sweep[sweep.model == name], model_config.k_rule,
                               model_config.k_tolerance) for name in names}
    sweep["chosen"] = [chosen_k[m] == k for m, k in zip(sweep.model, sweep.k)]
    sweep = sweep.sort_values(["model", "k"], key=lambda c: c.map(names.index)
                              if c.name == "model" else c).reset_index(drop=True)

    if len(ks) > 1 and extra_seeds:
        outcomes += list(counted(fit_all([job(name, chosen_k[name], s) for name in names
                                          for s in extra_seeds], mapper, kept)))

    models, stability, metrics = {}, [], {}
    for name in names:
        final = main[(name, chosen_k[name])]
        others = [o for o in outcomes if o.name == name and o.k == final.k and o.seed != seed]
        others.sort(key=lambda o: o.seed)
        reference = [w[:STABILITY_TOP_N] for w in final.top_words]
        table = stability_table(name, reference, [[w[:STABILITY_TOP_N] for w in o.top_words]
                                                  for o in others],
                                model_config.stability_threshold)
        models[name] = final.model
        stability.append(table)
        metrics[name] = {
            "k": final.k, "k_values": ks, "k_rule": model_config.k_rule,
            "seed": seed, "c_npmi": final.scores["c_npmi"], "c_v": final.scores["c_v"],
            "diversity": final.scores["diversity"], "fit_seconds": round(final.seconds, 3),
            "stability_seeds": n_seeds, "stability_sample": model_config.stability_sample,
            "stability_mean_jaccard": float(table.mean_jaccard.mean()),
            "stability_min_jaccard": float(table.min_jaccard.min()),
            "stable_topics": int(table.stable.sum()),
            "unstable_topics": [int(t) for t in table.topic[~table.stable]],
            "c_npmi_per_topic": final.scores["c_npmi_per_topic"],
            "c_v_per_topic": final.scores["c_v_per_topic"],
        }
    stability_frame = (pd.concat(stability, ignore_index=True) if stability
                       else pd.DataFrame(columns=STABILITY_COLUMNS))
    return FitResult(models=models, k_sweep=sweep[K_SWEEP_COLUMNS], stability=stability_frame,
                     metrics=metrics, seed_topics=list(seeded),
                     refits_reused=kept.reused if kept else 0)
