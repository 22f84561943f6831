"""Benchmarks: each ``bench_*.py`` measures one path of DESIGN §7 against a bare reference."""
