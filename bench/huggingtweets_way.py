"""One account trained huggingtweets' way: a fresh Python process, Hugging Face's Trainer, batch 1,
fp32, lr 1.372e-4 on a cosine schedule without warmup, one pass over the 4-epoch training text cut
into blocks of the model's context length, then the model saved. bench/train_many.py runs this
once per account, as huggingtweets' notebook did, and times the whole process.

    python bench/huggingtweets_way.py --train-file T --base-model PATH --out DIR [--max-blocks N]

Prints one JSON line: where this process's time went (imports, loading, tokenizing, training,
saving) and the tokens it trained on.
"""

from __future__ import annotations

import argparse
import json
import time

T0 = time.perf_counter()

import torch  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM,
    AutoTokenizer,
    Trainer,
    TrainingArguments,
)

IMPORTED = time.perf_counter()


class Blocks(torch.utils.data.Dataset):  # type: ignore[type-arg]
    """The token stream cut into full blocks; a causal LM's labels are its inputs."""

    def __init__(self, ids: list[int], block: int) -> None:
        self.ids = torch.tensor(ids[: len(ids) // block * block]).view(-1, block)  # (N, block)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--train-file", required=True)
    p.add_argument("--base-model", required=True, help="a local model folder or hub id")
    p.add_argument("--out", required=True)
    p.add_argument("--max-blocks", type=int, default=0, help="cap the blocks trained (0: all)")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    tokenizer = AutoTokenizer.from_pretrained(a.base_model)
    model = AutoModelForCausalLM.from_pretrained(a.base_model, torch_dtype=torch.float32)
    loaded = time.perf_counter()

    block = min(1024, int(model.config.max_position_embeddings))
    with open(a.train_file, encoding="utf-8") as f:
        ids = tokenizer(f.read())["input_ids"]
    data = Blocks(ids, block)
    tokenized = time.perf_counter()

    args = TrainingArguments(
        output_dir=f"{a.out}/trainer",
        per_device_train_batch_size=1,
        learning_rate=1.372e-4,
        lr_scheduler_type="cosine",
        warmup_steps=0,
        num_train_epochs=1,
        max_steps=a.max_blocks if a.max_blocks > 0 else -1,
        seed=a.seed,
        save_strategy="no",
        report_to="none",
        logging_steps=10_000,
        disable_tqdm=True,
        use_cpu=not torch.cuda.is_available(),
    )
    trainer = Trainer(model=model, args=args, train_dataset=data)
    result = trainer.train()
    trained = time.perf_counter()

    trainer.save_model(a.out)
    tokenizer.save_pretrained(a.out)
    saved = time.perf_counter()

    steps = int(result.global_step)
    print(
        json.dumps(
            {
                "imports_s": IMPORTED - T0,
                "load_s": loaded - IMPORTED,
                "tokenize_s": tokenized - loaded,
                "train_s": trained - tokenized,
                "save_s": saved - trained,
                "steps": steps,
                "tokens": steps * block,
                "block": block,
                "train_loss": float(result.training_loss),
            }
        )
    )


if __name__ == "__main__":
    main()
