"""murmur: many tweet bots, one endpoint.

Fine-tunes GPT-2 on one account's tweets (or up to three accounts combined) for many accounts at
once on a Ray cluster, and serves every resulting model behind one generation endpoint.
"""

__version__ = "0.1.0"
