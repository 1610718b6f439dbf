"""Fidelity: how much each bot writes like its own account (`murmur eval`, `murmur train --eval`).

    fidelity      evaluate(store, names): the loss matrix, attribution, style, copies
    bots          the bots judged: manifests, tokenizers, the posts each was trained and scored on
    cross_loss    nats per byte of each bot on every account's validation posts; own ranks
    generated     K posts per bot with huggingtweets' sampling and a fixed seed
    attribution   a char n-gram TF-IDF + logistic regression on the training posts; copies
    style         length, mentions, hashtags, emoji, distinct words
    evaluations   records in the store (evals/<id>.json) and a bot's latest row
    heatmap       the loss and confusion matrices as a PNG

A stage between train and jobs: it imports core, data, models and train, never jobs, serving or
the CLI. Needs the `eval` extra (scikit-learn, matplotlib). This package's names are the records'
(no torch import: a card or page shows an evaluation cheaply); `evaluate` is in
murmur.evals.fidelity.
"""

from murmur.evals.evaluations import (
    bot_row,
    evaluation_section,
    latest_evaluation,
    load_evaluation,
    save_evaluation,
)

__all__ = [
    "bot_row",
    "evaluation_section",
    "latest_evaluation",
    "load_evaluation",
    "save_evaluation",
]
