"""The ground floor: what every stage uses, importing no stage.

    errors.py      the error tree (MurmurError ...) and one-line messages for validation errors
    handles.py     handles of every network, model specs and model names (validated here, once)
    tweets.py      Tweet and Account: the posts of one account as every source returns them;
                   the avatar URL a page may show
    manifest.py    ModelManifest (murmur.json beside every model), HandleStats
    store.py       Store: one URI for raw posts, base models, published models and job state
    model_versions.py, store_migration.py   a published model's versions; older stores migrated
    retry.py       store writes retried with backoff
    metrics.py     every Prometheus metric murmur exports, defined once, and their recording
    states.py      the words of a model's and a job's state
    seeds.py       the default seed
    sampling.py    the seeded per-row sampler (training's predictions and serving)
    generation.py  huggingtweets' generation defaults; a model's context length
    clock.py       UTC stamps ending in `Z`; time-sorted ids and a publish's version id
    paths.py       this machine's cache folder ($MURMUR_CACHE) and file locks (filelock)
    job_ids.py     a job's id: made, and checked by one rule (the job's folder and its run's)
    ray_init.py    starting or joining Ray: this process's, $RAY_ADDRESS's, or a local one
    tracking.py    W&B as users configure it (WANDB_MODE, WANDB_DIR, ...)
    env.py         boolean environment variables, read as Hugging Face reads them

The stages sit above, in order: data, models, train, evals, jobs, serving, then the CLI. No module
here imports one of them.
"""
