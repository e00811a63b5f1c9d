"""Helper of benches/single_file.sh (standard library only).

    python3 benches/single_file.py exports-source COUNT MODULE > FILE.c
        C source of COUNT exported functions, the last one PyInit_MODULE (dllexport on Windows
        targets, default visibility elsewhere).

    python3 benches/single_file.py run INPUTS_TSV OUT_DIR
        Times every approach on every input: one hyperfine run per input set (all its inputs and
        approaches side by side; at least RUNS runs each, more within 3 s), then peak RSS and page faults (GNU time, median of
        RUSAGE_RUNS runs), then callgrind instruction counts of pyinit-check and maturin-after
        on the smallest and largest pyo3 input and on each exports input. Prints the table,
        writes OUT_DIR/summary.json. INPUTS_TSV lines: set, label, format (elf|macho|pe), path, module.
        Environment: TOOL, BEFORE, AFTER (binaries), RUNS, WARMUP, RUSAGE_RUNS, LOAD_START,
        MACHINE, TOOLS (recorded).
"""

import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

APPROACHES = ["pyinit-check", "maturin-before", "maturin-after", "nm"]

# What stands for `nm -D` on each format, and the name it prints for the hook.
NM = {
    "elf": (["nm", "-D", "--defined-only"], "PyInit_{}"),
    # LC_SYMTAB's external symbols (the export trie is what dyld reads; llvm-nm reads nlists).
    "macho": (["llvm-nm-14", "--defined-only", "-g"], "_PyInit_{}"),
    # A PE DLL from lld-link has no COFF symbol table (llvm-nm: "no symbols"): the export table.
    "pe": (["llvm-objdump-14", "-p"], "PyInit_{}"),
}


def exports_source(count, module):
    out = sys.stdout
    out.write(
        "#ifdef _WIN32\n#define EXPORT __declspec(dllexport)\n#else\n"
        '#define EXPORT __attribute__((visibility("default")))\n#endif\n'
    )
    for i in range(count - 1):
        out.write(f"EXPORT int bench_export_{i:06d}(void) {{ return {i}; }}\n")
    out.write(f"EXPORT void *PyInit_{module}(void) {{ return 0; }}\n")


def commands(fmt, path, module):
    """name -> (command line for hyperfine, argv for rusage/callgrind)."""
    tool, before, after = os.environ["TOOL"], os.environ["BEFORE"], os.environ["AFTER"]
    nm, hook = NM[fmt]
    argv = {
        "pyinit-check": [tool, "-q", path],
        "maturin-before": [before, path, module],
        "maturin-after": [after, path, module],
        # RSS and faults of the nm alone; the timed command pipes it into grep.
        "nm": nm + [path],
    }
    # Run by hyperfine without a shell (-N: nothing to subtract); the nm pipeline in `sh -c`.
    shell = {name: shlex.join(a) for name, a in argv.items()}
    shell["nm"] = shlex.join(["sh", "-c", f"{shell['nm']} | grep -w {shlex.quote(hook.format(module))}"])
    return {name: (shell[name], argv[name]) for name in APPROACHES}


def rusage(argv):
    """Peak RSS (KiB), minor and major page faults of one run, from GNU time: a small C parent,
    since Linux keeps a process's RSS high-water mark across fork and exec (a child forked from
    this Python would start at Python's RSS)."""
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-f", "%M %R %F", "-o", out.name] + argv,
                       stdout=subprocess.DEVNULL, check=True)
        rss, minflt, majflt = out.read().split()
    return int(rss), int(minflt), int(majflt)


def callgrind(argv):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
        )
        for line in open(out):
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in callgrind output of {argv}")


def human(size):
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MiB"
    return f"{size / 1024:.0f} KiB"


