"""Training commands: each model is trained from the project's own labelled data and saved with a card."""
