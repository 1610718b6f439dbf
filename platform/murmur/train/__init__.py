"""Fine-tuning many models in one Ray Train + DeepSpeed run."""
