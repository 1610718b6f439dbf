"""From handles to training data: handles, sources, huggingtweets' rules, prepare."""
