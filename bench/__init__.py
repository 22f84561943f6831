"""Benchmarks: each ``bench_*.py`` module measures one path of DESIGN §7 against a bare reference."""
