"""The tables ``sweep_speed.py`` prints from its report (stdlib only)."""

from __future__ import annotations

from common import (
    CHECK_COLUMNS,
    GOAL_RATIO,
    GOAL_WALL_S,
    ROUNDS,
    SAMPLE_INTERVAL_S,
    Json,
    fmt_s,
    print_machine,
    print_profile_tables,
)


def yes(flag: bool) -> str:
    """MET / NOT MET."""
    return "MET" if flag else "NOT MET"


def print_report(report: Json) -> None:
    """The compact tables."""
    m = report["machine"]
    print(f"negosim sweep vs mesa.batch_run, {m['date']}  ({report['settings']['mode']} mode)")
    code = report["code"]
    print_machine(m, code)
    end = code["at_end"]
    if end != {k: code[k] for k in end}:
        print(
            f"      WARNING: the code changed during the run (at the end: commit "
            f"{end['commit'][:12]}, sha256 {end['src_sha256'][:12]}); rerun for clean figures"
        )
    print(
        f"load average (1/5/15 min): start {report['load_average_start']}, "
        f"end {report['load_average_end']}"
    )
    first = report["sweep"][0]
    settings = report["settings"]
    print(
        f"experiment: {settings['experiment']}: {first['points']} points x "
        f"{first['replicates']} replicates = {first['runs']:,} runs of {ROUNDS} rounds, "
        f"{first['chunks']} chunks; median / min of {settings['repeats']} repeats"
    )

    print("\n1. negosim, sweep alone (run_sweep in a warm process, after one untimed sweep)")
    print(
        "   executor          workers   wall median   wall min   runs/s med     best"
        "   driver CPU   worker CPU   others   first sweep"
    )
    for s in report["sweep"]:
        label = "process pool" if s["executor"] == "process" else "inline (driver)"
        wall = s["wall_s"]
        print(
            f"   {label:<17} {s['workers']:>7} {fmt_s(wall['median']):>13} "
            f"{fmt_s(wall['min']):>10} {s['runs'] / wall['median']:>12,.0f} "
            f"{s['runs'] / wall['min']:>8,.0f} {fmt_s(s['driver_cpu_s']['median']):>12} "
            f"{fmt_s(s['worker_cpu_s']['median']):>12} {s['others_cores']['median']:>8.2f} "
            f"{fmt_s(s['warmup_s']):>13}"
        )
    digests = {s["runs_digest"] for s in report["sweep"]}
    print(
        "   runs tables identical in every setting: "
        + (f"yes (sha256 {next(iter(digests))[:12]})" if len(digests) == 1 else "NO")
    )

    print("\n2. negosim, whole command (subprocess; start-up, Parquet and printed report included)")
    print(
        "   workers   wall median   wall min   runs/s med   CPU median   others"
        "   run_sweep as printed"
    )
    for c in report["cli"]:
        wall, printed = c["wall_s"], c["printed_run_sweep_s"]
        print(
            f"   {c['workers']:>7} {fmt_s(wall['median']):>13} {fmt_s(wall['min']):>10} "
            f"{first['runs'] / wall['median']:>12,.0f} {fmt_s(c['cpu_s']['median']):>12} "
            f"{c['others_cores']['median']:>8.2f} "
            f"{fmt_s(printed['median']) if printed else '-':>22}"
        )
    print("   phases of the same work in one fresh process (one run each):")
    print("   workers   start-up   imports   load_experiment   run_sweep   report   total")
    for p in report["phases"]:
        total = p["startup_s"] + p["in_process_s"]
        print(
            f"   {p['workers']:>7} {fmt_s(p['startup_s']):>10} {fmt_s(p['imports_s']):>9} "
            f"{fmt_s(p['load_experiment_s']):>17} {fmt_s(p['run_sweep_s']):>11} "
            f"{fmt_s(p['report_s']):>8} {fmt_s(total):>7}"
        )

    print(
        f"\n3. Peak memory of the process tree (driver + workers), one run each, sampled every "
        f"{SAMPLE_INTERVAL_S * 1000:.0f} ms (MB)"
    )
    print("   what            workers  procs  sum RSS  sum PSS  driver RSS  largest worker RSS")
    for row in report["memory"]:
        print(
            f"   {row['what']:<15} {row['workers']:>7} {row['max_processes']:>6} "
            f"{row['peak_tree_rss_mb']:>8.0f} {row['peak_tree_pss_mb']:>8.0f} "
            f"{row['peak_driver_rss_mb']:>11.0f} {row['peak_worker_rss_mb']:>19.0f}"
        )
    print("   getrusage in the warm process, after all its sweeps (ru_maxrss, MB):")
    for s in report["sweep"]:
        if s["executor"] == "process":
            print(
                f"   {s['workers']} worker(s): driver {s['driver_maxrss_mb']:.0f}, largest "
                f"worker {s['largest_worker_maxrss_mb']:.0f}; driver + workers <= "
                f"{s['driver_maxrss_mb'] + s['workers'] * s['largest_worker_maxrss_mb']:.0f}"
            )

    if "profile" in report:
        print_profile(report["profile"])

    if "mesa" in report:
        mesa = report["mesa"]
        cal = mesa["calibration"]
        print(
            "\n4. mesa.batch_run, same model and grid, one replicate per model "
            "(data_collection_period=-1, max_steps=12)"
        )
        print(
            f"   one adapter run in one process, no batch_run: {cal['run_ms']:.1f} ms "
            f"(construction {cal['construct_ms']:.1f} ms, of which building the scenario "
            f"{cal['scenario_ms']:.1f} ms; 12 steps {cal['steps_ms']:.1f} ms; reading the "
            f"datacollector view {cal['collect_ms']:.1f} ms) -> "
            f"{cal['runs_per_s']:.0f} runs/s"
        )
        print(
            "   processes   runs (points x seeds)      wall    runs/s   driver CPU   worker CPU"
            "   others"
        )
        for b in mesa["batch_run"]:
            shape = f"{b['runs']:,} ({mesa['points']} x {b['iterations']})"
            print(
                f"   {b['processes']:>9} {shape:>23} {fmt_s(b['wall_s']):>9} "
                f"{b['runs_per_s']:>9.1f} {fmt_s(b['driver_cpu_s']):>12} "
                f"{fmt_s(b['worker_cpu_s']):>12} {b['others_cores']:>8.2f}"
            )
        checks = mesa["checks"]
        sweep_check = checks.get("sweep_vs_batch_run")
        if sweep_check:
            bad = len(sweep_check["mismatches"])
            print(
                f"   same seed, same outcome ({', '.join(CHECK_COLUMNS)}): "
                f"{sweep_check['runs'] - bad}/{sweep_check['runs']} runs of the negosim sweep "
                f"({sweep_check['with_deal']} with a deal) reproduced by batch_run"
            )
        bm = checks["batch_vs_model"]
        print(
            f"   {bm['runs'] - bm['mismatches']:,}/{bm['runs']:,} batch_run results equal a "
            "NegotiationModel batch of the same seeds; 1 vs 2 processes: "
            f"{checks['processes_1_vs_2']['mismatches']} differences in "
            f"{checks['processes_1_vs_2']['runs']:,} shared runs"
        )

    goals = report["goals"]
    print("\n5. Ratios and goals")
    for row in goals.get("ratio", []):
        print(
            f"   {row['processes']} process(es): negosim sweep "
            f"{row['negosim_sweep_runs_per_s']:,.0f} runs/s / batch_run "
            f"{row['batch_run_runs_per_s']:.1f} runs/s = "
            f"{row['ratio_sweep']:,.0f}x  (whole command: {row['ratio_command']:,.0f}x)"
            f"  -> >= {GOAL_RATIO:.0f}x {yes(row['met'])}"
        )
        print(
            f"      per CPU second of the process tree: {row['negosim_runs_per_cpu_s']:,.0f} / "
            f"{row['batch_run_runs_per_cpu_s']:.1f} = {row['ratio_cpu']:,.0f}x"
        )
    gw = goals["goal_wall"]
    print(
        f"   10,000 runs in < {GOAL_WALL_S:g} s wall, 2 workers: sweep alone "
        f"{fmt_s(gw['sweep_alone_median_s'])} median ({fmt_s(gw['sweep_alone_min_s'])} min) "
        f"-> {yes(gw['sweep_alone_met'])}; whole command {fmt_s(gw['whole_command_median_s'])}"
        f" -> {yes(gw['whole_command_met'])}"
    )
    print(f"   agreement between paths and settings: {'yes' if report['agreement'] else 'NO'}")