def ms(seconds):
    value = seconds * 1000
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def run(inputs_tsv, out_dir):
    runs, warmup = os.environ.get("RUNS", "10"), os.environ.get("WARMUP", "2")
    rusage_runs = int(os.environ.get("RUSAGE_RUNS", "3"))
    inputs = []
    for line in open(inputs_tsv):
        if line.strip():
            set_name, label, fmt, path, module = line.rstrip("\n").split("\t")
            inputs.append(dict(set=set_name, label=label, format=fmt, path=path, module=module,
                               bytes=os.path.getsize(path)))
    sets = list(dict.fromkeys(i["set"] for i in inputs))
    for inp in inputs:
        inp["commands"] = commands(inp["format"], inp["path"], inp["module"])
        inp["results"] = {name: {} for name in APPROACHES}

    for set_name in sets:
        members = [i for i in inputs if i["set"] == set_name]
        export = os.path.join(out_dir, f"hyperfine-{set_name}.json")
        # At least RUNS runs, and more within hyperfine's 3 s per command: hundreds for the
        # millisecond commands, whose medians a shared machine's noise would otherwise swamp.
        args = ["hyperfine", "-N", "--warmup", warmup, "--min-runs", runs, "--export-json", export]
        for inp in members:
            for name in APPROACHES:
                args += ["-n", f"{name} {inp['label']}", inp["commands"][name][0]]
        print(f"\n=== hyperfine, set {set_name}: {len(members)} inputs x {len(APPROACHES)} approaches",
              flush=True)
        subprocess.run(args, check=True)
        timed = {r["command"]: r for r in json.load(open(export))["results"]}
        for inp in members:
            for name in APPROACHES:
                r = timed[f"{name} {inp['label']}"]
                inp["results"][name].update(
                    runs=len(r["times"]), median_s=r["median"], mean_s=r["mean"], stddev_s=r["stddev"],
                    min_s=r["min"], max_s=r["max"])

    print(f"\n=== peak RSS and page faults (median of {rusage_runs} runs each)", flush=True)
    for inp in inputs:
        for name in APPROACHES:
            samples = [rusage(inp["commands"][name][1]) for _ in range(rusage_runs)]
            rss, minflt, majflt = (int(statistics.median(s[k] for s in samples)) for k in range(3))
            inp["results"][name].update(maxrss_kib=rss, minflt=minflt, majflt=majflt)

    print("\n=== callgrind (instructions executed in user space, Ir)", flush=True)
    for set_name in sets:
        members = sorted((i for i in inputs if i["set"] == set_name), key=lambda i: i["bytes"])
        if set_name == "pyo3":  # the smallest and the largest; the exports set: all three
            members = list({id(i): i for i in (members[0], members[-1])}.values())
        for inp in members:
            for name in ("pyinit-check", "maturin-after"):
                inp["results"][name]["callgrind_ir"] = callgrind(inp["commands"][name][1])
                print(f"  {name:15s} {inp['label']:12s} {inp['results'][name]['callgrind_ir']:>14,}",
                      flush=True)

    print(f"\n=== results (medians of the hyperfine run, at least {runs} runs each;"
          " ratio = approach / pyinit-check)")
    header = f"{'input':14s} {'size':>9s} {'approach':15s} {'median ms':>10s} {'ratio':>8s} " \
             f"{'max RSS MiB':>11s} {'minor flt':>10s} {'major':>6s} {'Ir':>13s}"
    print(header)
    print("-" * len(header))
    for inp in inputs:
        base = inp["results"]["pyinit-check"]
        for name in APPROACHES:
            r = inp["results"][name]
            r["time_ratio"] = r["median_s"] / base["median_s"]
            r["rss_ratio"] = r["maxrss_kib"] / base["maxrss_kib"]
            r["minflt_ratio"] = r["minflt"] / base["minflt"]
            ir = f"{r['callgrind_ir']:,}" if "callgrind_ir" in r else ""
            print(f"{inp['label']:14s} {human(inp['bytes']):>9s} {name:15s} {ms(r['median_s']):>10s} "
                  f"{r['time_ratio']:7.1f}x {r['maxrss_kib'] / 1024:11.1f} {r['minflt']:>10,} "
                  f"{r['majflt']:>6} {ir:>13s}")
    print("\nnm column: GNU `nm -D --defined-only` (ELF), `llvm-nm-14 --defined-only -g` (Mach-O),"
          " `llvm-objdump-14 -p` (PE), timed as `sh -c 'NM FILE | grep -w HOOK'`;"
          " RSS and faults are of the nm alone. Ir: user-space instructions only (callgrind).")

    summary = {
        "runs": int(runs), "warmup": int(warmup), "rusage_runs": rusage_runs,
        "load": [os.environ.get("LOAD_START", "?"), os.environ.get("LOAD_END", "?")],
        "cores": os.cpu_count(),
        "machine": os.environ.get("MACHINE", "?"),
        "tools": os.environ.get("TOOLS", "?"),
        "approaches": APPROACHES,
        "inputs": [{k: v for k, v in i.items() if k != "commands"} | {
            "commands": {name: i["commands"][name][0] for name in APPROACHES}} for i in inputs],
    }
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"\nwrote {os.path.join(out_dir, 'summary.json')}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["exports-source"]:
        exports_source(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:2] == ["run"]:
        run(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
