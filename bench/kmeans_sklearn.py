"""scikit-learn k-means on an Insights CSV: the reference the Node CLI's k-means is timed against.

Usage: /usr/bin/python3 bench/kmeans_sklearn.py FILE K

Reads employee_id and the four energy columns with the csv module, normalises each row to
percentages (the four energies sum to 100, as the Node core does), runs
KMeans(n_clusters=K, n_init=10, random_state=42) and prints the assignments as JSON, in input order.
"""

import csv
import json
import sys

import numpy as np
from sklearn.cluster import KMeans

ENERGY_COLUMNS = ["red_energy", "blue_energy", "green_energy", "yellow_energy"]


def read_profiles(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        ids = []
        rows = []
        for record in reader:
            ids.append(record["employee_id"])
            rows.append([float(record[column]) for column in ENERGY_COLUMNS])
    energies = np.asarray(rows, dtype=np.float64)
    return ids, energies / energies.sum(axis=1, keepdims=True) * 100.0


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: kmeans_sklearn.py FILE K")
    ids, energies = read_profiles(sys.argv[1])
    labels = KMeans(n_clusters=int(sys.argv[2]), n_init=10, random_state=42).fit_predict(energies)
    json.dump({"assignments": [{"employee_id": i, "cluster": int(c)} for i, c in zip(ids, labels)]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
