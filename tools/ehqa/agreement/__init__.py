"""Agreement statistics (issue 14): how far independent graders agree, and drift between auditors and
moderators, each with a seeded bootstrap interval. Pure functions over ``ehqa.model``'s ratings; it sits beside
``rules/`` in the layers and reads only the model."""
