#!/usr/bin/env python3
"""Writes breast_cancer.csv and wine.csv from the copies that scikit-learn ships.

Run once with Debian's python3-sklearn (/usr/bin/python3 data/tables/extract.py); the CSVs are
committed, so the study needs no Python. Feature names and class names are sklearn's; the class
column becomes text (diagnosis: malignant/benign, cultivar: class_0..class_2), so it reads as a
binary and a categorical column. Numbers are written as sklearn parsed them (repr of the float).
"""
import csv
import os
import sys

from sklearn.datasets import load_breast_cancer, load_wine

here = os.path.dirname(os.path.abspath(__file__))


def write(name, bunch, target_name):
    path = os.path.join(here, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([*bunch.feature_names, target_name])
        for row, t in zip(bunch.data, bunch.target):
            w.writerow([*(repr(float(v)) for v in row), bunch.target_names[t]])
    print(f"{path}: {bunch.data.shape[0]} rows, {bunch.data.shape[1] + 1} columns", file=sys.stderr)


write("breast_cancer.csv", load_breast_cancer(), "diagnosis")
write("wine.csv", load_wine(), "cultivar")
