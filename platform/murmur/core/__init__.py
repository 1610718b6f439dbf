"""The ground floor: what every stage uses, importing no stage.

    errors.py      the error tree (MurmurError ...) and one-line messages for validation errors
    handles.py     handles of every network, model specs and model names (validated here, once)
    tweets.py      Tweet and Account: the posts of one account as every source returns them
    manifest.py    ModelManifest (murmur.json beside every model), HandleStats
    store.py       Store: one URI for raw posts, base models, published models and job state
    metrics.py     every Prometheus metric murmur exports, defined once, and their recording
    states.py      the words of a model's and a job's state
    seeds.py       the default seed
    generation.py  huggingtweets' generation defaults
    tracking.py    W&B as users configure it (WANDB_MODE, WANDB_DIR, ...)
    env.py         boolean environment variables, read as Hugging Face reads them

The stages sit above, in order: data, models, train, jobs, serving, then the CLI. No module here
imports one of them.
"""
