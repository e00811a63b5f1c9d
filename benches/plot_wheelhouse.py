"""Draws benches/wheelhouse.sh's summary: time against input size (log-log, one line per
approach) and the house's time against --jobs.

    python3 benches/plot_wheelhouse.py SUMMARY_JSON OUT_PNG    (needs matplotlib)
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

summary = json.load(open(sys.argv[1]))
median = summary["median_s"]
wheels = summary["house_wheels"]
fig, (sizes, jobs) = plt.subplots(1, 2, figsize=(11, 4.2))
load = summary.get("load")
if load:
    fig.suptitle(f"{summary.get('cores', '?')} cores; load average {load[0]} → {load[1]}", fontsize=9)
# House subsets: 1 copy, 2 copies, all copies of the 23 real wheels.
points = [("house1", 23), ("house2", 46), ("house", wheels)]
for label, prefix, style in [
    ("pyinit-check --jobs 1", "pyinit-check -j1 ", "o-"),
    ("pyinit-check --jobs 2", "pyinit-check -j2 ", "s-"),
    ("Python zipfile inflate (1 thread)", "python inflate ", "^--"),
]:
    xs = [n for name, n in points if prefix + name in median]
    ys = [median[prefix + name] for name, n in points if prefix + name in median]
    sizes.plot(xs, ys, style, label=label)
sizes.set_xscale("log")
sizes.set_yscale("log")
for axis in (sizes.xaxis, sizes.yaxis):
    axis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
sizes.set_xticks([n for _, n in points])
sizes.set_yticks([0.25, 0.5, 1, 2, 4, 8])
sizes.set_xlabel("wheels (copies of 23 real wheels)")
sizes.set_ylabel("median time (s)")
sizes.set_title("Wheelhouse: time vs input size")
sizes.grid(True, which="both", alpha=0.3)
sizes.legend()

counts = [j for j in (1, 2, 4) if f"pyinit-check -j{j} house" in median]
times = [median[f"pyinit-check -j{j} house"] for j in counts]
jobs.plot(counts, [wheels / t for t in times], "o-", label="pyinit-check")
if "python inflate house" in median:
    jobs.axhline(wheels / median["python inflate house"], linestyle="--", color="gray",
                 label="Python zipfile inflate (1 thread)")
jobs.set_xticks(counts)
jobs.set_ylim(bottom=0)
jobs.set_xlabel("--jobs (machine: 2 cores)")
jobs.set_ylabel("wheels per second")
jobs.set_title(f"{wheels}-wheel house: throughput vs --jobs")
jobs.grid(True, alpha=0.3)
jobs.legend()
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print(f"wrote {sys.argv[2]}")
