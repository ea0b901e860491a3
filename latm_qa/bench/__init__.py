"""Bench: the retrieval benchmark. metrics.py judges and scores runs (ranx), report.py runs every
retriever, ablation and typo variant and writes eval/results/ (a user's own questions: eval-results/), gold.py
reads question files and refuses gold the index cannot match, per_question.py tells each question's rank."""
