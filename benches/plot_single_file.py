"""Draws benches/single_file.sh's summary: time against the size of a PyO3 module grown with
debug info (log-log, one line per approach), and the 100,000-export files per format.

    python3 benches/plot_single_file.py SUMMARY_JSON OUT_PNG    (needs matplotlib)
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

summary = json.load(open(sys.argv[1]))
approaches = summary["approaches"]
labels = {
    "pyinit-check": "pyinit-check",
    "maturin-before": "maturin before mmap (read + goblin)",
    "maturin-after": "maturin after mmap (mmap + goblin)",
    "nm": "nm -D | grep",
}
styles = {"pyinit-check": "o-", "maturin-before": "^--", "maturin-after": "s-.", "nm": "d:"}
colors = {name: f"C{k}" for k, name in enumerate(labels)}


def log_ms(axis):
    """Ticks at 1, 2, 5 times powers of ten, written plainly (0.5, 2, 1000)."""
    axis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1, 2, 5)))
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda y, _: f"{y:g}"))
    axis.set_minor_formatter(matplotlib.ticker.NullFormatter())

pyo3 = sorted((i for i in summary["inputs"] if i["set"] == "pyo3"), key=lambda i: i["bytes"])
exports = [i for i in summary["inputs"] if i["set"] == "exports"]

fig, (sizes, formats) = plt.subplots(1, 2, figsize=(11, 4.4), gridspec_kw={"width_ratios": [3, 2]})
load = summary.get("load")
if load:
    fig.suptitle(f"{summary.get('cores', '?')} cores; load average {load[0]} → {load[1]}; "
                 f"medians of ≥ {summary.get('runs', '?')} runs", fontsize=9)

mib = 1024 * 1024
for name in approaches:
    xs = [i["bytes"] / mib for i in pyo3]
    ys = [i["results"][name]["median_s"] * 1000 for i in pyo3]
    sizes.plot(xs, ys, styles[name], color=colors[name], label=labels[name])
sizes.set_xscale("log")
sizes.set_yscale("log")
sizes.set_xticks([i["bytes"] / mib for i in pyo3])
sizes.set_xticklabels([f"{round(i['bytes'] / mib / 1024):g} GiB" if i["bytes"] >= 1000 * mib
                       else f"{round(i['bytes'] / mib):g} MiB" for i in pyo3])
sizes.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
log_ms(sizes.yaxis)
sizes.set_xlabel("file size (PyO3 cdylib + .debug_info)")
sizes.set_ylabel("median time (ms)")
sizes.set_title("One module: time vs file size")
sizes.grid(True, which="both", alpha=0.3)
sizes.legend(fontsize=8)

width = 0.8 / len(approaches)
for k, name in enumerate(approaches):
    xs = [j + (k - (len(approaches) - 1) / 2) * width for j in range(len(exports))]
    ys = [i["results"][name]["median_s"] * 1000 for i in exports]
    formats.bar(xs, ys, width, color=colors[name], label=labels[name])
formats.set_yscale("log")
log_ms(formats.yaxis)
formats.set_xticks(range(len(exports)))
formats.set_xticklabels([f"{i['label'].split('-')[0].replace('MachO', 'Mach-O')}\n{int(i['label'].split('-')[1]):,} exports"
                         for i in exports], fontsize=8)
formats.set_ylabel("median time (ms)")
formats.set_title("Many exports: time per format (colours as left)")
formats.grid(True, axis="y", which="both", alpha=0.3)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print(f"wrote {sys.argv[2]}")
