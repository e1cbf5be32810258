"""scikit-learn k-means on an Insights CSV: the peer the Node CLI's k-means is timed against.

Usage: /usr/bin/python3 bench/kmeans_sklearn.py FILE K

What a data scientist would write: pandas reads the CSV, each row is normalised to percentages
(the four energies sum to 100, as the Node core does), KMeans(n_clusters=K, n_init=10,
random_state=42) fits, and the assignments are printed as JSON in input order.
Needs Debian's python3-sklearn and python3-pandas (apt-get install -y python3-sklearn python3-pandas).
"""

import json
import sys

import pandas as pd
from sklearn.cluster import KMeans

ENERGY_COLUMNS = ["red_energy", "blue_energy", "green_energy", "yellow_energy"]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: kmeans_sklearn.py FILE K")
    frame = pd.read_csv(sys.argv[1], dtype={"employee_id": str})
    energies = frame[ENERGY_COLUMNS].to_numpy(dtype="float64")
    energies = energies / energies.sum(axis=1, keepdims=True) * 100.0
    labels = KMeans(n_clusters=int(sys.argv[2]), n_init=10, random_state=42).fit_predict(energies)
    out = pd.DataFrame({"employee_id": frame["employee_id"], "cluster": labels})
    sys.stdout.write('{"assignments":')
    sys.stdout.write(out.to_json(orient="records"))
    sys.stdout.write("}\n")


if __name__ == "__main__":
    main()
