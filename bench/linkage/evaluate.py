"""Precision and recall of Hearth's output against a synthetic dataset's truth.

    evaluate.py TRUTH.csv CLUSTERS.csv PAIRS.csv

Prints cluster-pair and pairwise (match probability >= 0.5) precision/recall/F1 on one line.
Counting is done per person group, so a million records need no pair lists in memory.
"""

import sys
from collections import Counter

import pandas as pd


def main() -> None:
    truth_path, clusters_path, pairs_path = sys.argv[1:4]
    truth = pd.read_csv(truth_path, dtype=str)
    clusters = pd.read_csv(clusters_path, dtype=str)
    both = truth.merge(clusters, on="id")
    # Pairs in the same cluster, in the same person, and in both.
    same = lambda counts: sum(c * (c - 1) // 2 for c in counts)  # noqa: E731
    true_pairs = same(Counter(both["person_id"]).values())
    predicted = same(Counter(both["cluster_id"]).values())
    correct = same(Counter(zip(both["person_id"], both["cluster_id"])).values())
    person = dict(zip(truth["id"], truth["person_id"]))
    pairs = pd.read_csv(pairs_path, dtype={"id_l": str, "id_r": str}, usecols=["id_l", "id_r", "match_probability"])
    pairs = pairs[pairs["match_probability"] >= 0.5]
    pair_correct = sum(person[a] == person[b] for a, b in zip(pairs["id_l"], pairs["id_r"]))

    def prf(tp, pred, true):
        p = tp / pred if pred else 0.0
        r = tp / true if true else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {p:.4f} R {r:.4f} F1 {f:.4f}"

    print(f"clusters {prf(correct, predicted, true_pairs)}; pairwise {prf(pair_correct, len(pairs), true_pairs)}")


if __name__ == "__main__":
    main()
