"""Models at rest: the store, manifests, cards, publishing and base models."""