def print_profile(prof: Json) -> None:
    """Timeline of a 2-worker sweep and the profile of one chunk."""
    print(
        f"\n   profile: a warm {prof['workers']}-worker sweep took {fmt_s(prof['sweep_s'])}; "
        "timeline (s after run_sweep was called):"
    )
    for c in prof["chunks"]:
        print(
            f"     chunk {c['chunk']} ({c['runs']:,} runs) on {c['where']}: "
            f"{c['start_s']:.2f} -> {c['end_s']:.2f} ({c['end_s'] - c['start_s']:.2f} s)"
        )
    writes = prof["writes"]
    if writes:
        print(
            f"     driver writes: {len(writes)}, "
            f"{sum(w['end_s'] - w['start_s'] for w in writes):.2f} s in all; "
            f"last ends at {writes[-1]['end_s']:.2f}"
        )
    print(
        f"   one chunk ({prof['chunk_runs']:,} runs, {prof['chunk_points']} points) as a fresh "
        f"worker runs it: {fmt_s(prof['chunk_plain_s'])} ({fmt_s(prof['chunk_profiled_s'])} "
        "under cProfile)"
    )
    total = prof["chunk_total_profiled_s"]
    print(
        "   its parts (cProfile, cumulative; proportions hold, seconds are inflated): "
        + "; ".join(
            f"{name} {seconds / total:.0%}" for name, seconds in prof["chunk_parts_s"].items()
        )
    )
    print_profile_tables(prof, width=56)
