"""Train the text reader's line model on the development corpus; write audio_edition/inputs/data/lines.npz.

    .venv/bin/python bench/reader_train.py [--corpus DIR] [--out FILE]

Needs the `train` extra (LightGBM). Only the pages of the training split (by
site, see reader_data.fold_of) are used; the test split's sites are never
seen. The first stage is trained on every training page; the context stage on
the first stage's out-of-fold predictions (site-grouped folds), so that it
learns how far the first stage can be trusted on pages it has not seen; the
span decoder's settings are chosen on those out-of-fold predictions too.

The weights learned from seomoz/dragnet_data would carry its AGPL-3.0 terms;
this corpus does not use it (its HTML is not in the public snapshot), so the
weights come from mozilla/readability's (Apache-2.0) test pages, trafilatura's
(Apache-2.0) evaluation pages and newspaper's (MIT) test pages.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reader_augment
import reader_data as rd

from audio_edition.inputs import linemodel
from audio_edition.inputs.linemodel import (
    CLASSES,
    STATES,
    TITLE_FEATURES,
    LineModel,
    Trees,
    context_features,
    title_candidates,
    title_features,
)
from audio_edition.inputs.text import evidence

LABEL_VERSION = "3"


def page_data(page: rd.Page) -> tuple[list, np.ndarray, np.ndarray]:
    """(units, features, labels as class indices, -1 where unknown), the labels cached beside the page."""
    ev = evidence(page.text)
    units, x = ev.units, ev.x
    texts = [u.text for u in units]
    digest = hashlib.sha1(("\n".join(texts) + LABEL_VERSION).encode()).hexdigest()
    cache = page.folder / "labels.json"
    labels = None
    if cache.is_file():
        stored = json.loads(cache.read_text())
        if stored.get("digest") == digest:
            labels = stored["labels"]
    if labels is None:
        labels = rd.label_units(page, texts)
        cache.write_text(json.dumps({"digest": digest, "labels": labels}))
    y = np.array([CLASSES.index(lab) if lab else -1 for lab in labels])
    return units, x, y


def augment(pages: list[rd.Page], data: list) -> tuple[list, list[rd.Page]]:
    """A pasted and a trimmed copy of each page (see reader_augment.py), labelled by construction."""
    rng = random.Random(11)
    pool = reader_augment.inline_pool(data)
    blocks = reader_augment.block_pool(data)
    extra: list = []
    extra_pages: list[rd.Page] = []
    for page, (units, _, y) in zip(pages, data, strict=True):
        for made in (reader_augment.paste(units, y, pool, rng, blocks), reader_augment.trimmed(units, y, rng)):
            if made is None:
                continue
            text, line_labels = made
            ev = evidence(text)
            labels = np.array([line_labels[u.line] for u in ev.units])
            extra.append((ev.units, ev.x, labels))
            extra_pages.append(page)  # the same site: it stays in the same fold
    return extra, extra_pages


def trees_from_lightgbm(booster, classes: int) -> Trees:
    """LightGBM's trees as flat arrays (a leaf points to itself)."""
    dump = booster.dump_model()
    forest = dump["tree_info"]
    rows: list[tuple[list[int], list[float], list[int], list[int], list[float]]] = []
    depth = 1
    for info in forest:
        feats: list[int] = []
        thresholds: list[float] = []
        lefts: list[int] = []
        rights: list[int] = []
        values: list[float] = []

        def add(node: dict, level: int) -> int:
            nonlocal depth
            index = len(feats)
            feats.append(0)
            thresholds.append(np.inf)
            lefts.append(index)
            rights.append(index)
            values.append(0.0)
            if "leaf_value" in node or "split_feature" not in node:
                values[index] = float(node.get("leaf_value", 0.0))
                depth = max(depth, level)
                return index
            assert node["decision_type"] == "<=", node["decision_type"]
            feats[index] = int(node["split_feature"])
            thresholds[index] = float(node["threshold"])
            lefts[index] = add(node["left_child"], level + 1)
            rights[index] = add(node["right_child"], level + 1)
            return index

        add(info["tree_structure"], 0)
        rows.append((feats, thresholds, lefts, rights, values))
    width = max(len(r[0]) for r in rows)

    def pad(k: int, fill: float) -> np.ndarray:
        out = np.full((len(rows), width), fill, dtype=np.float64)
        for t, r in enumerate(rows):
            out[t, : len(r[k])] = r[k]
            if k in (2, 3):
                out[t, len(r[k]) :] = np.arange(len(r[k]), width)  # padding nodes point to themselves
        return out

    return Trees(
        feature=pad(0, 0).astype(np.intp),
        threshold=pad(1, np.inf),
        left=pad(2, 0).astype(np.intp),
        right=pad(3, 0).astype(np.intp),
        value=pad(4, 0.0),
        tree_class=np.array([t % classes for t in range(len(rows))]),
        classes=classes,
        depth=depth,
    )


