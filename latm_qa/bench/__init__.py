"""Bench: the retrieval benchmark. metrics.py judges and scores runs (ranx), report.py runs every
retriever, ablation and typo variant and writes eval/results/."""
