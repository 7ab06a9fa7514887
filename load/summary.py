"""Print the load test's figures from locust's CSV files: python load/summary.py PREFIX

Per request kind: requests, failures, requests a second, median and 95th percentile;
then the whole run, and each kind of failure with how often it happened.
"""

import csv
import sys
from pathlib import Path


def main(prefix: str) -> None:
    with Path(f"{prefix}_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    print(
        f"\n{'request':<22} {'requests':>9} {'failures':>9} {'per s':>7} {'median':>8} {'95th':>8}"
    )
    for row in rows:
        name = "all requests" if row["Name"] == "Aggregated" else row["Name"]
        if row["Name"] == "Aggregated":
            print("-" * 68)
        print(
            f"{name:<22} {int(row['Request Count']):>9,} {int(row['Failure Count']):>9,} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>5} ms {row['95%']:>5} ms"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as listed:
            for row in csv.DictReader(listed):
                print(f"failure: {row['Occurrences']} x {row['Name']}: {row['Error']}")


if __name__ == "__main__":
    main(sys.argv[1])