def out_of_fold(x: np.ndarray, y: np.ndarray, usable: np.ndarray, fold: np.ndarray, classes: int, rounds: int,
                weight: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Each row's prediction by a model trained on the `usable` rows of the other three folds
    ((rows, classes) probabilities; for a binary target, one probability a row, as LightGBM gives it)."""
    out = np.zeros((len(y), classes) if classes > 1 else len(y))
    for k in range(4):
        train = usable & (fold != k)
        booster = fit(x[train], y[train], classes, rounds, None if weight is None else weight[train])
        rows = fold == k
        out[rows] = booster.predict(x[rows])
    return out


def fit(x: np.ndarray, y: np.ndarray, classes: int, rounds: int, weight: np.ndarray | None = None):
    import lightgbm

    params = {
        "objective": "multiclass" if classes > 1 else "binary",
        "learning_rate": 0.1,
        "num_leaves": 31,
        "max_depth": 7,
        "min_data_in_leaf": 40,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "verbosity": -1,
        "num_threads": 2,
        "seed": 7,
        "deterministic": True,
    }
    if classes > 1:
        params["num_class"] = classes
    data = lightgbm.Dataset(x, label=y, weight=weight, free_raw_data=False)
    return lightgbm.train(params, data, num_boost_round=rounds)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=rd.CORPUS)
    parser.add_argument("--out", type=Path, default=linemodel.MODEL_FILE)
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--no-augment", action="store_true", help="train on the whole pages only")
    args = parser.parse_args()

    started = time.monotonic()
    pages = [p for p in rd.load(args.corpus) if p.has_body and not rd.is_test(p)]
    print(f"training pages: {len(pages)} from {len({p.site for p in pages})} sites")
    data = [page_data(p) for p in pages]
    real = len(data)
    print(f"labelled in {time.monotonic() - started:.0f} s")
    if not args.no_augment:
        extra, extra_pages = augment(pages, data)
        data += extra
        pages += extra_pages
        print(f"with {len(extra)} pasted and trimmed copies: {len(data)} pages")
    x = np.concatenate([d[1] for d in data])
    y = np.concatenate([d[2] for d in data])
    page_of = np.concatenate([np.full(len(d[2]), i) for i, d in enumerate(data)])
    fold = np.array([rd.fold_of(pages[i].site + "#cv") % 4 for i in page_of])
    known = y >= 0
    # Each page weighs the same in training, whatever its length: the metric averages over pages.
    weight = np.concatenate([np.full(len(d[2]), 1.0 / np.sqrt(max(1, len(d[2])))) for d in data])

    # Stage 1 out of fold, then stage 2 on those predictions.
    oof = out_of_fold(x, y, known, fold, len(CLASSES), args.rounds, weight)
    z = np.concatenate([context_features(oof[page_of == i], data[i][1]) for i in range(len(data))])
    where = np.concatenate([positions(d[2]) for d in data])
    placed = where >= 0
    oof2 = out_of_fold(z, where, placed, fold, len(STATES), args.rounds, weight)
    # Out-of-fold probabilities of the real pages (in training order), for choosing the reader's rules by.
    rows = page_of < real
    np.savez(args.corpus / "oof.npz", oof=oof[rows], oof2=oof2[rows], page_of=page_of[rows],
             pages=np.array([str(p.folder) for p in pages[:real]]))  # fmt: skip

    offsets = tune(pages[:real], data[:real], page_of, oof2)  # chosen on the real pages only
    print("offsets", offsets)
    resume_min, sandwich = tune_resume(pages[:real], data[:real], page_of, oof, oof2, offsets)
    print("resume", resume_min, "sandwich", sandwich)
    # The headline stage, on the candidates the decoded article gives each page.
    decoder = LineModel(None, None, offsets)  # type: ignore[arg-type]
    t_rows, t_y, t_page = [], [], []
    for i, (units_i, x_i, y_i) in enumerate(data):
        rows = page_of == i
        states = decoder.states(oof2[rows])
        cands = title_candidates(states, x_i)
        t_rows.append(title_features([u.text for u in units_i], cands, oof[rows], oof2[rows], states, x_i))
        t_y.append((y_i[cands] == CLASSES.index("title")).astype(float))
        t_page.append(np.full(len(cands), i))
    tx, ty, tp = np.concatenate(t_rows), np.concatenate(t_y), np.concatenate(t_page)
    tfold = np.array([rd.fold_of(pages[i].site + "#cv") % 4 for i in tp])
    t_oof = out_of_fold(tx, ty, np.ones(len(ty), dtype=bool), tfold, 1, args.rounds)
    report_titles(pages[:real], tp, ty, t_oof, tx)

    first = fit(x[known], y[known], len(CLASSES), args.rounds, weight[known])
    second = fit(z[placed], where[placed], len(STATES), args.rounds, weight[placed])
    third = fit(tx, ty, 1, args.rounds)
    units, context = trees_from_lightgbm(first, len(CLASSES)), trees_from_lightgbm(second, len(STATES))
    titles = trees_from_lightgbm(third, 1)
    assert np.allclose(1 / (1 + np.exp(-titles.raw(tx[:2000])[:, 0])), third.predict(tx[:2000]), atol=1e-9)
    # The numpy walk must give LightGBM's own predictions.
    sample = np.arange(0, len(x), max(1, len(x) // 2000))
    assert np.allclose(linemodel._softmax(units.raw(x[sample])), first.predict(x[sample]), atol=1e-9)
    assert np.allclose(linemodel._softmax(context.raw(z[sample])), second.predict(z[sample]), atol=1e-9)
    final = LineModel(units, context, offsets, titles, 0.1, resume_min, sandwich)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **final.to_arrays())
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.monotonic() - started:.0f} s")


def report_titles(pages: list[rd.Page], tp: np.ndarray, ty: np.ndarray, scores: np.ndarray, tx: np.ndarray) -> None:
    """Out of fold: how often the best-scored candidate is the labelled headline, beside the first stage's pick."""
    right = first_stage = labelled = 0
    p_title = TITLE_FEATURES.index("p_title")
    for i in range(len(pages)):
        rows = np.flatnonzero(tp == i)
        if not len(rows) or not ty[rows].any():
            continue
        labelled += 1
        right += ty[rows[np.argmax(scores[rows])]] > 0
        first_stage += ty[rows[np.argmax(tx[rows, p_title])]] > 0
    print(f"headline: right on {right} of {labelled} labelled pages out of fold; first stage alone {first_stage}")


def positions(y: np.ndarray) -> np.ndarray:
    """Each unit's place (an index into STATES) from its label: above the first content unit, the article, below the last."""
    where = np.full(len(y), -1)
    content = np.flatnonzero(y == 1)
    if not len(content):
        return where
    first, last = content[0], content[-1]
    index = np.arange(len(y))
    where[index < first] = 0
    where[index > last] = 3
    inside = (index >= first) & (index <= last)
    where[inside & (y == 1)] = 1
    where[inside & (y != 1)] = 2
    return where


def tune_resume(pages: list[rd.Page], data: list, page_of: np.ndarray, probs: np.ndarray, q: np.ndarray,
                offsets: tuple[float, float, float, float]) -> tuple[float | None, bool]:  # fmt: skip
    """`LineModel.resume`'s settings (the first-stage probability, None: never; and the sandwich rule),
    chosen like the offsets."""
    per_page = [(page, units, x, probs[page_of == i], q[page_of == i])
                for i, (page, (units, x, _)) in enumerate(zip(pages, data, strict=True))]  # fmt: skip
    best, best_score = (None, False), -1.0
    for sandwich in (False, True):
        for threshold in (None, 0.5, 0.6, 0.7, 0.8, 0.9):
            model = LineModel(None, None, offsets, resume_min=threshold, sandwich=sandwich)  # type: ignore[arg-type]
            score = rd.Score()
            for page, units, x, p1, p2 in per_page:
                keep = model.resume(model.states(p2), p1, x) == 1
                score.add(page.gold_body(), "\n".join(u.text for u, k in zip(units, keep, strict=True) if k))
            value = 3 * score.precision * score.recall / max(1e-9, 2 * score.precision + score.recall)
            print(f"  resume at {threshold}, sandwich {sandwich}: {score.line()}")
            if value > best_score:
                best, best_score = (threshold, sandwich), value
    return best


def tune(pages: list[rd.Page], data: list, page_of: np.ndarray, q: np.ndarray) -> tuple[float, float, float, float]:
    """The decoder's offsets with the best out-of-fold F-score, recall weighed twice (losing text is worse)."""
    per_page = [(page, units, q[page_of == i]) for i, (page, (units, _, _)) in enumerate(zip(pages, data, strict=True))]
    per_page = per_page[:: max(1, len(per_page) // 400)]  # enough pages to choose by, fast enough to try many settings
    best, best_score = (0.0, 0.0, 0.0, 0.0), -1.0
    for content in (0.0, 0.5, 1.0, 1.5):
        for aside in (-1.0, 0.0, 0.5):
            for after in (-1.0, -0.5, 0.0):
                for before in (-0.5, 0.0):
                    offsets = (before, content, aside, after)
                    model = LineModel(None, None, offsets)  # type: ignore[arg-type]
                    score = rd.Score()
                    for page, units, probs in per_page:
                        keep = model.states(probs) == 1
                        score.add(page.gold_body(), "\n".join(u.text for u, k in zip(units, keep, strict=True) if k))
                    value = 3 * score.precision * score.recall / max(1e-9, 2 * score.precision + score.recall)
                    if value > best_score:
                        best, best_score = offsets, value
                        print(f"  offsets {offsets}: {score.line()}")
    return best


if __name__ == "__main__":
    main()
