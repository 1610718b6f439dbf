"""Many handles as one Ray job: request, driver, submission, state."""
