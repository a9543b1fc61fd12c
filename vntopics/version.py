"""`Version`: one published version of a report, as a notebook or script uses it: its tables
as pandas DataFrames (CSV or Parquet alike), its topics and their prevalence by province and
year with ids and labels, its saved models to score new text, and a short HTML summary."""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from vntopics.tables import Tables

if TYPE_CHECKING:
    import pandas as pd

    from vntopics.pipeline.store import SavedModels

SCORE_COLUMNS = ["doc", "model", "topic_id", "label", "weight"]
PREVALENCE_BY = ("province", "year", "province_year")
TOPIC_WORDS = 10


class Version:
    """One published version of a report: a folder ``<artifacts-dir>/<version>``.

    Get one from `vntopics.run` (a new version) or `vntopics.open_version` (an existing one).

    Parameters
    ----------
    path : str or pathlib.Path
        The version folder.

    Attributes
    ----------
    path : pathlib.Path
        The version folder, absolute.
    name : str
        The version's name, e.g. ``20261122T135529Z-5b045b2d``.
    tables : Mapping[str, pandas.DataFrame]
        Every table of the version by name (``tables/<name>.csv`` or ``.parquet``), loaded on
        first access; ``artifacts/README.md`` describes their columns.

    Examples
    --------
    >>> version = vntopics.open_version("latest", artifacts_dir="artifacts")
    >>> version.topics("lda")
    >>> version.prevalence("lda", by="province")
    >>> version.score(["Tỉnh ủy An Giang thực hiện Nghị quyết 18-NQ/TW ..."])
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser().resolve()
        if not (self.path / "manifest.json").is_file():
            raise ValueError(f"{self.path} is not a vntopics version (no manifest.json)")
        self.name = self.path.name
        self.tables = Tables(self.path)

    @cached_property
    def manifest(self) -> dict:
        """``manifest.json``: config, input checksums, counts, metrics, stage timings.

        Examples
        --------
        >>> version.manifest["metrics"]["npmi"]
        {'lda': 0.12, 'nmf': 0.19}
        """
        from vntopics.pipeline.store import read_manifest

        return read_manifest(self.path)

    @property
    def report(self) -> Path:
        """The version's ``report.html`` (one offline file; open it in a browser).

        Examples
        --------
        >>> import webbrowser; webbrowser.open(version.report.as_uri())
        """
        return self.path / "report.html"

    @cached_property
    def models(self) -> SavedModels:
        """The saved models (``models/``), checked against the manifest's checksums.

        Returns
        -------
        vntopics.pipeline.store.SavedModels
            ``.dictionary`` (gensim), ``.estimators`` (``"lda"``: gensim LdaModel,
            ``"nmf"``: tf-idf + scikit-learn NMF), ``.topic_word(model)`` and
            ``.doc_topics(model, token_lists)`` for already segmented documents.

        Raises
        ------
        ValueError
            A version written before artifact contract 2 (no ``models/``), or a model file
            missing or altered.

        Examples
        --------
        >>> version.models.topic_word("lda").shape
        (8, 5204)
        """
        from vntopics.pipeline.store import load_models

        return load_models(self.path, self.manifest)

    def labels(self) -> dict[str, dict[str, str]]:
        """{model: {topic_id: label}}: the labels of this version's topics, those set later
        with `vntopics.label` (``labels.yaml`` beside the versions) winning.

        Examples
        --------
        >>> version.labels()["lda"]["L03"]
        'Xây dựng Đảng'
        """
        from vntopics.pipeline.store import read_labels

        topics = self.tables["topics"]
        labels: dict[str, dict[str, str]] = {}
        for row in topics[["model", "topic_id", "label"]].drop_duplicates().itertuples():
            labels.setdefault(row.model, {})[row.topic_id] = row.label
        for model, later in read_labels(self.path.parent).items():
            known = labels.get(model, {})
            known.update({tid: label for tid, label in later.items() if tid in known})
        return labels

    def topics(self, model: str | None = None, *, top_n: int = TOPIC_WORDS) -> pd.DataFrame:
        """One row per topic: its id, label, top words and share of the corpus.

        Parameters
        ----------
        model : {"lda", "nmf"}, optional
            One model's topics; default: every model's.
        top_n : int, default 10
            How many top words ``words`` lists.

        Returns
        -------
        pandas.DataFrame
            ``model, topic, topic_id, label, words, share, n_docs``: ``topic`` is the position
            in this version's model, ``topic_id`` (``L03``) the id kept across versions,
            ``words`` the top words in rank order joined by ", ", ``share`` the mean document
            weight, ``n_docs`` the documents whose dominant topic it is. Sorted by model and
            share, largest first.

        Examples
        --------
        >>> version.topics("lda").head(3)
        """
        import pandas as pd

        topics = self._by_model(self.tables["topics"], model)
        words = (topics[topics["rank"] <= top_n].sort_values(["model", "topic", "rank"])
                 .groupby(["model", "topic", "topic_id"], sort=False)["word"]
                 .agg(", ".join).rename("words").reset_index())
        weights = self._by_model(self.tables["doc_topics"], model)
        share = weights.groupby(["model", "topic_id"])["weight"].mean().rename("share")
        dominant = weights.loc[weights.groupby(["model", "doc_id"])["weight"].idxmax()]
        n_docs = dominant.groupby(["model", "topic_id"]).size().rename("n_docs")
        table = (words.join(share, on=["model", "topic_id"])
                 .join(n_docs, on=["model", "topic_id"]))
        table["n_docs"] = table["n_docs"].fillna(0).astype(int)
        table.insert(3, "label", self._label_column(table))
        return pd.DataFrame(table.sort_values(["model", "share"], ascending=[True, False])
                            .reset_index(drop=True))

    def prevalence(self, model: str | None = None, by: str = "province") -> pd.DataFrame:
        """Each topic's prevalence by province, year or province × year, with its 95%
        bootstrap interval and the difference from all other documents.

        Parameters
        ----------
        model : {"lda", "nmf"}, optional
            One model; default: every model.
        by : {"province", "year", "province_year"}, default "province"
            The grouping.

        Returns
        -------
        pandas.DataFrame
            ``model, <by>, topic_id, label, prevalence, ci_low, ci_high, n_docs, ...,
            topic``: one row per group and topic (``by="province_year"`` gives a
            ``province`` and a ``year`` column; ``topic`` is the position in the model);
            ``artifacts/README.md`` explains every column.

        Raises
        ------
        ValueError
            `by` is not one of the three groupings.

        Examples
        --------
        >>> lda = version.prevalence("lda", by="year")
        >>> lda.pivot(index="year", columns="label", values="prevalence")
        """
        import pandas as pd

        if by not in PREVALENCE_BY:
            raise ValueError(f"by={by!r}: expected one of {', '.join(PREVALENCE_BY)}")
        table = self._by_model(self.tables["topic_prevalence"], model)
        table = table[table["dimension"] == by].drop(columns=["dimension"])
        groups = table.pop("group")
        if by == "province_year":
            parts = groups.str.rsplit("|", n=1, expand=True)
            keys = {"province": parts[0], "year": pd.to_numeric(parts[1], errors="coerce")}
        else:
            keys = {by: groups if by == "province" else pd.to_numeric(groups,
                                                                      errors="coerce")}
        front = pd.DataFrame({"model": table.pop("model"), **keys,
                              "topic_id": table.pop("topic_id")})
        if "year" in front:
            front["year"] = front["year"].astype("Int64")
        front["label"] = self._label_column(front)
        table = table[[c for c in table.columns if c != "topic"] + ["topic"]]
        return pd.concat([front, table], axis=1).reset_index(drop=True)

    def score(self, texts: Sequence[str] | pd.Series) -> pd.DataFrame:
        """Topic weights of new texts under this version's saved models, without refitting.

        Each text is cleaned and segmented as a run does (the same settings as this version,
        the segmentation cache reused), then weighted by every saved model.

        Parameters
        ----------
        texts : list of str or pandas.Series of str
            Raw article texts (not segmented). A Series keeps its index as ``doc``.

        Returns
        -------
        pandas.DataFrame
            ``doc, model, topic_id, label, weight``: one row per text, model and topic
            (weights sum to 1 per text and model); ``doc`` is the text's position in the list
            or its Series index. A text the run would reject (empty, too few words, no word of
            the version's vocabulary) has no rows, and a warning names it and why.

        Raises
        ------
        TypeError
            `texts` is one string (pass a list: ``[text]``), or holds something not a string.

        Examples
        --------
        >>> scores = version.score(["Tỉnh ủy An Giang thực hiện Nghị quyết 18-NQ/TW ..."])
        >>> scores[scores.model == "lda"].nlargest(3, "weight")
        """
        from vntopics.pipeline.store import score_texts
        from vntopics.scoring import checked_texts, run_config, scores_by_doc, warn_rejected

        docs, texts = checked_texts(texts)
        table = score_texts(self.path, texts, run_config(self.manifest))
        warn_rejected(table, docs)
        scores = scores_by_doc(table, docs)
        scores.insert(3, "label", self._label_column(scores))
        return scores[SCORE_COLUMNS]

    def apply(self, paths: str | Path | Sequence[str | Path]) -> pd.DataFrame:
        """Score files or folders of new articles, as ``vntopics apply`` does.

        Parameters
        ----------
        paths : str, pathlib.Path or a list of them
            Files or folders in any input format a run reads.

        Returns
        -------
        pandas.DataFrame
            ``doc_id, model, topic_id, weight, status, reason`` (the CSV of ``vntopics
            apply``): one row per document and topic; a rejected document gets one row with
            its reason and no topic.

        Examples
        --------
        >>> new = version.apply("new_articles/")
        >>> new[new.status == "ok"].groupby("topic_id").weight.mean()
        """
        from vntopics.pipeline.config_io import resolve_path
        from vntopics.pipeline.store import apply_version
        from vntopics.scoring import run_config

        paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        config = run_config(self.manifest)
        sidecar = resolve_path(config.input.sidecar) if config.input.sidecar else None
        return apply_version(self.path, [resolve_path(p) for p in paths], config, sidecar)

    def _label_column(self, frame: pd.DataFrame) -> list[str]:
        labels = self.labels()
        return [labels.get(m, {}).get(t, "") for m, t in zip(frame["model"], frame["topic_id"])]

    @staticmethod
    def _by_model(table: pd.DataFrame, model: str | None) -> pd.DataFrame:
        if model is None:
            return table
        if model not in set(table["model"]):
            raise ValueError(f"model {model!r} is not in this version "
                             f"(models: {', '.join(sorted(set(table['model'])))})")
        return table[table["model"] == model]

    def __repr__(self) -> str:
        counts = self.manifest.get("documents", {})
        return (f"Version({self.name!r}, documents={counts.get('ok')} modelled of "
                f"{counts.get('in')}, tables={list(self.tables)})")

    def _repr_html_(self) -> str:
        from vntopics.summary import version_html

        return version_html(self)
