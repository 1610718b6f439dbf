"""`python -m murmur.cli` is the `murmur` command (where the console script is not on PATH)."""

from murmur.cli import main

main()
